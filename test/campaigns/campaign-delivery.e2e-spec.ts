// A campaign from segment to a real SMTP server: exactly one message per consenting,
// unsuppressed recipient, personalised, with the right headers and the attachment.
import { ConfigService } from '@nestjs/config';
import { simpleParser } from 'mailparser';
import { readTaggedAddress, unsubscribeAddress, verpAddress } from '../../src/common/mail-ids';
import { secretKeys } from '../../src/config/config.module';
import { PrismaService } from '../../src/database/prisma.service';
import { CampaignsService } from '../../src/campaigns/campaigns.service';
import { keyedApi, type KeyedApi } from '../support/api-call';
import { startSmtpSink, waitFor, type SmtpSink } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';
import { makeCustomers, receivedAt, segmentByTag, suppress, templateId } from './campaign-fixtures';

let t: TestApp;
let api: KeyedApi;
let sink: SmtpSink;
let prisma: PrismaService;
let marketer: string;

async function runOf(campaignId: number) {
  const { body } = await api('GET', `/campaigns/${campaignId}/runs`);
  return body as Array<{ id: number; status: string; audienceCount: number; messages: Record<string, number> }>;
}

/** Messages of a campaign that a worker holds: the final dot may still be written. */
function inFlight(campaignId: number) {
  return prisma.message.count({ where: { campaignId, status: { in: ['sending', 'committing'] } } });
}

/** Messages of a campaign that reached the sink. */
async function receivedFor(campaignId: number): Promise<number> {
  return (await receivedAt(prisma, sink, { campaignId })).length;
}

async function waitForRun(campaignId: number, status: string, timeoutMs = 30_000) {
  return waitFor(
    async () => (await runOf(campaignId)).find((run) => run.status === status),
    timeoutMs,
    `a ${status} run of campaign ${campaignId}`,
  );
}

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await startTestApp({
    SMTP_URL: sink.url,
    BOUNCE_DOMAIN: 'bounces.shop.example',
    MAIL_FROM: 'news@shop.example',
    MAIL_FROM_NAME: 'Магазин',
    FREQUENCY_CAP_PER_WEEK: '0',
    SMTP_MAX_CONNECTIONS: '2',
  });
  prisma = t.app.get(PrismaService);
  marketer = await t.key('marketer');
  api = keyedApi(t, marketer);
});

afterAll(async () => {
  await t?.close();
  await sink?.close();
});

