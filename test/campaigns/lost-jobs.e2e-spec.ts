// Redis restarted without its data: every job is gone while the database still says what is
// under way. The campaigns tick gives orphaned runs their job back, the delivery sweep (the
// reaper) gives waiting messages theirs, and the scheduler registers lost schedules again.
// The app here serves the API only (no workers), so the jobs stay where the test can see them.
import { CampaignsService } from '../../src/campaigns/campaigns.service';
import { PrismaService } from '../../src/database/prisma.service';
import { DeliveryService } from '../../src/delivery/delivery.service';
import { TransactionalService } from '../../src/delivery/transactional.service';
import { JobName, messageJobId, QueueName, SCHEDULES } from '../../src/queue/job-catalogue';
import { JobQueue } from '../../src/queue/job-queue';
import { startTestApp, type TestApp } from '../support/test-app';
import { deleteRedisPrefix } from '../support/test-env';
import { makeCustomers, segmentByTag, templateId } from './campaign-fixtures';

describe('jobs lost with Redis data', () => {
  let t: TestApp;
  let prisma: PrismaService;
  let jobs: JobQueue;
  const loseRedisData = () => deleteRedisPrefix(t.env.QUEUE_PREFIX);

  beforeAll(async () => {
    t = await startTestApp({ OTKLIK_ROLE: 'api', FREQUENCY_CAP_PER_WEEK: '0' });
    prisma = t.app.get(PrismaService);
    jobs = t.app.get(JobQueue);
  });
  afterAll(() => t.close());

  it('gives a preparing or sending run whose job was lost a new one at the next tick, and leaves runs with jobs alone', async () => {
    const campaigns = t.app.get(CampaignsService);
    await makeCustomers(prisma, 'orphan', 3);
    const campaign = await campaigns.create({
      name: 'orphan',
      channel: 'email',
      templateId: await templateId(prisma, 'b2c-promo'),
      segmentId: await segmentByTag(prisma, 'orphan'),
      schedule: { kind: 'now' },
    });
    await campaigns.schedule(campaign.id);
    const run = await prisma.campaignRun.findFirstOrThrow({ where: { campaignId: campaign.id } });
    expect((await jobs.pendingPayloads(JobName.PrepareRun)).map((d) => d.runId)).toEqual([run.id]);
    expect((await campaigns.tick(new Date())).rescued).toEqual([]); // its job is there

    await loseRedisData();
    expect(await jobs.pendingPayloads(JobName.PrepareRun)).toEqual([]);
    expect((await campaigns.tick(new Date())).rescued).toEqual([run.id]);
    expect((await jobs.pendingPayloads(JobName.PrepareRun)).map((d) => d.runId)).toEqual([run.id]);

    // What the worker would do with that job; then the feeder's job is lost too.
    await campaigns.prepareRun(run.id);
    expect((await prisma.campaignRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe('sending');
    await loseRedisData();
    expect((await campaigns.tick(new Date())).rescued).toEqual([run.id]);
    expect((await jobs.pendingPayloads(JobName.FeedRun)).map((d) => d.runId)).toEqual([run.id]);
  });

  it('re-enqueues a waiting transactional message whose job was lost, under its own job id', async () => {
    const [customer] = await makeCustomers(prisma, 'reaper', 1, { consent: null });
    const sent = await t.app
      .get(TransactionalService)
      .send({ template: 'order-created', channel: 'email', customerId: customer.id, data: { orderNumber: 'R-1' } });
    const id = BigInt(sent.id);
    const transactional = jobs.queue(QueueName.Transactional);
    expect(await transactional.getJob(messageJobId(id))).toBeDefined();
    await loseRedisData();
    expect(await transactional.getJob(messageJobId(id))).toBeUndefined();

    const delivery = t.app.get(DeliveryService);
    // A message that just arrived is its job's business for a while (two send leases).
    expect((await delivery.sweep()).requeued).toBe(0);
    await prisma.message.update({ where: { id }, data: { createdAt: new Date(Date.now() - 5 * 60_000) } });
    expect((await delivery.sweep()).requeued).toBe(1);
    expect((await transactional.getJob(messageJobId(id)))?.name).toBe(JobName.SendTransactional);
    // Again: the job exists, so adding it under the same id is a no-op.
    await delivery.sweep();
    expect(await transactional.getJobCounts('waiting')).toEqual({ waiting: 1 });
  });

  it('registers a lost recurring job again, and only a lost one', async () => {
    const tick = SCHEDULES.find((s) => s.id === 'campaigns-tick')!;
    const job = tick.job({ outboxRetentionDays: 30 });
    await jobs.upsertSchedule(tick.id, tick.pattern, job);
    expect(await jobs.ensureSchedule(tick.id, tick.pattern, job)).toBe(false);
    await loseRedisData();
    expect(await jobs.ensureSchedule(tick.id, tick.pattern, job)).toBe(true);
    expect(await jobs.queue(QueueName.Campaigns).getJobScheduler(tick.id)).toBeDefined();
  });
});
