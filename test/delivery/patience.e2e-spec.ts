// Patience with 4xx answers (issue 19): a greylisting relay (451 to each new sender/recipient
// pair until the pair has waited long enough) gets every campaign and transactional message
// exactly once after the wait; a relay that answers 4xx for good ends with the message failed
// and its last answer recorded. SMTP_RETRY_SCHEDULE is shortened to seconds here.
import { CampaignsService } from '../../src/campaigns/campaigns.service';
import { PrismaService } from '../../src/database/prisma.service';
import { TransactionalService } from '../../src/delivery/transactional.service';
import { makeCustomers, segmentByTag, templateId } from '../campaigns/campaign-fixtures';
import { startSmtpSink, waitFor, type SmtpSink } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';

const GREYLIST_MS = 2500;

/** A greylist on the sink: a pair (envelope sender, recipient) is refused until GREYLIST_MS after it was first seen. */
function greylist(sink: SmtpSink): { refused: number } {
  const firstSeen = new Map<string, number>();
  const counts = { refused: 0 };
  sink.refuseRecipient = (to, from) => {
    const pair = `${from} ${to}`;
    const seen = firstSeen.get(pair);
    if (seen === undefined) firstSeen.set(pair, Date.now());
    if (seen !== undefined && Date.now() - seen >= GREYLIST_MS) return undefined;
    counts.refused++;
    return { code: 451, message: '4.7.1 Greylisted, please try again later' };
  };
  return counts;
}

describe('a greylisting relay', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let prisma: PrismaService;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await startTestApp({ SMTP_URL: sink.url, FREQUENCY_CAP_PER_WEEK: '0', SMTP_RETRY_SCHEDULE: '1s,2s,2s,2s,2s,2s' });
    prisma = t.app.get(PrismaService);
  });

  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });

  it('gets every campaign and transactional message exactly once after the wait', async () => {
    const grey = greylist(sink);
    const customers = await makeCustomers(prisma, 'greylisted', 8);
    const campaigns = t.app.get(CampaignsService);
    const campaign = await campaigns.create({
      name: 'greylisted',
      channel: 'email',
      templateId: await templateId(prisma, 'b2c-promo'),
      segmentId: await segmentByTag(prisma, 'greylisted'),
      schedule: { kind: 'now' },
    });
    await campaigns.schedule(campaign.id);
    const transactional = t.app.get(TransactionalService);
    const orders = await makeCustomers(prisma, 'greylisted-orders', 3, { consent: null });
    const sent = await Promise.all(
      orders.map((c, i) =>
        transactional.send({ template: 'order-created', channel: 'email', customerId: c.id, data: { orderNumber: `G-${i}` } }),
      ),
    );

    // While the greylist holds them, the messages wait, held, with the answer and the next try.
    const deferred = await waitFor(
      async () => {
        const row = await prisma.message.findFirst({ where: { campaignId: campaign.id, status: 'held' } });
        return row?.statusReason?.includes('deferred') ? row : null;
      },
      30_000,
      'a campaign message deferred',
    );
    expect(deferred.statusReason).toMatch(/^deferred \(try 1 of 7\), next try in \d+s: RCPT TO: 451 4\.7\.1 Greylisted/);
    expect(deferred.scheduledFor).not.toBeNull();

    await waitFor(
      async () => (await prisma.campaignRun.findFirst({ where: { campaignId: campaign.id, status: 'completed' } })) !== null,
      90_000,
      'the run to complete',
    );
    await waitFor(
      async () => (await prisma.message.count({ where: { id: { in: sent.map((m) => m.id) }, status: 'sent' } })) === sent.length,
      60_000,
      'the transactional messages to be sent',
    );

    const rows = await prisma.message.findMany({
      where: { OR: [{ campaignId: campaign.id }, { id: { in: sent.map((m) => m.id) } }] },
      select: { id: true, status: true, deferrals: true },
    });
    expect(rows).toHaveLength(customers.length + orders.length);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    expect(rows.every((r) => r.deferrals >= 1)).toBe(true);
    expect(grey.refused).toBeGreaterThanOrEqual(rows.length);
    // Exactly once each: one accepted copy per message, and only these.
    const accepted = sink.messages.map((m) => m.otklikId);
    expect(accepted.sort()).toEqual(rows.map((r) => r.id.toString()).sort());
    // A deferral blames no recipient.
    expect(await prisma.bounce.count()).toBe(0);
  }, 150_000);
});

describe('a relay that answers 4xx for good', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let prisma: PrismaService;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await startTestApp({ SMTP_URL: sink.url, FREQUENCY_CAP_PER_WEEK: '0', SMTP_RETRY_SCHEDULE: '1s,1s' });
    prisma = t.app.get(PrismaService);
  });

  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });

  it('fails the message once the schedule is spent, with the last answer recorded and shown', async () => {
    let answers = 0;
    sink.answer = () => ({ code: 452, message: `4.3.1 Insufficient system storage (answer ${++answers})` });
    const [customer] = await makeCustomers(prisma, 'always-4xx', 1, { consent: null });
    const message = await t.app
      .get(TransactionalService)
      .send({ template: 'order-created', channel: 'email', customerId: customer.id, data: { orderNumber: 'F-1' } });
    const failed = await waitFor(
      async () => {
        const row = await prisma.message.findUnique({ where: { id: message.id } });
        return row?.status === 'failed' ? row : null;
      },
      60_000,
      'the message to fail',
    );
    // Three tries (the first and one per gap), the third answer recorded.
    expect(answers).toBe(3);
    expect(failed.deferrals).toBe(2);
    expect(failed.statusReason).toBe(
      'gave up after 3 temporary refusals over 2s; last answer: DATA: 452 4.3.1 Insufficient system storage (answer 3)',
    );
    expect(sink.messages).toHaveLength(0);
    expect(await prisma.bounce.count()).toBe(0);

    // GET /messages/:id shows it.
    const response = await fetch(`${t.url}/messages/${message.id}`, { headers: { authorization: `Bearer ${await t.key('admin')}` } });
    expect(await response.json()).toMatchObject({ status: 'failed', deferrals: 2, statusReason: failed.statusReason });
  }, 90_000);
});