describe('a campaign to a real SMTP server', () => {
  it('reaches every consenting, unsuppressed customer exactly once, personalised, with headers and the price list', async () => {
    const consenting = await makeCustomers(prisma, 'promo', 25);
    const noConsent = await makeCustomers(prisma, 'promo', 3, { consent: null, prefix: 'promo-nc' });
    const optedOut = await makeCustomers(prisma, 'promo', 2, { consent: 'opted_out', prefix: 'promo-out' });
    const suppressed = consenting.splice(0, 2);
    await suppress(prisma, suppressed[0].email, 'unsubscribe');
    await suppress(prisma, suppressed[1].email, 'hard_bounce');

    const attachment = await api('POST', '/attachments', {
      filename: 'Прайс-лист.pdf',
      contentType: 'application/pdf',
      contentBase64: Buffer.from('%PDF-1.4 the price list').toString('base64'),
    });
    expect(attachment.status).toBe(201);

    const created = await api('POST', '/campaigns', {
      name: 'November promo',
      templateId: await templateId(prisma, 'b2c-promo'),
      segmentId: await segmentByTag(prisma, 'promo'),
      attachmentIds: [attachment.body.id],
      schedule: { kind: 'now' },
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('draft');
    const scheduled = await api('POST', `/campaigns/${created.body.id}/schedule`);
    expect(scheduled.status).toBe(201);

    const run = await waitForRun(created.body.id, 'completed');
    expect(run.messages.sent).toBe(consenting.length);
    // The audience is frozen from the reachable part of the segment; the suppressed ones that
    // slipped in are stopped again at send time.
    expect(sink.messages).toHaveLength(consenting.length);

    const byRecipient = new Map(sink.messages.map((m) => [m.to[0], m]));
    expect([...byRecipient.keys()].sort()).toEqual(consenting.map((c) => c.email).sort());
    for (const excluded of [...noConsent, ...optedOut, ...suppressed]) expect(byRecipient.has(excluded.email)).toBe(false);

    const one = consenting[3];
    const mail = await simpleParser(byRecipient.get(one.email)!.raw);
    expect(mail.html).toContain(one.firstName);
    expect(mail.from?.value[0]).toEqual({ address: 'news@shop.example', name: 'Магазин' });
    expect(mail.attachments.map((a) => a.filename)).toEqual(['Прайс-лист.pdf']);
    expect(mail.attachments[0].content.toString()).toBe('%PDF-1.4 the price list');
    const headers = Object.fromEntries(
      mail.headerLines.map((h) => [
        h.key,
        h.line
          .slice(h.line.indexOf(':') + 1)
          .replace(/\r?\n\s+/g, ' ')
          .trim(),
      ]),
    );
    expect(headers['list-unsubscribe']).toMatch(
      /^<http:\/\/localhost:3000\/u\/[\w-]+\.[\w-]+>, <mailto:unsubscribe\+\d+-[0-9a-f]{16}@bounces\.shop\.example>$/,
    );
    expect(headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(headers['feedback-id']).toMatch(new RegExp(`^${created.body.id}:bulk:otklik$`));
    const messageRow = await prisma.message.findFirst({
      where: { customerId: one.id },
      select: { id: true, status: true, headerMessageId: true },
    });
    expect(messageRow?.status).toBe('sent');
    expect(mail.messageId).toBe(`<${messageRow?.headerMessageId}>`);
    // VERP: the envelope sender names the message, with a MAC so that only we can name one.
    const keys = secretKeys(t.app.get(ConfigService));
    expect(byRecipient.get(one.email)!.from).toBe(verpAddress(keys, 'bounces.shop.example', messageRow!.id));
    expect(readTaggedAddress(keys, byRecipient.get(one.email)!.from)).toEqual({ kind: 'bounce', messageId: messageRow!.id });
    expect(headers['list-unsubscribe']).toContain(`<mailto:${unsubscribeAddress(keys, 'bounces.shop.example', messageRow!.id)}>`);

    const statuses = await prisma.message.groupBy({ by: ['status'], where: { campaignId: created.body.id }, _count: true });
    expect(Object.fromEntries(statuses.map((s) => [s.status, s._count]))).toEqual({ sent: consenting.length });
    expect((await api('GET', `/campaigns/${created.body.id}`)).body.status).toBe('completed');
  });

  it('stops a suppressed address at send time even when it was in the frozen audience', async () => {
    const customers = await makeCustomers(prisma, 'late-unsub', 6);
    // Two connections, one second per message: the last message reaches its final dot ~3 s in.
    sink.delayMs = 1000;
    const created = await api('POST', '/campaigns', {
      name: 'late unsubscribe',
      templateId: await templateId(prisma, 'b2c-promo'),
      segmentId: await segmentByTag(prisma, 'late-unsub'),
    });
    await api('POST', `/campaigns/${created.body.id}/schedule`);
    // Frozen, then the last customer unsubscribes before the worker reaches them.
    await waitFor(
      async () => (await prisma.message.count({ where: { campaignId: created.body.id } })) === 6,
      10_000,
      'the frozen audience',
    );
    const last = customers[customers.length - 1];
    await suppress(prisma, last.email, 'unsubscribe');
    const before = sink.messages.length;
    const run = await waitForRun(created.body.id, 'completed');
    sink.delayMs = 0;
    const sentTo = sink.messages.slice(before).map((m) => m.to[0]);
    expect(sentTo).not.toContain(last.email);
    expect(run.messages).toEqual({ sent: 5, suppressed: 1 });
    const lastRow = await prisma.message.findFirst({ where: { campaignId: created.body.id, customerId: last.id } });
    expect(lastRow?.status).toBe('suppressed');
  });

  it('pauses, resumes and cancels', async () => {
    await makeCustomers(prisma, 'slow', 40);
    sink.delayMs = 50;
    const segmentId = await segmentByTag(prisma, 'slow');
    const tpl = await templateId(prisma, 'b2c-promo');
    const created = await api('POST', '/campaigns', { name: 'slow one', templateId: tpl, segmentId });
    await api('POST', `/campaigns/${created.body.id}/schedule`);
    const sentFor = () => prisma.message.count({ where: { campaignId: created.body.id, status: 'sent' } });
    await waitFor(async () => (await sentFor()) >= 5, 20_000, 'the first messages');
    expect((await api('POST', `/campaigns/${created.body.id}/pause`)).body.status).toBe('paused');
    // The messages in flight at the pause settle: each either went out (sent) or, refused at
    // the commit step, is queued again. No fixed wait: a state that only the pause explains.
    await waitFor(async () => (await inFlight(created.body.id)) === 0, 20_000, 'no message of the paused run sending or committing');
    const whilePaused = await sentFor();
    expect(whilePaused).toBeLessThan(40);
    // Everyone not sent waits as queued, and the sink holds exactly the sent ones.
    expect(await prisma.message.count({ where: { campaignId: created.body.id, status: 'queued' } })).toBe(40 - whilePaused);
    expect(await receivedFor(created.body.id)).toBe(whilePaused);
    expect((await runOf(created.body.id)).map((r) => r.status)).toEqual(['paused']);

    expect((await api('POST', `/campaigns/${created.body.id}/resume`)).body.status).toBe('running');
    await waitForRun(created.body.id, 'completed');
    expect(await sentFor()).toBe(40);
    const ids = sink.messages.map((m) => m.otklikId);
    expect(new Set(ids).size).toBe(ids.length); // nobody got a second copy

    // Cancel: the rest of the audience is never sent.
    await makeCustomers(prisma, 'cancel-me', 40);
    const second = await api('POST', '/campaigns', {
      name: 'to cancel',
      templateId: tpl,
      segmentId: await segmentByTag(prisma, 'cancel-me'),
    });
    await api('POST', `/campaigns/${second.body.id}/schedule`);
    const sentSecond = () => prisma.message.count({ where: { campaignId: second.body.id, status: 'sent' } });
    await waitFor(async () => (await sentSecond()) >= 3, 20_000, 'the first messages of the second campaign');
    expect((await api('POST', `/campaigns/${second.body.id}/cancel`)).body.status).toBe('cancelled');
    // Every message ends sent or cancelled (the ones in flight are refused at the commit step),
    // and the sink holds exactly the sent ones: nothing can arrive later, none is left to send.
    const cancelledSecond = () => prisma.message.count({ where: { campaignId: second.body.id, status: 'cancelled' } });
    await waitFor(
      async () => (await sentSecond()) + (await cancelledSecond()) === 40,
      20_000,
      'each message of the cancelled run sent or cancelled',
    );
    const afterCancel = await sentSecond();
    expect(afterCancel).toBeLessThan(40);
    expect(await inFlight(second.body.id)).toBe(0);
    expect(await receivedFor(second.body.id)).toBe(afterCancel);
    expect((await api('POST', `/campaigns/${second.body.id}/resume`)).status).toBe(409);
    sink.delayMs = 0;
  });

  it('creates exactly one run per occurrence of a recurring schedule', async () => {
    await makeCustomers(prisma, 'monthly', 2);
    // b2b-monthly promises a price list: the pre-flight refuses it without one attached
    const priceList = await api('POST', '/attachments', {
      filename: 'Прайс-лист.xlsx',
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      contentBase64: Buffer.from('PK the price list').toString('base64'),
    });
    expect(priceList.status).toBe(201);
    const created = await api('POST', '/campaigns', {
      name: 'B2B monthly',
      templateId: await templateId(prisma, 'b2b-monthly'),
      segmentId: await segmentByTag(prisma, 'monthly'),
      attachmentIds: [priceList.body.id],
      schedule: { kind: 'recurring', cron: '0 10 * * 1#1', timeZone: 'Europe/Moscow' },
      data: { priceListName: 'Опт', catalogUrl: 'https://shop.example.com/b2b' },
    });
    expect(created.status).toBe(201);
    const campaigns = t.app.get(CampaignsService);
    await campaigns.schedule(created.body.id, new Date('2026-11-23T00:00:00Z'));
    expect((await api('GET', `/campaigns/${created.body.id}`)).body.nextRunAt).toBe('2026-12-07T07:00:00.000Z');

    expect((await campaigns.tick(new Date('2026-12-07T06:59:00Z'))).started).toHaveLength(0);
    // Two schedulers ticking at the same moment start one run between them.
    const [a, b] = await Promise.all([campaigns.tick(new Date('2026-12-07T07:00:30Z')), campaigns.tick(new Date('2026-12-07T07:00:30Z'))]);
    expect(a.started.length + b.started.length).toBe(1);
    expect((await campaigns.tick(new Date('2026-12-07T07:01:00Z'))).started).toHaveLength(0);
    await waitForRun(created.body.id, 'completed');
    expect((await api('GET', `/campaigns/${created.body.id}`)).body).toMatchObject({
      status: 'scheduled',
      nextRunAt: '2027-01-04T07:00:00.000Z',
    });
    expect((await campaigns.tick(new Date('2027-01-04T07:00:00Z'))).started).toHaveLength(1);
    await waitFor(
      async () => (await runOf(created.body.id)).filter((r) => r.status === 'completed').length === 2,
      30_000,
      'the second run',
    );
    const runs = await runOf(created.body.id);
    expect(runs.map((r) => r.status)).toEqual(['completed', 'completed']);
    expect(runs.map((r) => r.messages.sent)).toEqual([2, 2]);
  });

  it('sends one transactional message now, once per idempotency key', async () => {
    const [customer] = await makeCustomers(prisma, 'tx', 1, { consent: null });
    const body = {
      template: 'order-created',
      customerId: customer.id,
      data: { orderNumber: 'A-17' },
      idempotencyKey: 'order-A-17-created',
    };
    const first = await api('POST', '/messages', body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ lane: 'transactional', duplicate: false });
    const again = await api('POST', '/messages', body);
    expect(again.body).toMatchObject({ id: first.body.id, duplicate: true });
    await waitFor(async () => (await api('GET', `/messages/${first.body.id}`)).body.status === 'sent', 20_000, 'the transactional message');
    // Only once: one row for the two requests (a second send would need a second row), and
    // the sink got that row's message once (it is recorded at the sink before "sent").
    expect(await prisma.message.count({ where: { customerId: customer.id } })).toBe(1);
    const received = sink.messages.filter((m) => m.otklikId === String(first.body.id));
    expect(received).toHaveLength(1); // sent without marketing consent, and only once
    const raw = received[0].raw.toString('latin1');
    expect(raw).not.toMatch(/^List-Unsubscribe-Post:/m);
    const bad = await api('POST', '/messages', { template: 'order-created', to: 'not an address' });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toBe('to');
  });

  it("keeps to its provider's limit of messages per second", async () => {
    const customers = await makeCustomers(prisma, 'limited', 10);
    const provider = await prisma.provider.create({
      data: { name: 'limited relay', channel: 'email', kind: 'smtp', config: { url: sink.url }, perSecond: 2 },
    });
    const sender = await prisma.sender.create({
      data: { name: 'limited sender', fromAddress: 'news@shop.example', providerId: provider.id },
    });
    const campaign = await api('POST', '/campaigns', {
      name: 'limited',
      channel: 'email',
      templateId: await templateId(prisma, 'b2c-promo'),
      segmentId: await segmentByTag(prisma, 'limited'),
      senderId: sender.id,
      schedule: { kind: 'now' },
    });
    expect(campaign.status).toBe(201);
    const before = sink.messages.length;
    expect((await api('POST', `/campaigns/${campaign.body.id}/schedule`)).status).toBe(201);
    await waitForRun(campaign.body.id, 'completed', 60_000);
    const arrived = sink.messages.slice(before).filter((m) => customers.some((c) => m.to.includes(c.email)));
    expect(arrived).toHaveLength(10);
    expect(new Set(arrived.map((m) => m.otklikId)).size).toBe(10);
    // 10 at 2 a second fill five one-second windows: the first and the last arrival lie more than
    // three seconds apart, less the jitter of sending (unlimited, they arrive within ~0.2 s).
    const times = arrived.map((m) => m.at);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(2500);
  });

  it('rejects a bad campaign with the fields named', async () => {
    const bad = await api('POST', '/campaigns', {
      name: '',
      templateId: 999999,
      segmentId: 1,
      schedule: { kind: 'recurring', cron: '0 25 * * *' },
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'schedule.cron']));
    const missing = await api('POST', '/campaigns', { name: 'x', templateId: 999999, segmentId: 999999 });
    expect(missing.status).toBe(400);
    expect(missing.body.issues.map((i: { path: string }) => i.path)).toEqual(['templateId', 'segmentId']);
  });
});
