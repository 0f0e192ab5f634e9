// The feedback loop end to end: messages sent with a real SMTP client to the inbound server,
// stored, classified by the worker and applied to the base; the admin API lists and undoes.
import { ConfigService } from '@nestjs/config';
import { PrismaService } from '../../src/database/prisma.service';
import { FeedbackService } from '../../src/feedback/feedback.service';
import { InboundSmtpServer } from '../../src/feedback/intake/inbound-smtp.server';
import { waitFor } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';
import { AddressChangesService } from '../../src/feedback/address-changes.service';
import { InboundRepository } from '../../src/feedback/inbound.repository';
import { secretKeys } from '../../src/config/config.module';
import {
  arfComplaint,
  BOUNCE_DOMAIN,
  bounceTo,
  dsn,
  lastInboundId,
  processed,
  reply,
  runningCampaign,
  sentMessage,
  smtpSend,
  unsubscribeTo,
  useKeys,
} from './feedback-fixtures';

let t: TestApp;
let prisma: PrismaService;
let port: number;
let admin: string;
let viewer: string;

async function api(method: string, path: string, key = admin, body?: unknown) {
  const response = await fetch(`${t.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Sends one message to the inbound server and waits for the worker to finish with it. */
async function deliver(envelope: { from: string; to: string[] }, raw: string | Buffer) {
  const start = await lastInboundId(prisma);
  const response = await smtpSend(port, envelope, raw);
  expect(response).toMatch(/^250 .*Stored as inbound \d+/);
  return processed(prisma, { after: start });
}
const suppressionOf = (address: string) => prisma.suppression.findFirst({ where: { channel: 'email', address } });
const consentOf = (customerId: number) => prisma.consent.findUnique({ where: { customerId_channel: { customerId, channel: 'email' } } });

beforeAll(async () => {
  t = await startTestApp({
    INBOUND_SMTP_PORT: '0',
    BOUNCE_DOMAIN,
    MAIL_FROM: 'news@shop.example',
    INBOUND_REPLY_ADDRESSES: 'sales@shop.example',
  });
  prisma = t.app.get(PrismaService);
  useKeys(secretKeys(t.app.get(ConfigService)));
  port = t.app.get(InboundSmtpServer).port as number;
  admin = await t.key('admin');
  viewer = await t.key('viewer');
});

afterAll(async () => {
  await t?.close();
});

describe('inbound SMTP intake', () => {
  it('refuses recipients that are not ours', async () => {
    await expect(smtpSend(port, { from: 'x@else.example', to: ['someone@else.example'] }, 'Subject: hi\r\n\r\nhello\r\n')).rejects.toThrow(
      /550|No such mailbox/,
    );
    await expect(
      smtpSend(port, { from: 'x@else.example', to: [`bounces+1@evil.example`] }, 'Subject: hi\r\n\r\nhello\r\n'),
    ).rejects.toThrow(/550/);
  });
});

describe('bounces', () => {
  it('a hard-bounce DSN suppresses the address, marks it invalid and shows in the bounce listing', async () => {
    const campaign = await runningCampaign(prisma, 'hard bounce');
    const sent = await sentMessage(prisma, 'gone.user@mail.example', campaign);
    const inbound = await deliver(
      { from: '', to: [bounceTo(sent.messageId)] },
      dsn({
        messageId: sent.messageId,
        to: sent.email,
        status: '5.1.1',
        diagnostic: '550 5.1.1 <gone.user@mail.example>: Recipient address rejected: User unknown in virtual mailbox table',
      }),
    );
    expect(inbound).toMatchObject({
      status: 'applied',
      kind: 'bounce',
      source: 'smtp',
      envelopeFrom: null,
      messageId: sent.messageId,
      customerId: sent.customerId,
      campaignId: campaign.campaignId,
    });
    expect(await suppressionOf(sent.email)).toMatchObject({ reason: 'hard_bounce', customerId: sent.customerId, evidenceId: inbound.id });
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: sent.customerId } })).emailValid).toBe(false);
    expect((await prisma.message.findUniqueOrThrow({ where: { id: sent.messageId } })).status).toBe('hard_bounced');

    const listing = await api('GET', `/feedback/bounces?campaignId=${campaign.campaignId}`, viewer);
    expect(listing.status).toBe(200);
    expect(listing.body.items).toEqual([
      expect.objectContaining({
        address: sent.email,
        hard: true,
        reason: 'userunknown',
        statusCode: '5.1.1',
        evidence: expect.objectContaining({
          rule: 'text:userunknown',
          status: '5.1.1',
          matchedLine: expect.stringContaining('User unknown'),
        }),
        messageId: String(sent.messageId),
        inboundMessageId: String(inbound.id),
      }),
    ]);
    const log = await api('GET', `/feedback/cleanup-log?inboundId=${inbound.id}`, viewer);
    expect(log.body.items).toEqual([
      expect.objectContaining({ action: 'invalidated', address: sent.email, reason: 'userunknown', inboundMessageId: String(inbound.id) }),
    ]);
  });

  it('a policy block is a soft bounce: the good address stays', async () => {
    const sent = await sentMessage(prisma, 'blocked.user@mail.example');
    const inbound = await deliver(
      { from: '', to: [bounceTo(sent.messageId)] },
      dsn({
        messageId: sent.messageId,
        to: sent.email,
        status: '5.7.1',
        diagnostic: '550 5.7.1 Message rejected as spam by Content Filtering',
      }),
    );
    expect(inbound.kind).toBe('bounce');
    const bounce = await prisma.bounce.findFirstOrThrow({ where: { inboundMessageId: inbound.id } });
    expect(bounce.hard).toBe(false);
    expect(bounce.evidence).toMatchObject({ rule: 'text:spamdetected', status: '5.7.1', matchedLine: expect.stringContaining('spam') });
    expect(await suppressionOf(sent.email)).toBeNull();
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: sent.customerId } })).emailValid).toBe(true);
  });

  it('three soft bounces within the window suppress the address; a delivery in between resets the count', async () => {
    const first = await sentMessage(prisma, 'full.box@mail.example');
    const more = [];
    for (let i = 0; i < 3; i++) {
      const message = await prisma.message.create({
        data: { channel: 'email', customerId: first.customerId, status: 'sent', sentAt: new Date() },
        select: { id: true },
      });
      more.push(message.id);
    }
    const ids = [first.messageId, ...more];
    const softBounce = async (messageId: bigint) => {
      return deliver(
        { from: '', to: [bounceTo(messageId)] },
        dsn({ messageId, to: first.email, status: '4.2.2', diagnostic: '452 4.2.2 Mailbox full: quota exceeded' }),
      );
    };

    await softBounce(ids[0]);
    // A later delivery proves the mailbox works again: counting starts afresh.
    await prisma.message.update({ where: { id: ids[1] }, data: { status: 'delivered', deliveredAt: new Date() } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await softBounce(ids[2]);
    expect(await suppressionOf(first.email)).toBeNull();
    await softBounce(ids[3]);
    expect(await suppressionOf(first.email)).toBeNull();

    // Three soft bounces since the delivery, on three messages: suppressed.
    const fourth = await prisma.message.create({
      data: { channel: 'email', customerId: first.customerId, status: 'sent', sentAt: new Date() },
      select: { id: true },
    });
    const last = await softBounce(fourth.id);
    expect(await suppressionOf(first.email)).toMatchObject({ reason: 'soft_bounce_repeated', evidenceId: last.id });
    const entries = await prisma.cleanupLogEntry.findMany({
      where: { customerId: first.customerId },
      orderBy: { id: 'asc' },
      select: { action: true, details: true },
    });
    expect(entries.map((e) => e.action)).toEqual(['soft_bounce_counted', 'soft_bounce_counted', 'soft_bounce_counted', 'suppressed']);
    expect(entries.map((e) => (e.details as { count: number }).count)).toEqual([1, 1, 2, 3]);
    // Soft bounces never mark the address invalid.
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: first.customerId } })).emailValid).toBe(true);
  });

  it('applies a message once even when its job runs twice, or twice at once', async () => {
    const sent = await sentMessage(prisma, 'twice@mail.example');
    const inbound = await deliver(
      { from: '', to: [bounceTo(sent.messageId)] },
      dsn({ messageId: sent.messageId, to: sent.email, status: '5.1.1', diagnostic: '550 5.1.1 No such user' }),
    );
    const feedback = t.app.get(FeedbackService);
    expect((await feedback.process(inbound.id)).outcome).toBe('already done');
    expect(await prisma.bounce.count({ where: { inboundMessageId: inbound.id } })).toBe(1);

    // The same DSN stored again without a job, then processed by two jobs at once.
    const copy = await t.app.get(InboundRepository).insert({
      source: 'api',
      raw: Buffer.from(inbound.raw),
      rawSize: inbound.rawSize,
      truncated: false,
      envelopeFrom: null,
      envelopeTo: inbound.envelopeTo,
      status: 'received',
      error: null,
    });
    const outcomes = await Promise.all([feedback.process(copy), feedback.process(copy)]);
    expect(outcomes.map((o) => o.outcome)).toContain('applied');
    expect((await feedback.process(copy)).outcome).toBe('already done');
    expect(await prisma.bounce.count({ where: { inboundMessageId: copy } })).toBe(1);
    expect(await prisma.cleanupLogEntry.count({ where: { inboundMessageId: copy } })).toBe(1);
  });
});

describe('complaints and replies', () => {
  it('an ARF complaint unsubscribes the recipient from bulk email and records the complaint', async () => {
    const campaign = await runningCampaign(prisma, 'complaint');
    const sent = await sentMessage(prisma, 'angry@mail.example', campaign);
    const inbound = await deliver(
      { from: 'fbl@mail.example', to: [`abuse@${BOUNCE_DOMAIN}`] },
      arfComplaint({ messageId: sent.messageId, to: sent.email }),
    );
    expect(inbound).toMatchObject({ status: 'applied', kind: 'complaint', messageId: sent.messageId, campaignId: campaign.campaignId });
    expect(await consentOf(sent.customerId)).toMatchObject({ status: 'opted_out' });
    expect(await suppressionOf(sent.email)).toMatchObject({ reason: 'complaint', evidenceId: inbound.id });
    const complaints = await api('GET', `/feedback/complaints?kind=feedback_loop&campaignId=${campaign.campaignId}`, viewer);
    expect(complaints.body.items).toEqual([
      expect.objectContaining({
        kind: 'feedback_loop',
        feedbackType: 'abuse',
        customerId: sent.customerId,
        messageId: String(sent.messageId),
      }),
    ]);
    expect((await prisma.message.findUniqueOrThrow({ where: { id: sent.messageId } })).status).toBe('complained');
  });

  it('an out-of-office reply changes nothing but is logged', async () => {
    const sent = await sentMessage(prisma, 'vacation@mail.example');
    const before = await prisma.customer.findUniqueOrThrow({ where: { id: sent.customerId } });
    const inbound = await deliver(
      { from: sent.email, to: ['news@shop.example'] },
      reply({
        messageId: sent.messageId,
        from: sent.email,
        subject: 'Автоответ: Ноябрьские цены',
        body: 'Здравствуйте! Я в отпуске до 1 декабря, с ограниченным доступом к почте. Отвечу по возвращении.',
        extraHeaders: ['Auto-Submitted: auto-replied', 'X-Autoreply: yes'],
      }),
    );
    expect(inbound).toMatchObject({ status: 'applied', kind: 'autoreply', customerId: sent.customerId, messageId: sent.messageId });
    expect(await suppressionOf(sent.email)).toBeNull();
    expect(await consentOf(sent.customerId)).toMatchObject({ status: 'opted_in' });
    expect(await prisma.customer.findUniqueOrThrow({ where: { id: sent.customerId } })).toEqual(before);
    expect((await prisma.message.findUniqueOrThrow({ where: { id: sent.messageId } })).status).toBe('sent');
    expect(await prisma.lead.count({ where: { inboundMessageId: inbound.id } })).toBe(0);
    const log = await prisma.cleanupLogEntry.findMany({ where: { inboundMessageId: inbound.id } });
    expect(log).toEqual([expect.objectContaining({ action: 'noted', reason: 'auto-reply', customerId: sent.customerId })]);
  });

  it('a Russian reply asking for a price becomes a lead linked to its campaign', async () => {
    // A real campaign through the capture outbox: the reply quotes the Message-ID we sent.
    const customer = await prisma.customer.create({
      data: { email: 'buyer@company.example', firstName: 'Ольга', tags: ['lead-test'] },
      select: { id: true },
    });
    await prisma.consent.create({ data: { customerId: customer.id, channel: 'email', status: 'opted_in', source: 'test' } });
    const template = await prisma.template.findFirstOrThrow({ where: { key: 'b2c-promo', channel: 'email' }, select: { id: true } });
    const segment = await prisma.segment.create({ data: { name: 'lead test', rules: { field: 'tags', op: 'has', value: 'lead-test' } } });
    const marketer = await t.key('marketer');
    const created = await api('POST', '/campaigns', marketer, { name: 'Ноябрьские цены', templateId: template.id, segmentId: segment.id });
    expect(created.status).toBe(201);
    await api('POST', `/campaigns/${created.body.id}/schedule`, marketer);
    const outbox = await waitFor(
      () => prisma.outboxMessage.findFirst({ where: { toAddress: 'buyer@company.example' } }),
      20_000,
      'the campaign email',
    );
    const messageIdHeader = (outbox.headers as Record<string, string>)['Message-ID'];
    expect(messageIdHeader).toMatch(/^<otk\.\d+\.[0-9a-f]{16}@bounces\.shop\.example>$/);

    const body = [
      'Добрый день, пришлите цену на 20 коробок бумаги А4 с доставкой до Казани.',
      '',
      'С уважением,',
      'Ольга Смирнова',
      'менеджер по закупкам',
      '',
      '23.11.2026 10:00, Магазин пишет:',
      '> Скидки недели на канцелярию',
    ].join('\r\n');
    const inbound = await deliver(
      { from: 'buyer@company.example', to: ['news@shop.example'] },
      reply({ messageId: outbox.messageId as bigint, from: 'Ольга <buyer@company.example>', subject: 'Re: Скидки недели', body }),
    );
    expect(inbound).toMatchObject({ status: 'applied', kind: 'reply', campaignId: created.body.id, customerId: customer.id });
    const leads = await api('GET', `/feedback/leads?campaignId=${created.body.id}`, viewer);
    expect(leads.body.items).toEqual([
      expect.objectContaining({
        status: 'new',
        customerId: customer.id,
        campaignId: created.body.id,
        messageId: String(outbox.messageId),
        fromAddress: 'buyer@company.example',
        inboundMessageId: String(inbound.id),
      }),
    ]);
    expect(leads.body.items[0].text).toContain('пришлите цену на 20 коробок');
    expect(leads.body.items[0].text).not.toContain('Скидки недели');
  });

  it('a reply that says the person left proposes the new address; confirming it retires the old one and creates the contact', async () => {
    const sent = await sentMessage(prisma, 'old.manager@company.example');
    await prisma.customer.update({ where: { id: sent.customerId }, data: { companyName: 'ООО Ромашка' } });
    const inbound = await deliver(
      { from: sent.email, to: ['news@shop.example'] },
      reply({
        messageId: sent.messageId,
        from: sent.email,
        subject: 'Re: Ноябрьские цены',
        body: 'Добрый день! Я больше не работаю в компании. Пишите, пожалуйста, на new.manager@company.example',
      }),
    );
    // Nothing changes yet: the old address stays until the new one confirms.
    const logged = await prisma.cleanupLogEntry.findMany({ where: { inboundMessageId: inbound.id }, orderBy: { id: 'asc' } });
    expect(logged.map((a) => a.action)).toEqual(['address_change_proposed']);
    expect(await prisma.customer.findFirst({ where: { email: 'new.manager@company.example' } })).toBeNull();
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: sent.customerId } })).emailValid).toBe(true);
    const proposal = await prisma.addressChangeProposal.findFirstOrThrow({ where: { inboundMessageId: inbound.id } });
    expect(proposal).toMatchObject({
      customerId: sent.customerId,
      oldAddress: sent.email,
      newAddress: 'new.manager@company.example',
      proven: true,
      status: 'pending',
    });
    // The reply was proven (our MAC'd Message-ID, From is the recipient): the new address gets a confirmation email.
    await waitFor(
      () => prisma.outboxMessage.findFirst({ where: { toAddress: 'new.manager@company.example' } }),
      20_000,
      'the confirmation email',
    );

    const confirmUrl = t.app.get(AddressChangesService).confirmUrl(proposal.id);
    const page = await fetch(confirmUrl.replace(/^https?:\/\/[^/]+/, t.url));
    expect(page.status).toBe(200);
    expect(await prisma.addressChangeProposal.findUniqueOrThrow({ where: { id: proposal.id } })).toMatchObject({ status: 'pending' }); // a GET (a mail scanner) confirms nothing
    const confirmed = await fetch(confirmUrl.replace(/^https?:\/\/[^/]+/, t.url), { method: 'POST' });
    expect(confirmed.status).toBe(200);

    const actions = await prisma.cleanupLogEntry.findMany({ where: { inboundMessageId: inbound.id }, orderBy: { id: 'asc' } });
    expect(actions.map((a) => a.action)).toEqual(['address_change_proposed', 'retired', 'contact_created']);
    const contact = await prisma.customer.findFirstOrThrow({ where: { email: 'new.manager@company.example' } });
    expect(contact.companyName).toBe('ООО Ромашка');
    expect(await prisma.consent.count({ where: { customerId: contact.id } })).toBe(0);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: sent.customerId } })).emailValid).toBe(false);
    expect(await prisma.addressChangeProposal.findUniqueOrThrow({ where: { id: proposal.id } })).toMatchObject({
      status: 'confirmed',
      contactId: contact.id,
    });
    expect((await fetch(confirmUrl.replace(/^https?:\/\/[^/]+/, t.url), { method: 'POST' })).status).toBe(200); // already confirmed: nothing twice
    expect(await prisma.cleanupLogEntry.count({ where: { inboundMessageId: inbound.id } })).toBe(3);
  });

  it('a reply asking to stop writing unsubscribes; so does mail to the List-Unsubscribe mailbox', async () => {
    const a = await sentMessage(prisma, 'stop.writing@mail.example');
    await deliver(
      { from: a.email, to: ['news@shop.example'] },
      reply({ messageId: a.messageId, from: a.email, subject: 'Re: Акция', body: 'Больше не пишите нам, пожалуйста.' }),
    );
    expect(await suppressionOf(a.email)).toMatchObject({ reason: 'unsubscribe' });
    expect(await consentOf(a.customerId)).toMatchObject({ status: 'opted_out' });

    const b = await sentMessage(prisma, 'mailto.unsub@mail.example');
    await deliver(
      { from: b.email, to: [unsubscribeTo(b.messageId)] },
      `From: ${b.email}\r\nTo: ${unsubscribeTo(b.messageId)}\r\nSubject: unsubscribe\r\n\r\n\r\n`,
    );
    expect(await suppressionOf(b.email)).toMatchObject({ reason: 'unsubscribe', customerId: b.customerId });
  });
});

describe('hostile input', () => {
  it('stores truncated, broken and binary messages as unclassified and keeps serving', async () => {
    const sent = await sentMessage(prisma, 'hostile@mail.example');
    const start = await lastInboundId(prisma);
    const truncatedMime = [
      'From: MAILER-DAEMON@mx.mail.example',
      `To: ${bounceTo(sent.messageId)}`,
      'Content-Type: multipart/report; report-type=delivery-status; boundary="never-closed',
      'Content-Transfer-Encoding: base64',
      '',
      '--never-closed',
      'Content-Type: message/delivery-status',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Final-Recipient: rfc822; =?x-unknown?Q?=FF=FE=',
    ].join('\r\n');
    const binary = Buffer.alloc(4096);
    for (let i = 0; i < binary.length; i++) binary[i] = (i * 131 + 7) % 256;
    for (const raw of [
      truncatedMime,
      binary,
      '\r\n\r\n',
      'Subject: =?utf-8?B?////?=\r\nContent-Type: text/plain; charset=no-such-charset\r\n\r\n\xff\xfe\x00',
    ]) {
      await expect(smtpSend(port, { from: '', to: [bounceTo(sent.messageId)] }, raw)).resolves.toMatch(/^250/);
    }
    const rows = await waitFor(
      async () => {
        const found = await prisma.inboundMessage.findMany({ where: { id: { gt: start } }, orderBy: { id: 'asc' } });
        return found.length === 4 && found.every((r) => r.status !== 'received') ? found : null;
      },
      20_000,
      'four hostile messages processed',
    );
    // Truncated MIME that still names the recipient and a message may be read; nothing is lost, nothing crashes.
    for (const row of rows) expect(['unclassified', 'applied']).toContain(row.status);
    expect(rows.filter((r) => r.status === 'unclassified').length).toBeGreaterThanOrEqual(2);
    for (const row of rows.filter((r) => r.status === 'unclassified')) expect(row.error).toEqual(expect.any(String));
    expect(rows[1].rawSize).toBeGreaterThanOrEqual(binary.length);

    // Still serving: a normal DSN right after is applied.
    const next = await sentMessage(prisma, 'after.hostile@mail.example');
    expect(
      await deliver(
        { from: '', to: [bounceTo(next.messageId)] },
        dsn({ messageId: next.messageId, to: next.email, status: '5.1.1', diagnostic: '550 5.1.1 User unknown' }),
      ),
    ).toMatchObject({ status: 'applied', kind: 'bounce' });
  });

  it('stores the first INBOUND_MAX_BYTES of a message with a 50 MB attachment, marked truncated and unclassified', async () => {
    const sent = await sentMessage(prisma, 'huge@mail.example');
    const attachment = Buffer.alloc(50 * 1024 * 1024, 0x41)
      .toString('base64')
      .replace(/.{76}/g, '$&\r\n');
    const raw = [
      `From: ${sent.email}`,
      'To: news@shop.example',
      'Subject: huge',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: application/octet-stream',
      'Content-Transfer-Encoding: base64',
      '',
      attachment,
      '--b--',
      '',
    ].join('\r\n');
    const start = await lastInboundId(prisma);
    await expect(smtpSend(port, { from: sent.email, to: ['news@shop.example'] }, raw)).resolves.toMatch(/^250/);
    const row = await waitFor(
      () =>
        prisma.inboundMessage.findFirst({
          where: { id: { gt: start } },
          select: { id: true, status: true, truncated: true, rawSize: true, error: true },
        }),
      20_000,
      'the huge message',
    );
    expect(row).toMatchObject({ status: 'unclassified', truncated: true, rawSize: raw.length });
    expect(row.error).toMatch(/over INBOUND_MAX_BYTES/);
    const stored = await prisma.$queryRaw<
      Array<{ n: number }>
    >`SELECT octet_length(raw)::int AS n FROM inbound_messages WHERE id = ${row.id}`;
    expect(stored[0].n).toBe(25 * 1024 * 1024);
  }, 120_000);
});

describe('admin review and undo', () => {
  it('undo of a hard bounce lifts the suppression and makes the address valid again; only admins may undo, once', async () => {
    const sent = await sentMessage(prisma, 'wrongly.bounced@mail.example');
    const inbound = await deliver(
      { from: '', to: [bounceTo(sent.messageId)] },
      dsn({ messageId: sent.messageId, to: sent.email, status: '5.1.1', diagnostic: '550 5.1.1 User unknown' }),
    );
    const [entry] = (await api('GET', `/feedback/cleanup-log?inboundId=${inbound.id}`, viewer)).body.items;
    expect(entry.action).toBe('invalidated');

    expect((await api('POST', `/feedback/cleanup-log/${entry.id}/undo`, viewer)).status).toBe(403);
    expect((await api('POST', `/feedback/cleanup-log/${entry.id}/undo`, await t.key('marketer'))).status).toBe(403);
    const undone = await api('POST', `/feedback/cleanup-log/${entry.id}/undo`, admin);
    expect(undone.status).toBe(201);
    expect(undone.body.restored).toEqual([
      expect.stringMatching(/^suppression \d+ lifted$/),
      `customer ${sent.customerId} email valid again`,
    ]);
    expect(await suppressionOf(sent.email)).toBeNull();
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: sent.customerId } })).emailValid).toBe(true);
    const again = await api('POST', `/feedback/cleanup-log/${entry.id}/undo`, admin);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already undone/);
    expect((await api('POST', '/feedback/cleanup-log/999999/undo', admin)).status).toBe(404);
  });

  it('undo of an unsubscribe restores the consent and the address', async () => {
    const sent = await sentMessage(prisma, 'changed.mind@mail.example');
    const inbound = await deliver(
      { from: sent.email, to: ['news@shop.example'] },
      reply({ messageId: sent.messageId, from: sent.email, subject: 'Re: Распродажа', body: 'Отпишите меня от рассылки.' }),
    );
    const entry = await prisma.cleanupLogEntry.findFirstOrThrow({ where: { inboundMessageId: inbound.id, action: 'unsubscribed' } });
    expect((await api('POST', `/feedback/cleanup-log/${entry.id}/undo`, admin)).status).toBe(201);
    expect(await suppressionOf(sent.email)).toBeNull();
    expect(await consentOf(sent.customerId)).toMatchObject({ status: 'opted_in' });
    const history = await prisma.consentEvent.findMany({
      where: { customerId: sent.customerId },
      orderBy: { id: 'asc' },
      select: { status: true },
    });
    expect(history.map((h) => h.status)).toEqual(['opted_out', 'opted_in']);
  });

  it('lists inbound messages without their raw bytes and rejects bad filters with the field named', async () => {
    const list = await api('GET', '/feedback/inbound?status=applied&limit=5', viewer);
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThan(0);
    expect(list.body.items[0].raw).toBeUndefined();
    const bad = await api('GET', '/feedback/inbound?status=eaten', viewer);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('query.status');
  });
});

describe('campaign guard', () => {
  it('pauses a running campaign whose hard-bounce rate passes 5% after 1,000 sent, with the reason in its status', async () => {
    const campaign = await runningCampaign(prisma, 'guarded');
    await prisma.$executeRaw`
      INSERT INTO messages (channel, campaign_id, run_id, status, sent_at, to_address)
      SELECT 'email', ${campaign.campaignId}, ${campaign.runId}, 'sent', now(), 'guard.' || g || '@mail.example' FROM generate_series(1, 999) g`;
    // 50 hard bounces already known (5.0%: at the limit, not past it).
    await prisma.$executeRaw`
      INSERT INTO bounces (channel, address, hard, reason, campaign_id, message_id)
      SELECT 'email', to_address, true, 'userunknown', campaign_id, id FROM messages WHERE campaign_id = ${campaign.campaignId} ORDER BY id LIMIT 50`;
    const last = await sentMessage(prisma, 'guard.last@mail.example', campaign);
    expect((await api('GET', `/campaigns/${campaign.campaignId}`, viewer)).body.status).toBe('running');

    await deliver(
      { from: '', to: [bounceTo(last.messageId)] },
      dsn({ messageId: last.messageId, to: last.email, status: '5.1.1', diagnostic: '550 5.1.1 User unknown' }),
    );
    const paused = await waitFor(
      async () => {
        const body = (await api('GET', `/campaigns/${campaign.campaignId}`, viewer)).body;
        return body.status === 'paused' ? body : null;
      },
      5_000,
      'the campaign paused',
    );
    expect(paused.statusReason).toBe('paused by the campaign guard: hard-bounce rate 5.1% (51 of 1000 sent) passed 5%');
    expect((await prisma.campaignRun.findUniqueOrThrow({ where: { id: campaign.runId } })).status).toBe('paused');
  });
});

describe('inbound SMS', () => {
  it('STOP, СТОП and ОТПИСАТЬСЯ unsubscribe the number from SMS; a bad token is refused', async () => {
    const url = (await api('GET', '/feedback/sms/webhook-url', admin)).body.url as string;
    const path = new URL(url).pathname;
    for (const [phone, text] of [
      ['+79161234501', 'STOP'],
      ['+79161234502', 'Стоп!'],
      ['+79161234503', 'ОТПИСАТЬСЯ'],
    ]) {
      const customer = await prisma.customer.create({ data: { phone, firstName: 'Анна' }, select: { id: true } });
      await prisma.consent.create({ data: { customerId: customer.id, channel: 'sms', status: 'opted_in', source: 'test' } });
      const response = await fetch(`${t.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ phone: phone.replace('+7', '8'), message: text }),
      });
      expect(response.status).toBe(200);
      const { id } = (await response.json()) as { id: string };
      const row = await waitFor(
        () => prisma.inboundMessage.findFirst({ where: { id: BigInt(id), status: { not: 'received' } } }),
        20_000,
        `SMS ${id} processed`,
      );
      expect(row).toMatchObject({ source: 'sms', status: 'applied', kind: 'reply', customerId: customer.id });
      expect(await prisma.suppression.findFirst({ where: { channel: 'sms', address: phone } })).toMatchObject({ reason: 'unsubscribe' });
      expect(await prisma.consent.findUnique({ where: { customerId_channel: { customerId: customer.id, channel: 'sms' } } })).toMatchObject(
        { status: 'opted_out' },
      );
    }
    const forged = await fetch(`${t.url}/webhooks/sms/inbound/bm9wZQ.AAAAAAAAAAAAAAAAAAAAAA`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: '+79161234509', text: 'STOP' }),
    });
    expect(forged.status).toBe(401);
    const missing = await fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: '+79161234509' }),
    });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('text');
  });
});
