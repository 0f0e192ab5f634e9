// The reliability suite (`npm run test:reliability`): crashes and faults in the middle of a
// running campaign, each scenario ending in one row of the table the reporter prints
// (test/support/reliability-reporter.js): messages expected, delivered, duplicates, lost.
// Every scenario fails on any lost message, and on any duplicate but one kind: a message whose
// final dot was out and whose COMMIT was not when the worker was SIGKILLed (Tally.atKill; the
// one limit of exactly-once, documented in docs/architecture.md). The table counts those too.
import { between, FULL, Harness, orderEventStream, RECIPIENTS, SEED } from './harness';
import type { FaultAnswer } from './fault-sink';
import { sleep } from './cluster';

const MINUTE = 60_000;
jest.setTimeout(FULL ? 40 * MINUTE : 10 * MINUTE);

beforeAll(() =>
  console.log(
    `reliability: seed ${SEED} (OTKLIK_RELIABILITY_SEED=${SEED} repeats the random points), ${RECIPIENTS} recipients per campaign`,
  ),
);

/** Runs one scenario with its harness, records its row and checks the invariants. */
async function scenario(
  name: string,
  body: (h: Harness) => Promise<Set<string> | void>,
  options: { harness?: () => Promise<Harness> } = {},
) {
  const h = await (options.harness ?? (() => Harness.start()))();
  try {
    const refused = (await body(h)) ?? new Set<string>();
    const tally = await h.tally(refused);
    const stuck = await h.stuckInFlight();
    if (stuck) h.notes.push(`${stuck} left in sending`);
    if (tally.unexpected) h.notes.push(`${tally.unexpected} sent to refused addresses`);
    if (tally.atKill) h.notes.push(`${tally.atKill} sent again: final dot out, COMMIT not, when the worker was killed (the known limit)`);
    h.record(name, tally);
    if (tally.lost) console.log(`${name}: missing ${tally.missingIds.join(', ')}`);
    // Every duplicate but those of a kill's own instant (Tally.atKill) is a broken invariant.
    expect({ duplicates: tally.duplicates - tally.atKill, lost: tally.lost, unexpected: tally.unexpected, stuck }).toEqual({
      duplicates: 0,
      lost: 0,
      unexpected: 0,
      stuck: 0,
    });
  } finally {
    await h.close();
  }
}

it('kill -9 of the worker mid-campaign', () =>
  scenario('worker killed (kill -9), restarted', async (h) => {
    await h.seedCampaign(RECIPIENTS);
    const {
      workers: [worker],
    } = await h.startRoles();
    await h.scheduleCampaign();
    for (const fraction of FULL ? [between(0.1, 0.4), between(0.5, 0.8)] : [between(0.1, 0.7)]) {
      const at = await h.untilSunk(fraction);
      // A crash comes at a random instant, not in step with the sink's answers.
      await sleep(between(0, 1000));
      h.events.push(`worker killed ${new Date().toISOString()} with ${h.sink.total()} at the sink`);
      await worker.restart();
      h.events.push(`worker restarted ${new Date().toISOString()}`);
      h.notes.push(`killed at ${at}`);
    }
    await h.untilSettled();
  }));

it('kill -9 of the scheduler mid-campaign', () =>
  scenario('scheduler killed (kill -9), restarted', async (h) => {
    await h.seedCampaign(RECIPIENTS);
    const { scheduler } = await h.startRoles();
    await h.scheduleCampaign();
    const at = await h.untilSunk(between(0.1, 0.7));
    await sleep(between(0, 1000));
    await scheduler.restart();
    h.notes.push(`killed at ${at}`);
    await h.untilSettled();
  }));

