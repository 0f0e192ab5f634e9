// The feedback loop attacked from outside, as issue 16 found it: a stranger with only an SMTP
// client to the inbound server (no key, no login) tries to suppress, unsubscribe or re-address
// the base. Each attack changes nobody; the same feedback about a message Otklik really sent
// (through a real SMTP relay, read back with an independent parser) still acts.
import { ConfigService } from '@nestjs/config';
import { simpleParser, type ParsedMail } from 'mailparser';
import { secretKeys } from '../../src/config/config.module';
import { PrismaService } from '../../src/database/prisma.service';
import { InboundSmtpServer } from '../../src/feedback/intake/inbound-smtp.server';
import { arfReport, BOUNCE_DOMAIN, lastInboundId, processed, smtpSend, useKeys } from '../feedback/feedback-fixtures';
import { keyedApi, type KeyedApi } from '../support/api-call';
import { startSmtpSink, waitFor, type SmtpSink } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let api: KeyedApi;
let sink: SmtpSink;
let prisma: PrismaService;
let port: number;
let admin: string;

/** Sends one message to the inbound server and waits until the worker is done with it. */
async function deliver(envelope: { from: string; to: string[] }, raw: string) {
  const start = await lastInboundId(prisma);
  expect(await smtpSend(port, envelope, raw)).toMatch(/^250 .*Stored as inbound \d+/);
  return processed(prisma, { after: start });
}

let seq = 0;
/** A customer with email consent. */
async function customer(email: string) {
  const row = await prisma.customer.create({ data: { email, firstName: 'Анна', companyName: 'ООО Ромашка' }, select: { id: true } });
  await prisma.consent.create({ data: { customerId: row.id, channel: 'email', status: 'opted_in', source: 'test' } });
  return { id: row.id, email };
}

interface Received {
  customerId: number;
  email: string;
  messageId: bigint;
  /** The envelope sender the relay saw (our VERP return path). */
  returnPath: string;
  /** The Message-ID header, with its angle brackets. */
  headerMessageId: string;
  unsubscribeMailto: string;
  mail: ParsedMail;
}

/** Otklik sends a real message (the welcome email) through the relay; what its reader received. */
async function received(email: string): Promise<Received> {
  const c = await customer(email);
  const queued = await api('POST', '/messages', { template: 'welcome', customerId: c.id });
  expect(queued.status).toBe(201);
  const sunk = await waitFor(() => sink.messages.find((m) => m.to.includes(email)), 30_000, `the email to ${email} at the relay`);
  const mail = await simpleParser(sunk.raw);
  const listUnsubscribe = mail.headerLines.find((h) => h.key === 'list-unsubscribe')!.line;
  return {
    customerId: c.id,
    email,
    messageId: BigInt(sunk.otklikId!),
    returnPath: sunk.from,
    headerMessageId: mail.messageId!,
    unsubscribeMailto: /<mailto:([^>]+)>/.exec(listUnsubscribe)![1],
    mail,
  };
}

/** Everything the loop could change about a customer. */
async function stateOf(customerId: number) {
  const row = await prisma.customer.findUniqueOrThrow({
    where: { id: customerId },
    select: { email: true, emailValid: true, consents: { select: { channel: true, status: true } } },
  });
  const suppressions = await prisma.suppression.count({ where: { OR: [{ customerId }, { address: row.email }] } });
  return { ...row, suppressions };
}
const UNTOUCHED = { emailValid: true, consents: [{ channel: 'email', status: 'opted_in' }], suppressions: 0 };

