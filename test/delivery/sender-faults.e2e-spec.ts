// Sender-side failures are not bounces (issue 16): a relay that refuses our message (a line too
// long), our account (AUTH) or our envelope (MAIL FROM without auth) stops the run with that
// reason and blames no recipient: no bounce, no suppression, no soft-bounce count. A refusal of
// the recipient (550 5.1.1 at RCPT TO) still counts against that recipient, and only that one.
import { CampaignsService } from '../../src/campaigns/campaigns.service';
import { PrismaService } from '../../src/database/prisma.service';
import { TransactionalService } from '../../src/delivery/transactional.service';
import { makeCustomers, segmentByTag, templateId, type FixtureCustomer } from '../campaigns/campaign-fixtures';
import { startSmtpSink, waitFor, type SmtpSink } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';

const APP_SETTINGS = { FREQUENCY_CAP_PER_WEEK: '0', SMTP_MAX_CONNECTIONS: '2' };

async function startCampaign(t: TestApp, tag: string, count: number): Promise<{ campaignId: number; customers: FixtureCustomer[] }> {
  const prisma = t.app.get(PrismaService);
  const customers = await makeCustomers(prisma, tag, count);
  const campaigns = t.app.get(CampaignsService);
  const campaign = await campaigns.create({
    name: tag,
    channel: 'email',
    templateId: await templateId(prisma, 'b2c-promo'),
    segmentId: await segmentByTag(prisma, tag),
    schedule: { kind: 'now' },
  });
  await campaigns.schedule(campaign.id);
  return { campaignId: campaign.id, customers };
}

