// Faults: a worker killed with SIGKILL mid-campaign, and an SMTP server that refuses with 451
// for a while. Either way every recipient gets exactly one message (docs/architecture.md).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { CampaignsService } from '../../src/campaigns/campaigns.service';
import { PrismaService } from '../../src/database/prisma.service';
import { QueueName } from '../../src/queue/job-catalogue';
import { JobQueue } from '../../src/queue/job-queue';
import { duplicatesAround } from '../support/kill-window';
import { startSmtpSink, waitFor, type SmtpSink } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';
import { NODE, ROOT } from '../support/test-env';
import { makeManyCustomers, makeCustomers, segmentByTag, templateId } from './campaign-fixtures';

function startWorker(t: TestApp, sink: SmtpSink): ChildProcess {
  const env = t.env;
  return spawn(NODE, [path.join(ROOT, 'dist/src/main.js'), '--role', 'worker'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      DATABASE_URL: t.databaseUrl,
      REDIS_URL: env.REDIS_URL,
      QUEUE_PREFIX: env.QUEUE_PREFIX,
      SECRET_KEY: env.SECRET_KEY,
      // Stands in for the unset brand name, as in every e2e app (else each run fails its pre-flight).
      MAIL_FROM_NAME: env.MAIL_FROM_NAME,
      SMTP_URL: sink.url,
      FREQUENCY_CAP_PER_WEEK: '0',
      LOG_LEVEL: process.env.OTKLIK_CRASH_TEST_LOG ?? 'info',
    },
    // Start-up lines and warnings: a stuck worker's stall log shows in the test output.
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

function distinctCount(sink: SmtpSink): number {
  return new Set(sink.messages.map((m) => m.otklikId)).size;
}

describe('delivery under faults', () => {
  // About three minutes (the dead worker's job locks must expire), so it runs on request:
  // `npm run test:crash`. It is not part of `npm test`.
  const crashIt = process.env.OTKLIK_CRASH_TEST === '1' ? it : it.skip;
  crashIt(
    'sends each of 20,000 messages at most once, and none silently lost, when the worker is killed with SIGKILL mid-campaign',
    async () => {
      const sink = await startSmtpSink();
      // The API role only: the campaign's jobs run in a separate worker process that we kill.
      const t = await startTestApp({ OTKLIK_ROLE: 'api', SMTP_URL: sink.url, FREQUENCY_CAP_PER_WEEK: '0' });
      const workers: ChildProcess[] = [];
      try {
        const prisma = t.app.get(PrismaService);
        await makeManyCustomers(prisma, 'crash', 20_000);
        const campaigns = t.app.get(CampaignsService);
        const campaign = await campaigns.create({
          name: 'crash test',
          channel: 'email',
          templateId: await templateId(prisma, 'b2c-promo'),
          segmentId: await segmentByTag(prisma, 'crash'),
          schedule: { kind: 'now' },
        });
        workers.push(startWorker(t, sink));
        await campaigns.schedule(campaign.id);
        await waitFor(() => sink.messages.length >= 3000, 120_000, '3,000 messages at the sink');
        const killedAt = Date.now();
        workers[0].kill('SIGKILL');
        await new Promise((resolve) => workers[0].once('exit', resolve));
        const atKill = sink.messages.length;
        expect(atKill).toBeLessThan(20_000);

        workers.push(startWorker(t, sink));
        // The dead worker's jobs are handed over once their locks expire (30 s). A loaded machine
        // may send slowly: the test fails when nothing reaches the sink for 90 s (a hang), not
        // when the run merely takes long.
        let lastCount = -1;
        let lastProgress = Date.now();
        await waitFor(
          async () => {
            if (sink.messages.length !== lastCount) [lastCount, lastProgress] = [sink.messages.length, Date.now()];
            if ((await prisma.campaignRun.findFirst({ where: { campaignId: campaign.id, status: 'completed' } })) !== null) return true;
            if (Date.now() - lastProgress > 90_000) throw new Error(`no message reached the sink for 90 s (${lastCount} there)`);
            return false;
          },
          540_000,
          'the run to complete',
        ).catch(async (error) => {
          const counts = await prisma.message.groupBy({ by: ['status'], where: { campaignId: campaign.id }, _count: true });
          const stuck = await prisma.message.findMany({ where: { campaignId: campaign.id, status: { notIn: ['sent'] } }, take: 5 });
          const queues = t.app.get(JobQueue);
          const jobCounts = await queues.queue(QueueName.Bulk).getJobCounts();
          const feed = await queues.queue(QueueName.Campaigns).getJobCounts();

          console.log(
            JSON.stringify(
              {
                workers: workers.map((w) => [w.exitCode, w.signalCode]),
                counts,
                stuck: stuck.length,
                jobCounts,
                feed,
                sink: sink.messages.length,
              },
              (_k, v) => (typeof v === 'bigint' ? v.toString() : v),
            ),
          );
          // Whether the dead worker's jobs still hold their locks, and whether the stalled check ran.
          const bulk = queues.queue(QueueName.Bulk);
          const redis = await (bulk.getBackend() as unknown as { client: Promise<import('ioredis').Redis> }).client;
          const active = await bulk.getActive(0, 2);
          const locks = await Promise.all(
            active.map(async (job) => [
              job.id,
              await redis.pttl(bulk.toKey(`${job.id}:lock`)),
              job.processedOn ? Date.now() - job.processedOn : null,
            ]),
          );
          console.log(
            JSON.stringify({
              stalled: await redis.scard(bulk.toKey('stalled')),
              stalledCheckTtl: await redis.pttl(bulk.toKey('stalled-check')),
              locks,
            }),
          );
          throw error;
        });
        // Nobody gets a second copy: the sink saw each message id at most once, but for the one
        // documented limit (a copy whose first was accepted in the instant before the kill).
        const copies = duplicatesAround(
          sink.messages.map((m) => ({ id: m.otklikId, at: m.at })),
          [killedAt],
        );
        console.log(`crash test: ${copies.atKill} second copies at the kill instant, ${copies.other} others`);
        expect(copies.other).toBe(0);
        expect(sink.messages.length - copies.atKill).toBe(distinctCount(sink));
        expect(await prisma.message.count({ where: { campaignId: campaign.id, status: 'sent' } })).toBe(20_000);
        // None is missing without the run knowing it: a message absent from the sink can only be
        // one whose final dot was being written at the instant of the kill, and the recovery
        // flags exactly those as unconfirmed (SMTP cannot tell whether that dot arrived).
        const atSink = new Set(sink.messages.map((m) => m.otklikId));
        const rows = await prisma.message.findMany({ where: { campaignId: campaign.id }, select: { id: true, statusReason: true } });
        const missing = rows.filter((row) => !atSink.has(row.id.toString()));
        const unconfirmed = rows.filter((row) => row.statusReason?.startsWith('final dot written before a worker stopped'));
        console.log(`crash test: ${atSink.size} at the sink, ${missing.length} missing, ${unconfirmed.length} unconfirmed after recovery`);
        for (const row of missing) expect(row.statusReason).toMatch(/^final dot written before a worker stopped/);
        expect(missing.length).toBeLessThanOrEqual(unconfirmed.length);
      } finally {
        for (const worker of workers) worker.kill('SIGKILL');
        await t.close();
        await sink.close();
      }
    },
    720_000,
  );

  it('delivers every message once when the SMTP server answers 451 for a while', async () => {
    const sink = await startSmtpSink();
    // Tries again within seconds (the default schedule waits a minute first).
    const t = await startTestApp({ SMTP_URL: sink.url, FREQUENCY_CAP_PER_WEEK: '0', SMTP_RETRY_SCHEDULE: '1s,1s,2s,2s,2s,2s,2s' });
    try {
      const prisma = t.app.get(PrismaService);
      await makeCustomers(prisma, 'greylist', 30);
      const refuseUntil = Date.now() + 4000;
      let refused = 0;
      sink.answer = () => (Date.now() < refuseUntil ? (refused++, { code: 451, message: '4.7.1 Greylisted, try again later' }) : undefined);
      const campaigns = t.app.get(CampaignsService);
      const campaign = await campaigns.create({
        name: 'greylisted',
        channel: 'email',
        templateId: await templateId(prisma, 'b2c-promo'),
        segmentId: await segmentByTag(prisma, 'greylist'),
        schedule: { kind: 'now' },
      });
      await campaigns.schedule(campaign.id);
      await waitFor(
        async () => (await prisma.campaignRun.findFirst({ where: { campaignId: campaign.id, status: 'completed' } })) !== null,
        90_000,
        'the run to complete',
      );
      expect(refused).toBeGreaterThanOrEqual(30);
      expect(sink.messages).toHaveLength(30);
      expect(distinctCount(sink)).toBe(30);
      const rows = await prisma.message.findMany({ where: { campaignId: campaign.id }, select: { status: true, attempts: true } });
      expect(rows.every((r) => r.status === 'sent')).toBe(true);
      expect(Math.max(...rows.map((r) => r.attempts))).toBeGreaterThan(1);
    } finally {
      await t.close();
      await sink.close();
    }
  }, 120_000);

  it('marks a 5xx refusal failed, records the bounce and suppresses a dead address', async () => {
    const sink = await startSmtpSink();
    const t = await startTestApp({ SMTP_URL: sink.url, FREQUENCY_CAP_PER_WEEK: '0' });
    try {
      const prisma = t.app.get(PrismaService);
      const [dead, alive] = await makeCustomers(prisma, 'bounce', 2);
      sink.refuseRecipient = (to) =>
        to === dead.email ? { code: 550, message: `5.1.1 <${dead.email}>: Recipient address rejected: User unknown` } : undefined;
      const campaigns = t.app.get(CampaignsService);
      const campaign = await campaigns.create({
        name: 'bounces',
        channel: 'email',
        templateId: await templateId(prisma, 'b2c-promo'),
        segmentId: await segmentByTag(prisma, 'bounce'),
        schedule: { kind: 'now' },
      });
      await campaigns.schedule(campaign.id);
      await waitFor(
        async () => (await prisma.campaignRun.findFirst({ where: { campaignId: campaign.id, status: 'completed' } })) !== null,
        30_000,
        'the run to complete',
      );
      // The feedback module records send-time bounces through a job of its own, after the send.
      const deadRow = await waitFor(
        async () => {
          const row = await prisma.message.findFirst({ where: { campaignId: campaign.id, customerId: dead.id } });
          return row?.status === 'hard_bounced' ? row : null;
        },
        20_000,
        "the refused recipient's bounce to be recorded",
      );
      expect(deadRow?.status).toBe('hard_bounced');
      expect(deadRow?.statusReason).toMatch(/550/);
      const bounce = await prisma.bounce.findFirst({ where: { messageId: deadRow?.id } });
      expect(bounce).toMatchObject({ hard: true, reason: 'userunknown', address: dead.email });
      expect(await prisma.suppression.count({ where: { address: dead.email, reason: 'hard_bounce' } })).toBe(1);
      expect(sink.messages.map((m) => m.to[0])).toEqual([alive.email]);
    } finally {
      await t.close();
      await sink.close();
    }
  });
});