function dsnReport(input: { to: string; recipients: string[]; originalHeaders?: string[] }): string {
  const boundary = `b${++seq}`;
  const blocks = input.recipients.flatMap((r) => [
    `Final-Recipient: rfc822; ${r}`,
    'Action: failed',
    'Status: 5.1.1',
    `Diagnostic-Code: smtp; 550 5.1.1 <${r}>: Recipient address rejected: User unknown`,
    '',
  ]);
  return [
    'From: Mail Delivery System <MAILER-DAEMON@mx.mail.example>',
    `To: ${input.to}`,
    'Subject: Undelivered Mail Returned to Sender',
    `Message-ID: <dsn.${seq}.${Date.now()}@mx.mail.example>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'Your message could not be delivered.',
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.mail.example',
    '',
    ...blocks,
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
    ...(input.originalHeaders ?? ['From: news@shop.example', 'Subject: Скидки']),
    '',
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

function replyMail(input: { from: string; inReplyTo: string | null; body: string; autoReply?: boolean }): string {
  return [
    `From: ${input.from}`,
    'To: news@shop.example',
    `Subject: =?UTF-8?B?${Buffer.from(input.autoReply ? 'Автоответ: Скидки' : 'Re: Скидки', 'utf8').toString('base64')}?=`,
    `Message-ID: <reply.${++seq}.${Date.now()}@mail.example>`,
    ...(input.inReplyTo ? [`In-Reply-To: ${input.inReplyTo}`, `References: ${input.inReplyTo}`] : []),
    ...(input.autoReply ? ['Auto-Submitted: auto-replied'] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(input.body, 'utf8').toString('base64'),
    '',
  ].join('\r\n');
}

const STOP = 'Больше не пишите нам, пожалуйста.';
const moved = (to: string) => `Добрый день! Я больше не работаю в компании. Пишите, пожалуйста, на ${to}`;
const withheldOf = (inboundMessageId: bigint) =>
  prisma.cleanupLogEntry.findMany({ where: { inboundMessageId, action: 'withheld' }, orderBy: { id: 'asc' } });

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await startTestApp({
    SMTP_URL: sink.url,
    INBOUND_SMTP_PORT: '0',
    BOUNCE_DOMAIN,
    MAIL_FROM: 'news@shop.example',
    FREQUENCY_CAP_PER_WEEK: '0',
  });
  prisma = t.app.get(PrismaService);
  useKeys(secretKeys(t.app.get(ConfigService)));
  port = t.app.get(InboundSmtpServer).port as number;
  admin = await t.key('admin');
  api = keyedApi(t, admin);
}, 60_000);

afterAll(async () => {
  await t?.close();
  await sink?.close();
});

describe('attacks change nobody', () => {
  let victims: Received[];
  beforeAll(async () => {
    victims = [];
    for (let i = 0; i < 4; i++) victims.push(await received(`victim${i}@mail.example`));
  }, 120_000);
  afterEach(async () => {
    for (const v of victims) expect({ who: v.email, ...(await stateOf(v.customerId)) }).toMatchObject({ who: v.email, ...UNTOUCHED });
  });

  it('guessed unsubscribe+N and bounces+N (bare, or with a made-up MAC) are refused with 550 at RCPT TO and nothing is stored', async () => {
    const before = await prisma.inboundMessage.count();
    const id = victims[0].messageId;
    const real = victims[0].returnPath;
    const forgedMac = real.replace(/-([0-9a-f]{16})@/, (_m, mac: string) => `-${mac.slice(0, 15)}${mac.endsWith('0') ? '1' : '0'}@`);
    for (const to of [
      `unsubscribe+${id}@${BOUNCE_DOMAIN}`,
      `bounces+${id}@${BOUNCE_DOMAIN}`,
      `bounces+${id}-0123456789abcdef@${BOUNCE_DOMAIN}`,
      forgedMac,
      real.replace('bounces+', 'unsubscribe+'),
    ]) {
      await expect(
        smtpSend(port, { from: 'stranger@evil.example', to: [to] }, dsnReport({ to, recipients: [victims[0].email] })),
      ).rejects.toThrow(/550 5\.7\.1 This address does not name a message we sent/);
    }
    expect(await prisma.inboundMessage.count()).toBe(before);
  });

  it('a DSN to postmaster@ naming 5,000 recipients (the whole base among them), with or without guessed Message-IDs, suppresses nobody', async () => {
    const recipients = [...victims.map((v) => v.email), ...Array.from({ length: 4996 }, (_, i) => `someone${i}@mail.example`)];
    const id = victims[0].messageId;
    for (const originalHeaders of [
      undefined,
      [`Message-ID: <otk.${id}@${BOUNCE_DOMAIN}>`, `X-Otklik-Message: ${id}`, `Return-Path: <bounces+${id}@${BOUNCE_DOMAIN}>`],
      [`Message-ID: <otk.${id}.0123456789abcdef@${BOUNCE_DOMAIN}>`, `X-Otklik-Message: ${id}.0123456789abcdef`],
    ]) {
      const inbound = await deliver(
        { from: '', to: [`postmaster@${BOUNCE_DOMAIN}`] },
        dsnReport({ to: `postmaster@${BOUNCE_DOMAIN}`, recipients, originalHeaders }),
      );
      expect(inbound).toMatchObject({ kind: 'bounce', messageId: null });
      // Stored and listed for review as uncorrelated: no action taken.
      // A flood is no list: the first 20 are listed for review, the rest counted in one note.
      const withheld = await withheldOf(inbound.id);
      expect(withheld).toHaveLength(20);
      for (const entry of withheld) expect(entry.reason).toMatch(/^uncorrelated/);
      const others = await prisma.cleanupLogEntry.findMany({ where: { inboundMessageId: inbound.id, action: { not: 'withheld' } } });
      expect(others).toEqual([
        expect.objectContaining({ action: 'noted', reason: expect.stringMatching(/^withheld, not listed: \d+ more addresses/) }),
      ]);
    }
    expect(await prisma.suppression.count()).toBe(0);
  });

  it('an ARF report to fbl@ naming any address, with guessed ids, opts nobody out', async () => {
    const v = victims[1];
    for (const originalHeaders of [
      ['From: news@shop.example'],
      [`Message-ID: <otk.${v.messageId}@${BOUNCE_DOMAIN}>`, `X-Otklik-Message: ${v.messageId}`],
    ]) {
      const inbound = await deliver(
        { from: 'fbl@mail.example', to: [`fbl@${BOUNCE_DOMAIN}`] },
        arfReport({
          id: `forged.${++seq}`,
          mailbox: `fbl@${BOUNCE_DOMAIN}`,
          recipient: v.email,
          original: [...originalHeaders, `To: ${v.email}`].join('\r\n'),
        }),
      );
      expect(inbound.kind).toBe('complaint');
      expect((await withheldOf(inbound.id)).map((e) => e.reason)).toEqual([expect.stringMatching(/^uncorrelated/)]);
    }
    expect(await prisma.complaint.count()).toBe(0);
  });

  it('a stop-reply with a forged From, with no, guessed or stolen References, unsubscribes nobody', async () => {
    const v = victims[2];
    const other = victims[3];
    for (const inReplyTo of [null, `<otk.${v.messageId}@${BOUNCE_DOMAIN}>`, `<otk.${v.messageId}.0123456789abcdef@${BOUNCE_DOMAIN}>`]) {
      const inbound = await deliver({ from: v.email, to: ['news@shop.example'] }, replyMail({ from: v.email, inReplyTo, body: STOP }));
      expect((await withheldOf(inbound.id)).map((e) => e.reason)).toEqual([expect.stringMatching(/^uncorrelated/)]);
    }
    // A genuine Message-ID of someone else's message (say, forwarded to the attacker): From is not its recipient.
    const inbound = await deliver(
      { from: v.email, to: ['news@shop.example'] },
      replyMail({ from: v.email, inReplyTo: other.headerMessageId, body: STOP }),
    );
    expect((await withheldOf(inbound.id)).map((e) => e.reason)).toEqual([
      'the reply does not come from the recipient of the message it quotes',
    ]);
  });

  it("a spoofed address-change auto-reply becomes an unproven proposal: the attacker's address gets no mail and no customer, the old address stays", async () => {
    const v = victims[3];
    const before = sink.messages.length;
    for (const inReplyTo of [null, `<otk.${v.messageId}@${BOUNCE_DOMAIN}>`]) {
      const inbound = await deliver(
        { from: v.email, to: ['news@shop.example'] },
        replyMail({ from: v.email, inReplyTo, body: moved('attacker@evil.example'), autoReply: true }),
      );
      expect(await prisma.addressChangeProposal.findFirstOrThrow({ where: { inboundMessageId: inbound.id } })).toMatchObject({
        newAddress: 'attacker@evil.example',
        proven: false,
        status: 'pending',
      });
    }
    expect(await prisma.customer.count({ where: { email: 'attacker@evil.example' } })).toBe(0);
    expect(await prisma.outboxMessage.count({ where: { toAddress: 'attacker@evil.example' } })).toBe(0);
    expect(sink.messages.length).toBe(before);
    // An unproven proposal has no confirmation link: the attacker cannot confirm it himself.
    const proposals = await api('GET', '/feedback/address-changes?status=pending');
    const spoofed = proposals.body.items.filter((p: { newAddress: string }) => p.newAddress === 'attacker@evil.example');
    expect(spoofed).toHaveLength(2);
    for (const p of spoofed) expect((await api('POST', `/feedback/address-changes/${p.id}/reject`)).status).toBe(201);
    expect(await prisma.customer.count({ where: { email: 'attacker@evil.example' } })).toBe(0);
  });
});

describe('genuine feedback still acts', () => {
  it('a DSN to the VERP address of a message actually sent suppresses exactly its recipient, not the others it names', async () => {
    const r = await received('gone@mail.example');
    const bystander = await customer('bystander@mail.example');
    const inbound = await deliver(
      { from: '', to: [r.returnPath] },
      dsnReport({ to: r.returnPath, recipients: [r.email, bystander.email] }),
    );
    expect(inbound).toMatchObject({ status: 'applied', kind: 'bounce', messageId: r.messageId });
    expect(await stateOf(r.customerId)).toMatchObject({ emailValid: false, suppressions: 1 });
    expect(await prisma.suppression.findFirst({ where: { address: r.email } })).toMatchObject({ reason: 'hard_bounce' });
    expect(await stateOf(bystander.id)).toMatchObject(UNTOUCHED);
    expect((await withheldOf(inbound.id)).map((e) => e.address)).toEqual([bystander.email]);
  });

  it("a DSN to postmaster@ quoting the MAC'd Message-ID of a message we sent acts on its recipient", async () => {
    const r = await received('gone.too@mail.example');
    const inbound = await deliver(
      { from: '', to: [`postmaster@${BOUNCE_DOMAIN}`] },
      dsnReport({
        to: `postmaster@${BOUNCE_DOMAIN}`,
        recipients: [r.email],
        originalHeaders: [`Message-ID: ${r.headerMessageId}`, 'From: news@shop.example'],
      }),
    );
    expect(inbound).toMatchObject({ status: 'applied', kind: 'bounce', messageId: r.messageId });
    expect(await prisma.suppression.findFirst({ where: { address: r.email } })).toMatchObject({ reason: 'hard_bounce' });
  });

  it('the List-Unsubscribe mailto of a received message unsubscribes its recipient', async () => {
    const r = await received('mailto.reader@mail.example');
    expect(r.unsubscribeMailto).toMatch(new RegExp(`^unsubscribe\\+${r.messageId}-[0-9a-f]{16}@${BOUNCE_DOMAIN.replace(/\./g, '\\.')}$`));
    await deliver(
      { from: r.email, to: [r.unsubscribeMailto] },
      `From: ${r.email}\r\nTo: ${r.unsubscribeMailto}\r\nSubject: unsubscribe\r\n\r\n\r\n`,
    );
    expect(await prisma.suppression.findFirst({ where: { address: r.email } })).toMatchObject({
      reason: 'unsubscribe',
      customerId: r.customerId,
    });
    expect(await stateOf(r.customerId)).toMatchObject({ consents: [{ channel: 'email', status: 'opted_out' }] });
  });

  it('a reply carrying the received Message-ID and asking to stop unsubscribes; a withheld one is applied by an admin once', async () => {
    const r = await received('stop.reader@mail.example');
    await deliver(
      { from: r.email, to: ['news@shop.example'] },
      replyMail({ from: `Анна <${r.email}>`, inReplyTo: r.headerMessageId, body: STOP }),
    );
    expect(await stateOf(r.customerId)).toMatchObject({ consents: [{ channel: 'email', status: 'opted_out' }], suppressions: 1 });

    // Without the quote the same request waits for an admin, who vouches for it with one click.
    const other = await received('stop.nosquote@mail.example');
    const inbound = await deliver(
      { from: other.email, to: ['news@shop.example'] },
      replyMail({ from: other.email, inReplyTo: null, body: STOP }),
    );
    const [entry] = await withheldOf(inbound.id);
    expect(await stateOf(other.customerId)).toMatchObject(UNTOUCHED);
    const applied = await api('POST', `/feedback/cleanup-log/${entry.id}/apply`);
    expect(applied.status).toBe(201);
    expect(await stateOf(other.customerId)).toMatchObject({ consents: [{ channel: 'email', status: 'opted_out' }], suppressions: 1 });
    expect(await prisma.cleanupLogEntry.findUniqueOrThrow({ where: { id: entry.id } })).toMatchObject({
      appliedBy: expect.any(String),
      appliedAt: expect.any(Date),
    });
    const again = await api('POST', `/feedback/cleanup-log/${entry.id}/apply`);
    expect(again.status).toBe(409);
  });

  it('a proven address change: the new address receives a confirmation link; following it moves the contact', async () => {
    const r = await received('old.buyer@mail.example');
    const inbound = await deliver(
      { from: r.email, to: ['news@shop.example'] },
      replyMail({ from: r.email, inReplyTo: r.headerMessageId, body: moved('new.buyer@mail.example') }),
    );
    const proposal = await prisma.addressChangeProposal.findFirstOrThrow({ where: { inboundMessageId: inbound.id } });
    expect(proposal).toMatchObject({ proven: true, status: 'pending', oldAddress: r.email, newAddress: 'new.buyer@mail.example' });
    expect(await stateOf(r.customerId)).toMatchObject(UNTOUCHED); // the old address stays until confirmed

    const sunk = await waitFor(
      () => sink.messages.find((m) => m.to.includes('new.buyer@mail.example')),
      30_000,
      'the confirmation email at the relay',
    );
    const mail = await simpleParser(sunk.raw);
    expect(mail.subject).toMatch(/Подтвердите новый адрес/);
    const link = /(http[^\s"<>]+\/address-change\/[\w.-]+)/.exec(mail.text!)![1];
    const path = new URL(link).pathname;
    const page = await fetch(`${t.url}${path}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Подтвердить');
    expect((await prisma.addressChangeProposal.findUniqueOrThrow({ where: { id: proposal.id } })).status).toBe('pending');
    expect((await fetch(`${t.url}${path}`, { method: 'POST' })).status).toBe(200);

    const contact = await prisma.customer.findFirstOrThrow({ where: { email: 'new.buyer@mail.example' } });
    expect(contact.companyName).toBe('ООО Ромашка');
    expect(await stateOf(r.customerId)).toMatchObject({ emailValid: false });
    expect(await prisma.addressChangeProposal.findUniqueOrThrow({ where: { id: proposal.id } })).toMatchObject({
      status: 'confirmed',
      contactId: contact.id,
    });
    // A link for another proposal cannot be made from this one.
    const forged = path.replace(/\.[\w-]+$/, '.AAAAAAAAAAAAAAAAAAAAAA');
    expect((await fetch(`${t.url}${forged}`, { method: 'POST' })).status).toBe(404);
  });

  it('an admin accepts an unproven proposal: the contact moves then, not before', async () => {
    const r = await received('old.clerk@mail.example');
    const inbound = await deliver(
      { from: r.email, to: ['news@shop.example'] },
      replyMail({ from: r.email, inReplyTo: null, body: moved('new.clerk@mail.example') }),
    );
    const proposal = await prisma.addressChangeProposal.findFirstOrThrow({ where: { inboundMessageId: inbound.id } });
    expect(proposal).toMatchObject({ proven: false, status: 'pending' });
    expect(await prisma.customer.count({ where: { email: 'new.clerk@mail.example' } })).toBe(0);
    const accepted = await api('POST', `/feedback/address-changes/${proposal.id}/accept`);
    expect(accepted).toMatchObject({ status: 201, body: { status: 'accepted' } });
    expect(await prisma.customer.count({ where: { email: 'new.clerk@mail.example' } })).toBe(1);
    expect(await stateOf(r.customerId)).toMatchObject({ emailValid: false });
    expect((await api('POST', `/feedback/address-changes/${proposal.id}/accept`)).status).toBe(409);
  });
});