/** The run once it is paused and none of its messages is still in a worker's hands. */
async function pausedAndSettled(prisma: PrismaService, campaignId: number) {
  return waitFor(
    async () => {
      const run = await prisma.campaignRun.findFirst({ where: { campaignId } });
      if (run?.status !== 'paused') return null;
      const busy = await prisma.message.count({ where: { campaignId, status: { in: ['sending', 'committing'] } } });
      return busy === 0 ? run : null;
    },
    30_000,
    `campaign ${campaignId}'s run paused with no message in flight`,
  ).catch(async (error) => {
    // What the run and its messages look like when it did not settle, for the failure report.
    const run = await prisma.campaignRun.findFirst({ where: { campaignId } });
    const rows = await prisma.message.findMany({
      where: { campaignId },
      select: { id: true, status: true, statusReason: true, attempts: true, sendingAt: true },
    });
    console.log(JSON.stringify({ run, rows }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
    throw error;
  });
}

/** Everything that would count against these recipients. */
async function blame(prisma: PrismaService, customers: FixtureCustomer[]) {
  const addresses = customers.map((c) => c.email);
  const ids = customers.map((c) => c.id);
  return {
    bounces: await prisma.bounce.count({ where: { OR: [{ address: { in: addresses } }, { customerId: { in: ids } }] } }),
    softBounces: await prisma.bounce.count({ where: { hard: false, OR: [{ address: { in: addresses } }, { customerId: { in: ids } }] } }),
    suppressions: await prisma.suppression.count({ where: { OR: [{ address: { in: addresses } }, { customerId: { in: ids } }] } }),
    invalidated: await prisma.customer.count({ where: { id: { in: ids }, emailValid: false } }),
  };
}

const NO_BLAME = { bounces: 0, softBounces: 0, suppressions: 0, invalidated: 0 };

describe('a relay refusing our message at DATA', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let prisma: PrismaService;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await startTestApp({ SMTP_URL: sink.url, ...APP_SETTINGS });
    prisma = t.app.get(PrismaService);
  });

  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });

  afterEach(() => {
    sink.answer = undefined;
    sink.refuseRecipient = undefined;
  });

  it('500 5.5.2 Line too long to every message: the run pauses with that reason, nobody is blamed, and resuming after the fix sends them all', async () => {
    let refused = 0;
    sink.answer = () => (refused++, { code: 500, message: '5.5.2 Line too long' });
    const { campaignId, customers } = await startCampaign(t, 'line-too-long', 5);

    const run = await pausedAndSettled(prisma, campaignId);
    expect(refused).toBeGreaterThan(0);
    expect(run.statusReason).toMatch(/^sender-side failure.*the relay refused our message at DATA: 500 5\.5\.2 Line too long$/);
    const campaign = await t.app.get(CampaignsService).get(campaignId);
    expect(campaign).toMatchObject({ status: 'paused', statusReason: run.statusReason });
    // Nothing sent, nothing failed or bounced: every message waits for the resume.
    const rows = await prisma.message.findMany({ where: { campaignId }, select: { status: true } });
    expect(rows.map((r) => r.status)).toEqual(Array(5).fill('queued'));
    expect(await blame(prisma, customers)).toEqual(NO_BLAME);
    expect(sink.messages).toHaveLength(0);

    // The operator fixes the relay and resumes: each recipient gets exactly one message.
    sink.answer = undefined;
    await t.app.get(CampaignsService).resume(campaignId);
    await waitFor(
      async () => (await prisma.campaignRun.findFirst({ where: { campaignId, status: 'completed' } })) !== null,
      30_000,
      'the resumed run to complete',
    );
    expect((await prisma.campaignRun.findFirst({ where: { campaignId } }))?.statusReason).toBeNull();
    expect(await prisma.message.count({ where: { campaignId, status: 'sent' } })).toBe(5);
    expect(sink.messages.map((m) => m.to[0]).sort()).toEqual(customers.map((c) => c.email).sort());
    expect(await blame(prisma, customers)).toEqual(NO_BLAME);
  });

  it('a transactional message refused for its content waits, held, without a bounce and without holding up the lane', async () => {
    const [customer] = await makeCustomers(prisma, 'tx-line-too-long', 2, { consent: null });
    const transactional = t.app.get(TransactionalService);
    sink.answer = (to) =>
      to.includes(customer.email) ? { code: 552, message: '5.3.4 Message size exceeds fixed maximum message size' } : undefined;
    const poisoned = await transactional.send({
      template: 'order-created',
      channel: 'email',
      customerId: customer.id,
      data: { orderNumber: 'A-1' },
    });
    const held = await waitFor(
      async () => {
        const row = await prisma.message.findUnique({ where: { id: poisoned.id } });
        return row?.status === 'held' ? row : null;
      },
      20_000,
      'the refused transactional message to be held',
    );
    expect(held.statusReason).toMatch(/sender-side failure: the relay refused our message at DATA: 552 5\.3\.4 Message size exceeds/);
    expect(held.scheduledFor?.getTime()).toBeGreaterThan(Date.now() + 60_000);
    expect(await blame(prisma, [customer])).toEqual(NO_BLAME);

    // The lane is not paused by it: the next order notification goes out at once.
    const [other] = await makeCustomers(prisma, 'tx-after-poison', 1, { consent: null });
    const next = await transactional.send({
      template: 'order-created',
      channel: 'email',
      customerId: other.id,
      data: { orderNumber: 'A-2' },
    });
    await waitFor(
      async () => (await prisma.message.findUnique({ where: { id: next.id } }))?.status === 'sent',
      20_000,
      'the next transactional message',
    );
  });

  it('control: 550 5.1.1 at RCPT TO and 552 5.2.2 after the data still count against that recipient, and the run completes', async () => {
    const { campaignId, customers } = await (async () => {
      const prepared = await makeCustomers(prisma, 'control', 4);
      const [dead, full] = prepared;
      sink.refuseRecipient = (to) =>
        to === dead.email ? { code: 550, message: `5.1.1 <${dead.email}>: Recipient address rejected: User unknown` } : undefined;
      sink.answer = (to) => (to.includes(full.email) ? { code: 552, message: '5.2.2 Mailbox full' } : undefined);
      const campaigns = t.app.get(CampaignsService);
      const campaign = await campaigns.create({
        name: 'control',
        channel: 'email',
        templateId: await templateId(prisma, 'b2c-promo'),
        segmentId: await segmentByTag(prisma, 'control'),
        schedule: { kind: 'now' },
      });
      await campaigns.schedule(campaign.id);
      return { campaignId: campaign.id, customers: prepared };
    })();
    const [dead, full, ...fine] = customers;
    await waitFor(
      async () => (await prisma.campaignRun.findFirst({ where: { campaignId, status: 'completed' } })) !== null,
      30_000,
      'the run to complete',
    );
    expect((await t.app.get(CampaignsService).get(campaignId)).status).toBe('completed');

    // The feedback module records send-time bounces through a job of its own, after the send.
    const deadRow = await waitFor(
      async () => {
        const row = await prisma.message.findFirst({ where: { campaignId, customerId: dead.id } });
        return row?.status === 'hard_bounced' ? row : null;
      },
      20_000,
      "the refused recipient's bounce to be recorded",
    );
    expect(deadRow?.status).toBe('hard_bounced');
    expect(await prisma.bounce.findFirst({ where: { messageId: deadRow?.id } })).toMatchObject({
      hard: true,
      reason: 'userunknown',
      address: dead.email,
    });
    expect(await blame(prisma, [dead])).toMatchObject({ bounces: 1, softBounces: 0, suppressions: 1 });

    const fullRow = await prisma.message.findFirst({ where: { campaignId, customerId: full.id } });
    expect(fullRow?.status).toBe('failed');
    await waitFor(
      async () => (await prisma.bounce.findFirst({ where: { messageId: fullRow?.id } })) !== null,
      20_000,
      "the full mailbox's bounce to be recorded",
    );
    expect(await prisma.bounce.findFirst({ where: { messageId: fullRow?.id } })).toMatchObject({
      hard: false,
      reason: 'mailboxfull',
      address: full.email,
    });
    expect(await blame(prisma, [full])).toEqual({ bounces: 1, softBounces: 1, suppressions: 0, invalidated: 0 });

    expect(await blame(prisma, fine)).toEqual(NO_BLAME);
    expect(await prisma.message.count({ where: { campaignId, status: 'sent' } })).toBe(fine.length);
  });
});

