// One reliability scenario's world: a private Redis, a fault sink, the test database, Otklik's
// roles as child processes, and the accounting that fills the suite's table (the first
// invariant of docs/architecture.md: each recipient gets exactly one message, none missing).
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { CampaignsService } from '../../src/campaigns/campaigns.service';
import { PrismaService } from '../../src/database/prisma.service';
import { orderNotificationTrigger } from '../../bench/order-contract';
import { TriggersService } from '../../src/triggers/triggers.service';
import { makeManyCustomers, segmentByTag, templateId } from '../campaigns/campaign-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { ROOT } from '../support/test-env';
import { freePort, OtklikProcess, PrivateRedis, sleep } from './cluster';
import { startFaultSink, type FaultPlan, type FaultSink } from './fault-sink';

/** `npm run test:reliability` runs the short form (CI); OTKLIK_RELIABILITY=full the 20,000-recipient one. */
export const FULL = process.env.OTKLIK_RELIABILITY === 'full';
export const RECIPIENTS = FULL ? 20_000 : 1_500;

export const ROWS_FILE = path.join(ROOT, 'test-output/reliability/rows.jsonl');

/** A seeded random source, so a failing run can be repeated (OTKLIK_RELIABILITY_SEED). */
export const SEED = Number(process.env.OTKLIK_RELIABILITY_SEED ?? Date.now() % 1_000_000);
let state = SEED || 1;
export function random(): number {
  // mulberry32
  state = (state + 0x6d2b79f5) | 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
export const between = (low: number, high: number) => low + (high - low) * random();

export interface Row {
  scenario: string;
  expected: number;
  delivered: number;
  duplicates: number;
  lost: number;
  /** Sent to someone who should get nothing (a refused address the run retried into the sink). */
  unexpected: number;
  note: string;
}

export interface Tally {
  expected: number;
  delivered: number;
  duplicates: number;
  lost: number;
  unexpected: number;
  missingIds: string[];
  /**
   * Of `duplicates`, copies of messages whose first copy reached the sink at most
   * KILL_WINDOW_MS before a worker was killed: the one limit of exactly-once that no ordering
   * removes (a SIGKILL between a commit batch's final dots and its COMMIT; see
   * docs/architecture.md, "Exactly once, and its one limit"). Any other duplicate is a bug.
   */
  atKill: number;
}

import { KILL_WINDOW_MS } from '../support/kill-window';

export { KILL_WINDOW_MS };

export class Harness {
  readonly processes: OtklikProcess[] = [];
  readonly notes: string[] = [];
  /** What the scenario did when (kills, restarts), for duplicate diagnostics. */
  readonly events: string[] = [];
  private segmentId = 0;
  /** The scenario's campaigns; the first is `campaignId`. */
  readonly campaignIds: number[] = [];
  /** Customers in the campaign's segment, by id → email. */
  customers: Array<{ id: number; email: string }> = [];
  /** Order events whose notification is expected: customer id of each. */
  readonly eventCustomers = new Set<number>();
  private childEnv: Record<string, string> = {};

  private constructor(
    readonly redis: PrivateRedis,
    readonly sink: FaultSink,
    readonly t: TestApp,
  ) {}

  static async start(plan?: FaultPlan, env: Record<string, string> = {}): Promise<Harness> {
    const redis = new PrivateRedis();
    await redis.start();
    const sink = await startFaultSink(plan);
    // 4xx answers are tried again within seconds here, not on the default day-long schedule.
    const settings = {
      REDIS_URL: redis.url,
      SMTP_URL: sink.url,
      FREQUENCY_CAP_PER_WEEK: '0',
      SMTP_RETRY_SCHEDULE: '1s,2s,2s,3s,3s',
      ...env,
    };
    const t = await startTestApp({ OTKLIK_ROLE: 'api', ...settings });
    const harness = new Harness(redis, sink, t);
    harness.childEnv = {
      DATABASE_URL: t.databaseUrl,
      QUEUE_PREFIX: t.env.QUEUE_PREFIX,
      SECRET_KEY: t.env.SECRET_KEY,
      // The sender's name stands in for the unset brand name, as in every e2e app: without it
      // the built-in templates' {{brand.name}} fails each run's pre-flight.
      ...(t.env.MAIL_FROM_NAME ? { MAIL_FROM_NAME: t.env.MAIL_FROM_NAME } : {}),
      ...settings,
    };
    return harness;
  }

  get prisma(): PrismaService {
    return this.t.app.get(PrismaService);
  }

  /** A role as a child process, started. */
  async spawn(name: string, role: 'api' | 'worker' | 'scheduler', env: Record<string, string> = {}): Promise<OtklikProcess> {
    const process = new OtklikProcess(name, role, { ...this.childEnv, ...env });
    await process.start();
    this.processes.push(process);
    return process;
  }

  /** The worker process(es) and the scheduler, started. */
  async startRoles(workerCount = 1): Promise<{ workers: OtklikProcess[]; scheduler: OtklikProcess }> {
    const workers: OtklikProcess[] = [];
    for (let i = 1; i <= workerCount; i++) workers.push(await this.spawn(workerCount > 1 ? `worker-${i}` : 'worker', 'worker'));
    return { workers, scheduler: await this.spawn('scheduler', 'scheduler') };
  }

  /** A child API on its own port, and an admin key for it. */
  async spawnApi(): Promise<{ api: OtklikProcess; url: string; key: string }> {
    const port = await freePort();
    const api = await this.spawn('api', 'api', { PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}` });
    return { api, url: `http://127.0.0.1:${port}`, key: await this.t.key('admin') };
  }

  get campaignId(): number {
    return this.campaignIds[0] ?? 0;
  }

  /** `count` customers with email consent, a segment of them and a draft campaign (b2c-promo). */
  async seedCampaign(count: number, tag = 'rel'): Promise<void> {
    await makeManyCustomers(this.prisma, tag, count);
    this.customers = (await this.prisma.customer.findMany({
      where: { tags: { has: tag } },
      select: { id: true, email: true },
      orderBy: { id: 'asc' },
    })) as Array<{ id: number; email: string }>;
    this.segmentId = await segmentByTag(this.prisma, tag);
    await this.newCampaign();
  }

  /** Another draft campaign to the same segment. */
  async newCampaign(): Promise<number> {
    const campaign = await this.t.app.get(CampaignsService).create({
      name: `reliability ${this.campaignIds.length + 1}`,
      channel: 'email',
      templateId: await templateId(this.prisma, 'b2c-promo'),
      segmentId: this.segmentId,
      schedule: { kind: 'now' },
    });
    this.campaignIds.push(campaign.id);
    return campaign.id;
  }

  async enableOrderNotifications(): Promise<void> {
    await this.t.app.get(TriggersService).create(orderNotificationTrigger('created'));
  }

  async scheduleCampaign(id = this.campaignId): Promise<void> {
    await this.t.app.get(CampaignsService).schedule(id);
  }

  /** Waits until the sink has accepted `fraction` of what is expected so far. */
  async untilSunk(fraction: number, timeoutMs = 300_000): Promise<number> {
    const target = Math.ceil(this.expectedCount() * fraction);
    const deadline = Date.now() + timeoutMs;
    while (this.sink.total() < target) {
      if (Date.now() > deadline)
        throw new Error(`only ${this.sink.total()} of ${target} messages reached the sink\n${this.describeProcesses()}`);
      await sleep(20);
    }
    return this.sink.total();
  }

  expectedCount(): number {
    return this.customers.length * this.campaignIds.length + this.eventCustomers.size;
  }

  /** Kills every PostgreSQL connection to the scenario's database but this one. */
  async dropDatabaseConnections(): Promise<number> {
    const client = new Client({ connectionString: this.t.databaseUrl });
    await client.connect();
    try {
      const result = await client.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
      return result.rowCount ?? 0;
    } finally {
      await client.end();
    }
  }

  /**
   * Waits until the campaign's run completed and every expected order notification reached the
   * sink. Fails when nothing moves for `stallMs` (a hang), not merely when the run is slow.
   */
  async untilSettled(stallMs = 120_000, timeoutMs = 900_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    let lastChange = Date.now();
    for (;;) {
      const state = await this.progress().catch((error: Error) => `query failed: ${error.message}`);
      if (state === 'done') return;
      if (state !== last) [last, lastChange] = [state, Date.now()];
      if (Date.now() - lastChange > stallMs || Date.now() > deadline) {
        throw new Error(`no progress for ${Math.round((Date.now() - lastChange) / 1000)} s: ${state}\n${this.describeProcesses()}`);
      }
      await sleep(250);
    }
  }

  /** How many warning lines of all processes match. */
  warned(pattern: RegExp): number {
    return this.processes.reduce((n, p) => n + p.warnings.filter((line) => pattern.test(line)).length, 0);
  }

  /** Each process's last lines, for a failure message. */
  describeProcesses(): string {
    return this.processes.map((p) => `--- ${p.name} (alive: ${p.alive()})\n${p.tail.slice(-15).join('\n')}`).join('\n');
  }

  private async progress(): Promise<string> {
    const runs = await this.prisma.campaignRun.findMany({
      where: { campaignId: { in: this.campaignIds } },
      select: { campaignId: true, status: true },
    });
    const counts = await this.prisma.message.groupBy({ by: ['status'], _count: true });
    const eventsDone = await this.eventNotificationsSettled();
    const campaignsDone = this.campaignIds.every((id) => runs.some((r) => r.campaignId === id && r.status === 'completed'));
    if (campaignsDone && eventsDone) return 'done';
    return `runs ${runs.map((r) => r.status).join(',')}; messages ${counts.map((c) => `${c.status}=${c._count}`).join(' ')}; sink ${this.sink.total()}`;
  }

  private async eventNotificationsSettled(): Promise<boolean> {
    if (!this.eventCustomers.size) return true;
    const pending = await this.prisma.message.count({
      where: { runId: null, status: { in: ['queued', 'held', 'sending', 'committing'] } },
    });
    const rows = await this.prisma.message.count({ where: { runId: null } });
    return pending === 0 && rows >= this.eventCustomers.size;
  }

  /**
   * Counts what the sink accepted against what each recipient should get: one message per
   * campaign and customer of the segment (less `refused`), one notification per order event.
   * A "delivery" is (campaign, customer) or (order notification, customer), so two Message rows
   * for one recipient count as a duplicate too.
   */
  async tally(refused: Set<string> = new Set()): Promise<Tally> {
    const ids = [...this.sink.accepted.keys()].filter((id) => /^\d+$/.test(id)).map(BigInt);
    const rows: Array<{ id: bigint; customerId: number | null; campaignId: number | null }> = [];
    for (let i = 0; i < ids.length; i += 10_000) {
      rows.push(
        ...(await this.prisma.message.findMany({
          where: { id: { in: ids.slice(i, i + 10_000) } },
          select: { id: true, customerId: true, campaignId: true },
        })),
      );
    }
    const keyOf = new Map(
      rows.map((r) => [r.id.toString(), r.campaignId === null ? `order:${r.customerId}` : `campaign ${r.campaignId}:${r.customerId}`]),
    );
    const expected = new Set<string>();
    for (const campaignId of this.campaignIds)
      for (const c of this.customers) if (!refused.has(c.email)) expected.add(`campaign ${campaignId}:${c.id}`);
    for (const id of this.eventCustomers) expected.add(`order:${id}`);
    const received = new Map<string, number>();
    for (const [id, times] of this.sink.accepted) {
      const key = keyOf.get(id) ?? `unknown:${id}`;
      received.set(key, (received.get(key) ?? 0) + times);
    }
    let delivered = 0;
    let duplicates = 0;
    let unexpected = 0;
    for (const [key, times] of received) {
      duplicates += times - 1;
      if (expected.has(key)) delivered++;
      else unexpected++;
    }
    const missing = [...expected].filter((key) => !received.has(key));
    const kills = this.events.map((event) => /^worker killed (\S+)/.exec(event)?.[1]).filter((at) => at !== undefined);
    const killTimes = kills.map((at) => Date.parse(at));
    let atKill = 0;
    for (const [id, times] of this.sink.accepted) {
      if (times < 2) continue;
      const first = this.sink.acceptedAt.get(id)?.[0] ?? 0;
      if (killTimes.some((kill) => first <= kill && kill - first <= KILL_WINDOW_MS)) atKill += times - 1;
    }
    if (duplicates) {
      // What each copy's row says, to tell which recovery path sent it again.
      const twice = [...this.sink.accepted].filter(([, times]) => times > 1).map(([id]) => BigInt(id));
      const rows = await this.prisma.message.findMany({
        where: { id: { in: twice } },
        select: { id: true, status: true, attempts: true, statusReason: true, sendingAt: true, sentAt: true },
      });
      for (const row of rows)
        console.log(
          `duplicate ${row.id}: accepted at ${this.sink.acceptedAt
            .get(row.id.toString())
            ?.map((t) => new Date(t).toISOString())
            .join(
              ', ',
            )}; row ${JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}; events: ${this.events.join(', ')}`,
        );
    }
    return { expected: expected.size, delivered, duplicates, lost: missing.length, unexpected, missingIds: missing.slice(0, 10), atKill };
  }

  /** Messages left in flight after the run settled: a reaper should have found them. */
  async stuckInFlight(): Promise<number> {
    return this.prisma.message.count({ where: { status: { in: ['sending', 'committing'] } } });
  }

  record(scenario: string, tally: Tally): Row {
    const row: Row = {
      scenario,
      expected: tally.expected,
      delivered: tally.delivered,
      duplicates: tally.duplicates,
      lost: tally.lost,
      unexpected: tally.unexpected,
      note: this.notes.join('; '),
    };
    mkdirSync(path.dirname(ROWS_FILE), { recursive: true });
    appendFileSync(ROWS_FILE, `${JSON.stringify(row)}\n`);
    return row;
  }

  async close(): Promise<void> {
    for (const process of this.processes) await process.kill();
    await this.t.close();
    await this.sink.close();
    await this.redis.stop();
  }
}

/**
 * Posts order events for distinct customers over HTTP at `perSecond`, retrying each until the
 * API accepts it (it may be down), as a shop's webhook sender would. Stops when `stop()` is called.
 */
export function orderEventStream(harness: Harness, api: () => { url: string; key: string }, customers: number[], perSecond: number) {
  let stopped = false;
  let posted = 0;
  let retries = 0;
  const done = (async () => {
    for (const customerId of customers) {
      if (stopped) break;
      const body = JSON.stringify({
        status: 'created',
        customerId,
        order: { externalId: `R-${customerId}`, items: [{ productId: 'SKU-1', name: 'Item', quantity: 1, price: 990 }] },
      });
      for (;;) {
        const { url, key } = api();
        const ok = await fetch(`${url}/events/orders`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(10_000),
        })
          .then((response) => response.ok)
          .catch(() => false);
        if (ok) break;
        retries++;
        await sleep(200);
      }
      harness.eventCustomers.add(customerId);
      posted++;
      await sleep(1000 / perSecond);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await done;
      return { posted, retries };
    },
    finished: done,
  };
}