it('kill -9 of the API while the campaign runs and order events arrive', () =>
  scenario('API killed (kill -9) during order events', async (h) => {
    await h.seedCampaign(RECIPIENTS);
    await h.enableOrderNotifications();
    await h.startRoles();
    const { api, url, key } = await h.spawnApi();
    // The campaign is started through the API under test, like a marketer would.
    const started = await fetch(`${url}/campaigns/${h.campaignId}/schedule`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(started.status).toBeLessThan(300);
    const events = orderEventStream(
      h,
      () => ({ url, key }),
      h.customers.slice(0, FULL ? 600 : 120).map((c) => c.id),
      20,
    );
    await sleep(between(1000, 4000));
    const killedAfter = h.eventCustomers.size;
    await api.restart();
    await events.finished;
    const { posted, retries } = await events.stop();
    h.notes.push(`API killed after ${killedAfter} events; ${posted} events posted, ${retries} client retries`);
    await h.untilSettled();
  }));

it('Redis restarted mid-campaign (snapshot kept)', () =>
  scenario('Redis restarted', async (h) => {
    await h.seedCampaign(RECIPIENTS);
    await h.startRoles();
    await h.scheduleCampaign();
    const at = await h.untilSunk(between(0.1, 0.6));
    await h.redis.restart('graceful', 2000);
    h.notes.push(`restarted at ${at}, down 2 s`);
    await h.untilSettled();
  }));

it('PostgreSQL connections dropped mid-campaign', () =>
  scenario('PostgreSQL connections dropped', async (h) => {
    await h.seedCampaign(RECIPIENTS);
    await h.startRoles();
    await h.scheduleCampaign();
    const drops: string[] = [];
    for (const fraction of [0.15, 0.4, 0.65]) {
      await h.untilSunk(fraction);
      drops.push(String(await h.dropDatabaseConnections()));
    }
    h.notes.push(`3 drops, connections killed: ${drops.join('/')}`);
    await h.untilSettled();
    // Whether a drop caught a commit batch between its final dots and its COMMIT's answer (the
    // path where a dot is out and the database does not say so): it depends on the instant.
    h.notes.push(`${h.warned(/final dots failed/)} COMMIT(s) lost after their dots`);
  }));

it('two worker processes on one queue', () =>
  scenario('two workers, one queue', async (h) => {
    await h.seedCampaign(RECIPIENTS);
    await h.startRoles(2);
    await h.scheduleCampaign();
    await h.untilSettled();
  }));

/**
 * Per recipient number i (the fixture's addresses are `rel.<i>@example.com`): every tenth gets
 * 421 (and a closed connection) on its first attempt, another tenth 451 twice, another tenth a
 * connection dropped after its data; one in a hundred is refused for good with 552 (mailbox
 * full), another with 554.
 */
function faultyAnswer(recipient: string, attempt: number): FaultAnswer {
  const i = Number(/\.(\d+)@/.exec(recipient)?.[1] ?? 0);
  if (i % 100 === 7) return { kind: 'refuse', code: 552, text: '5.2.2 Mailbox full' };
  if (i % 100 === 9) return { kind: 'refuse', code: 554, text: '5.7.1 Message rejected as spam' };
  if (i % 10 === 1 && attempt === 1) return { kind: 'refuse', code: 421, text: '4.3.2 Service shutting down, closing channel' };
  if (i % 10 === 2 && attempt <= 2) return { kind: 'refuse', code: 451, text: '4.7.1 Greylisted, try again later' };
  if (i % 10 === 3 && attempt === 1) return { kind: 'drop' };
  return { kind: 'accept' };
}

it('SMTP answers 421/451/552/554 and drops connections', () =>
  scenario(
    'SMTP 421/451/552/554 + dropped connections',
    async (h) => {
      await h.seedCampaign(RECIPIENTS);
      await h.startRoles();
      await h.scheduleCampaign();
      await h.untilSettled();
      const refused = new Set(h.customers.map((c) => c.email).filter((email) => faultyAnswer(email, 99).kind === 'refuse'));
      // Refused for good: failed, each with its bounce, the dead (554 spam-block aside) suppressed.
      const rows = await h.prisma.message.findMany({
        where: { campaignId: h.campaignId },
        select: { id: true, status: true, attempts: true, customer: { select: { email: true } } },
      });
      const refusedRows = rows.filter((r) => refused.has(r.customer?.email ?? ''));
      expect(refusedRows.length).toBe(refused.size);
      expect(refusedRows.filter((r) => r.status === 'sent')).toEqual([]);
      // Send-time bounces are recorded by the feedback module through a job of its own, after the send.
      const countBounces = () => h.prisma.bounce.count({ where: { messageId: { in: refusedRows.map((r) => r.id) } } });
      for (const deadline = Date.now() + 60_000; (await countBounces()) < refused.size && Date.now() < deadline;) await sleep(250);
      const bounces = await countBounces();
      expect(bounces).toBe(refused.size);
      const retried = rows.filter((r) => r.attempts > 1).length;
      const statuses = new Map<string, number>();
      for (const r of refusedRows) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      h.notes.push(`refused rows: ${[...statuses].map(([k, v]) => `${k}×${v}`).join(' ')}`);
      h.notes.push(
        `answers ${[...h.sink.answers].map(([k, v]) => `${k}×${v}`).join(' ')}; ${retried} retried; ${refused.size} refused for good, ${bounces} bounces recorded`,
      );
      return refused;
    },
    { harness: () => Harness.start(faultyAnswer) },
  ));

it('Redis loses its data mid-campaign (restarted empty)', () =>
  scenario('Redis restarted empty (data lost)', async (h) => {
    await h.seedCampaign(RECIPIENTS);
    await h.enableOrderNotifications();
    await h.startRoles();
    const { url, key } = await h.spawnApi();
    await h.scheduleCampaign();
    const events = orderEventStream(
      h,
      () => ({ url, key }),
      h.customers.slice(0, FULL ? 300 : 60).map((c) => c.id),
      20,
    );
    const at = await h.untilSunk(between(0.1, 0.5));
    await h.redis.restart('lose-data', 1000);
    h.notes.push(`Redis emptied at ${at}`);
    await events.stop();
    await h.untilSettled(180_000);
    // What brought the run back: the scheduler's schedule check, the tick's orphan rescue.
    const restored = h.warned(/recurring jobs missing from Redis/);
    const rescued = h.warned(/had no job in Redis/);
    h.notes.push(`schedules restored ${restored}×, runs rescued ${rescued}×`);
    expect(restored).toBeGreaterThan(0);
  }));

it('soak: a campaign and continuous order events, memory steady', () =>
  scenario('soak: campaigns + order events', async (h) => {
    const soakMs = FULL ? 10 * MINUTE : 45_000;
    await h.seedCampaign(RECIPIENTS);
    await h.enableOrderNotifications();
    const {
      workers: [worker],
    } = await h.startRoles();
    const { url, key } = await h.spawnApi();
    const events = orderEventStream(
      h,
      () => ({ url, key }),
      h.customers.map((c) => c.id),
      10,
    );
    const samples: number[] = [];
    const sampler = setInterval(() => samples.push(worker.rssMb()), 1000);
    const started = Date.now();
    let runs = 0;
    try {
      // Campaign after campaign to the same segment until the time is up (at least one).
      do {
        if (runs > 0) await h.newCampaign();
        await h.scheduleCampaign(h.campaignIds[runs]);
        runs++;
        await h.untilSettled();
      } while (Date.now() - started < soakMs * 0.8);
      while (Date.now() - started < soakMs) await sleep(500);
    } finally {
      clearInterval(sampler);
    }
    await events.stop();
    await h.untilSettled();
    const quarter = Math.floor(samples.length / 4);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const early = median(samples.slice(quarter, 2 * quarter));
    const late = median(samples.slice(3 * quarter));
    h.notes.push(
      `${Math.round((Date.now() - started) / 1000)} s, ${runs} campaign(s), ${h.eventCustomers.size} order events; worker RSS median ${Math.round(early)} → ${Math.round(late)} MB, peak ${Math.round(Math.max(...samples))} MB`,
    );
    // Steady: the last quarter's median within 25 % (or 40 MB) of the second quarter's.
    expect(late - early).toBeLessThan(Math.max(40, early * 0.25));
  }));
