// The scoring job on the worker, started through the API, checked customer by customer against
// a TypeScript reference of the same rules; settings changes, roles, the CLI and the schedule.
import { PrismaService } from '../../src/database/prisma.service';
import { seededRandom } from '../../src/demo/demo-data';
import { QueueName } from '../../src/queue/job-catalogue';
import { JobQueue } from '../../src/queue/job-queue';
import { DEFAULT_SCORING_CONFIG, type ScoringConfig } from '../../src/scoring/scoring-config';
import { apiCaller } from '../support/api-call';
import { runCli } from '../support/test-env';
import { startTestApp, type TestApp } from '../support/test-app';
import { referenceScores, type RefOrder, type RefScores } from './scoring-reference';

const DAY = 86_400_000;

describe('scoring', () => {
  let t: TestApp;
  let prisma: PrismaService;
  let keys: { viewer: string; marketer: string };
  const live: number[] = [];
  let erasedId: number;
  const orders: RefOrder[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    prisma = t.app.get(PrismaService);
    keys = { viewer: await t.key('viewer'), marketer: await t.key('marketer') };
    const [{ now }] = await prisma.$queryRaw<Array<{ now: Date }>>`SELECT now() AS now`;
    const random = seededRandom(7);
    // Noon UTC on whole days, never within two days of the 365-day window edge.
    const daysAgo = () => {
      let d: number;
      do d = 1 + Math.floor(random() * 700);
      while (Math.abs(d - 365) <= 2);
      return d;
    };
    const at = (d: number) => {
      const day = new Date(now.getTime() - d * DAY);
      return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 12));
    };
    for (let i = 0; i < 60; i++) {
      const customer = await prisma.customer.create({ data: { firstName: `c${i}`, email: `c${i}@example.com` }, select: { id: true } });
      live.push(customer.id);
      // A third order rarely, a few often; some only cancelled orders; some none.
      const count = i % 10 === 0 ? 0 : Math.floor(random() ** 2 * 12) + 1;
      for (let k = 0; k < count; k++) {
        const cancelled = i % 10 === 5 || random() < 0.05;
        orders.push({ customerId: customer.id, orderedAt: at(daysAgo()), total: 100 + Math.floor(random() * 9900), cancelled });
      }
    }
    const erased = await prisma.customer.create({ data: { firstName: 'gone', erasedAt: new Date() }, select: { id: true } });
    erasedId = erased.id;
    orders.push({ customerId: erasedId, orderedAt: at(3), total: 1_000_000, cancelled: false });
    await prisma.order.createMany({
      data: orders.map((o) => ({
        customerId: o.customerId,
        orderedAt: o.orderedAt,
        total: o.total,
        status: o.cancelled ? 'cancelled' : 'delivered',
      })),
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const call = (method: string, path: string, role: 'viewer' | 'marketer', body?: unknown) => apiCaller(t, keys)(method, path, role, body);

  async function runAndWait(): Promise<{ id: number; status: string; scoredCustomers: number; changedCustomers: number }> {
    const started = await call('POST', '/scoring/runs', 'marketer');
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'queued', trigger: 'api' });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const run = await call('GET', `/scoring/runs/${started.body.id}`, 'viewer');
      if (run.body.status === 'completed' || run.body.status === 'failed') return run.body;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out after 60000 ms waiting for scoring run ${started.body.id} to complete or fail`);
  }

  async function stored(): Promise<Map<number, RefScores>> {
    const rows = await prisma.customer.findMany({ where: { id: { in: live } } });
    return new Map(
      rows.map((c) => [
        c.id,
        {
          r: c.rfmRecency,
          f: c.rfmFrequency,
          m: c.rfmMonetary,
          cell: c.rfmCell,
          group: c.rfmGroup,
          abc: c.abcClass,
          xyz: c.xyzClass,
          rating: c.rating,
        },
      ]),
    );
  }

  async function expectReference(config: ScoringConfig) {
    const [{ now }] = await prisma.$queryRaw<Array<{ now: Date }>>`SELECT now() AS now`;
    const expected = referenceScores(live, orders, now, config);
    const actual = await stored();
    for (const id of live) expect({ id, ...actual.get(id) }).toEqual({ id, ...expected.get(id) });
    return expected;
  }

  it('scores every live customer as the reference does, and ignores erased ones', async () => {
    const run = await runAndWait();
    expect(run.status).toBe('completed');
    const expected = await expectReference(DEFAULT_SCORING_CONFIG);
    const withOrders = [...expected.values()].filter((s) => s.r !== null).length;
    expect(withOrders).toBeGreaterThan(40);
    expect(run).toMatchObject({ scoredCustomers: withOrders, changedCustomers: live.length });
    // every score 1–5 occurs, ties share a score, several groups and classes are used
    const values = [...expected.values()];
    for (const k of ['r', 'f', 'm'] as const) expect(new Set(values.map((v) => v[k]).filter((v) => v !== null)).size).toBeGreaterThan(2);
    expect(new Set(values.map((v) => v.abc))).toEqual(new Set(['A', 'B', 'C', null]));
    expect(new Set(values.map((v) => v.rating)).size).toBeGreaterThan(3);
    const erased = await prisma.customer.findUniqueOrThrow({ where: { id: erasedId } });
    expect([erased.rfmCell, erased.rating, erased.scoredAt]).toEqual([null, null, null]);
  });

  it('a second run with nothing new changes no row', async () => {
    const before = await prisma.customer.findFirstOrThrow({ where: { id: live[1] }, select: { scoredAt: true } });
    const run = await runAndWait();
    expect(run).toMatchObject({ status: 'completed', changedCustomers: 0 });
    const after = await prisma.customer.findFirstOrThrow({ where: { id: live[1] }, select: { scoredAt: true } });
    expect(after.scoredAt).toEqual(before.scoredAt);
  });

  it('follows saved thresholds, rejects bad ones with the path, and resets to the defaults', async () => {
    const custom: ScoringConfig = {
      ...DEFAULT_SCORING_CONFIG,
      rfm: { ...DEFAULT_SCORING_CONFIG.rfm, windowDays: 180, groups: [{ name: 'best', r: [4, 5], f: [3, 5] }], fallbackGroup: 'rest' },
      abc: { windowDays: 500, shares: { a: 0.5, b: 0.3, c: 0.2 } },
      xyz: { months: 6, xBelow: 0.8, yBelow: 1.5 },
      rating: { weights: { r: 2, f: 1, m: 0 }, min: { A: 4.5, B: 3.5, C: 2.5, D: 1.5 }, noOrders: null },
    };
    const bad = await call('PUT', '/scoring/config', 'marketer', { ...custom, abc: { windowDays: 0, shares: { a: 0.5, b: 0.3, c: 0.3 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.issues).toEqual([
      { path: 'config.abc.windowDays', message: 'expected a number ≥ 1' },
      { path: 'config.abc.shares', message: 'shares must add up to 1' },
    ]);
    expect((await call('PUT', '/scoring/config', 'viewer', custom)).status).toBe(403);
    const saved = await call('PUT', '/scoring/config', 'marketer', custom);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ source: 'saved', config: custom });

    const run = await runAndWait();
    expect(run.status).toBe('completed');
    await expectReference(custom);
    expect((await call('GET', '/scoring/config', 'viewer')).body.config).toEqual(custom);

    const reset = await call('DELETE', '/scoring/config', 'marketer');
    expect(reset.body).toMatchObject({ source: 'default', config: JSON.parse(JSON.stringify(DEFAULT_SCORING_CONFIG)) });
    await runAndWait();
    await expectReference(DEFAULT_SCORING_CONFIG);
  });

  it('summarises the classes of live customers', async () => {
    const { status, body } = await call('GET', '/scoring/summary', 'viewer');
    expect(status).toBe(200);
    const total = (rows: Array<{ customers: number }>) => rows.reduce((a, r) => a + r.customers, 0);
    expect(total(body.rfmGroups)).toBe(live.length);
    expect(total(body.abcXyz)).toBe(live.length);
    expect(total(body.ratings)).toBe(live.length);
    expect(body.ratings).toContainEqual({ rating: 'E', customers: expect.any(Number) });
  });

  it('lets only marketers and admins start runs, and lists runs newest first', async () => {
    expect((await call('POST', '/scoring/runs', 'viewer')).status).toBe(403);
    const runs = await call('GET', '/scoring/runs?limit=2', 'viewer');
    expect(runs.body).toHaveLength(2);
    expect(runs.body[0].id).toBeGreaterThan(runs.body[1].id);
    expect((await call('GET', '/scoring/runs/99999', 'viewer')).status).toBe(404);
    expect((await call('GET', '/scoring/runs?limit=0', 'viewer')).body.issues[0].path).toBe('query.limit');
  });

  it('runs from the command line too', async () => {
    const result = await runCli('scoring-run', [], { DATABASE_URL: t.databaseUrl });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^scoring: run \d+ completed in \d+\.\d s: \d+ customers scored, 0 changed$/m);
    const [latest] = (await call('GET', '/scoring/runs?limit=1', 'viewer')).body;
    expect(latest).toMatchObject({ trigger: 'cli', status: 'completed' });
  });

  it('is scheduled nightly on the maintenance queue', async () => {
    const schedulers = await t.app.get(JobQueue).queue(QueueName.Maintenance).getJobSchedulers();
    expect(schedulers).toContainEqual(
      expect.objectContaining({ key: 'scoring-nightly', pattern: '41 2 * * *', name: 'scoring.recompute' }),
    );
  });
});
