// A lost inbound job: the message was stored (the sender got its 250) but its processing job
// never reached Redis. The feedback sweep, run by the worker as the scheduler runs it, gives
// rows still `received` after two minutes their job again, and the bounce takes effect; a row
// stored a moment ago (its job may still be coming) is left alone.
import { ConfigService } from '@nestjs/config';
import { secretKeys } from '../../src/config/config.module';
import { PrismaService } from '../../src/database/prisma.service';
import { inboundJobId } from '../../src/feedback/feedback.service';
import { JobName, QueueName } from '../../src/queue/job-catalogue';
import { JobQueue } from '../../src/queue/job-queue';
import { waitFor } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';
import { BOUNCE_DOMAIN, bounceTo, dsn, sentMessage, useKeys } from './feedback-fixtures';

let t: TestApp;
let prisma: PrismaService;

beforeAll(async () => {
  t = await startTestApp({ BOUNCE_DOMAIN, MAIL_FROM: 'news@shop.example' });
  prisma = t.app.get(PrismaService);
  useKeys(secretKeys(t.app.get(ConfigService)));
});

afterAll(async () => {
  await t?.close();
});

/** An inbound row as the intake stores it, with no job enqueued (Redis was down at intake). */
async function storedWithoutJob(messageId: bigint, to: string, receivedAt: Date) {
  const raw = Buffer.from(
    dsn({ messageId, to, status: '5.1.1', diagnostic: `550 5.1.1 <${to}>: Recipient address rejected: User unknown` }),
  );
  const row = await prisma.inboundMessage.create({
    data: { source: 'smtp', status: 'received', raw, rawSize: raw.length, envelopeTo: bounceTo(messageId), receivedAt },
    select: { id: true },
  });
  return row.id;
}

it('re-queues an inbound row whose job never ran, and processes it; a fresh row waits for its own job', async () => {
  const lostOne = await sentMessage(prisma, 'lost.job@mail.example');
  const freshOne = await sentMessage(prisma, 'fresh.row@mail.example');
  const lost = await storedWithoutJob(lostOne.messageId, lostOne.email, new Date(Date.now() - 5 * 60_000));
  const fresh = await storedWithoutJob(freshOne.messageId, freshOne.email, new Date());
  const feedback = t.app.get(JobQueue).queue(QueueName.Feedback);
  // Really lost: no job for either row, and nothing changed.
  expect(await feedback.getJob(inboundJobId(lost))).toBeUndefined();
  expect(await feedback.getJob(inboundJobId(fresh))).toBeUndefined();

  // The sweep, as the scheduler enqueues it every minute, through the worker.
  await t.app.get(JobQueue).enqueue({ name: JobName.FeedbackSweep, data: {} }, { jobId: 'sweep-under-test' });
  const sweep = await waitFor(
    async () => {
      const job = await feedback.getJob('sweep-under-test');
      return job && (await job.getState()) === 'completed' ? job : null;
    },
    30_000,
    'the feedback sweep job to complete',
  );
  expect(sweep.returnvalue).toEqual({ requeued: 1, paused: [] });

  const row = await waitFor(
    () => prisma.inboundMessage.findFirst({ where: { id: lost, status: { in: ['applied', 'unclassified'] } } }),
    30_000,
    'the re-queued inbound row processed',
  );
  expect(row).toMatchObject({ status: 'applied', kind: 'bounce', messageId: lostOne.messageId, customerId: lostOne.customerId });
  expect(await prisma.suppression.findFirst({ where: { channel: 'email', address: lostOne.email } })).toMatchObject({
    reason: 'hard_bounce',
    evidenceId: lost,
  });
  expect((await prisma.message.findUniqueOrThrow({ where: { id: lostOne.messageId } })).status).toBe('hard_bounced');

  // The fresh row got no job from the sweep and is untouched.
  expect(await feedback.getJob(inboundJobId(fresh))).toBeUndefined();
  expect(await prisma.inboundMessage.findUniqueOrThrow({ where: { id: fresh } })).toMatchObject({ status: 'received' });
  expect(await prisma.suppression.findFirst({ where: { address: freshOne.email } })).toBeNull();
});