describe.each([
  {
    name: 'MAIL FROM refused with 530: the relay wants authentication we did not give',
    smtpUrl: (sink: SmtpSink) => sink.url,
    reason: /^sender-side failure.*the relay refused our account, connection or sender at MAIL FROM: 530 Error: authentication Required$/,
  },
  {
    name: 'AUTH refused with 535: wrong credentials',
    smtpUrl: (sink: SmtpSink) => sink.url.replace('smtp://', 'smtp://otklik:wrong-password@'),
    reason: /^sender-side failure.*the relay refused our account, connection or sender at AUTH PLAIN: 535 Invalid username or password$/,
  },
])('$name', ({ smtpUrl, reason }) => {
  let t: TestApp;
  let sink: SmtpSink;

  beforeAll(async () => {
    sink = await startSmtpSink({ auth: { user: 'otklik', pass: 'right-password' } });
    t = await startTestApp({ SMTP_URL: smtpUrl(sink), ...APP_SETTINGS });
  });

  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });

  it('pauses the run with the reason and blames no recipient; a transactional message waits, queued', async () => {
    const prisma = t.app.get(PrismaService);
    const { campaignId, customers } = await startCampaign(t, 'relay-refuses', 4);
    const run = await pausedAndSettled(prisma, campaignId);
    expect(run.statusReason).toMatch(reason);
    expect(await t.app.get(CampaignsService).get(campaignId)).toMatchObject({ status: 'paused', statusReason: run.statusReason });
    const rows = await prisma.message.findMany({ where: { campaignId }, select: { status: true } });
    expect(rows.map((r) => r.status)).toEqual(Array(4).fill('queued'));
    expect(await blame(prisma, customers)).toEqual(NO_BLAME);

    const [customer] = await makeCustomers(prisma, 'relay-refuses-tx', 1, { consent: null });
    const message = await t.app
      .get(TransactionalService)
      .send({ template: 'order-created', channel: 'email', customerId: customer.id, data: { orderNumber: 'B-1' } });
    const waiting = await waitFor(
      async () => {
        const row = await prisma.message.findUnique({ where: { id: message.id } });
        return row?.status === 'queued' && row.statusReason?.startsWith('retrying: ') ? row : null;
      },
      20_000,
      'the transactional message to be refused and wait',
    );
    expect(waiting.statusReason).toMatch(/the relay refused our account, connection or sender/);
    expect(await blame(prisma, [customer])).toEqual(NO_BLAME);
    expect(sink.messages).toHaveLength(0);
  });
});
