// Inbound messages as remote servers and people send them (RFC 3464 DSN, RFC 5965 ARF,
// an out-of-office note, a reply), sent with a real SMTP client (nodemailer) to the inbound
// server, and small factories for the rows they refer to.
import nodemailer from 'nodemailer';
import { headerMessageId, otklikHeader, unsubscribeAddress, verpAddress } from '../../src/common/mail-ids';
import type { Keys } from '../../src/common/signed-token';
import type { PrismaService } from '../../src/database/prisma.service';
import { waitFor } from '../support/smtp-sink';

export const BOUNCE_DOMAIN = 'bounces.shop.example';

/** The key ring of the app under test: the fixtures write the MAC'ed ids its messages carry. */
let keys: Keys = '';
export function useKeys(ring: Keys): void {
  keys = ring;
}
export const bounceTo = (messageId: bigint) => verpAddress(keys, BOUNCE_DOMAIN, messageId);
export const unsubscribeTo = (messageId: bigint) => unsubscribeAddress(keys, BOUNCE_DOMAIN, messageId);
export const ourMessageId = (messageId: bigint) => headerMessageId(keys, BOUNCE_DOMAIN, messageId);

/** Sends raw bytes; `from: ''` is the null sender (<>) real bounces use. Resolves with the server's reply or rejects with its error. */
export async function smtpSend(port: number, envelope: { from: string; to: string[] }, raw: Buffer | string): Promise<string> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    const info = await transport.sendMail({ envelope, raw });
    return info.response;
  } finally {
    transport.close();
  }
}

export function originalHeaders(messageId: bigint, to: string): string {
  return [
    `Return-Path: <${bounceTo(messageId)}>`,
    'From: =?UTF-8?B?0JzQsNCz0LDQt9C40L0=?= <news@shop.example>',
    `To: ${to}`,
    'Subject: =?UTF-8?B?0J3QvtGP0LHRgNGM0YHQutC40LUg0YbQtdC90Ys=?=',
    `Message-ID: <${ourMessageId(messageId)}>`,
    `X-Otklik-Message: ${otklikHeader(keys, messageId)}`,
    'Date: Mon, 23 Nov 2026 10:00:00 +0300',
  ].join('\r\n');
}

/** An RFC 3464 delivery status notification for one recipient. */
export function dsn(input: { messageId: bigint; to: string; status: string; action?: string; diagnostic: string }): string {
  const boundary = `dsn-${input.messageId}-${input.status}`;
  return [
    'From: Mail Delivery System <MAILER-DAEMON@mx.mail.example>',
    `To: ${bounceTo(input.messageId)}`,
    'Subject: Undelivered Mail Returned to Sender',
    `Message-ID: <dsn.${input.messageId}.${Date.now()}.${Math.random().toString(36).slice(2)}@mx.mail.example>`,
    'Date: Mon, 23 Nov 2026 10:01:00 +0300',
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is the mail system at host mx.mail.example.',
    "I'm sorry to have to inform you that your message could not be delivered to one or more recipients.",
    '',
    `<${input.to}>: ${input.diagnostic}`,
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.mail.example',
    'Arrival-Date: Mon, 23 Nov 2026 10:00:01 +0300',
    '',
    `Final-Recipient: rfc822; ${input.to}`,
    `Original-Recipient: rfc822; ${input.to}`,
    `Action: ${input.action ?? 'failed'}`,
    `Status: ${input.status}`,
    'Remote-MTA: dns; mx.mail.example',
    `Diagnostic-Code: smtp; ${input.diagnostic}`,
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
    originalHeaders(input.messageId, input.to),
    '',
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/** An RFC 5965 feedback-loop report (a recipient pressed "spam") about one of our messages. */
export function arfComplaint(input: { messageId: bigint; to: string }): string {
  return arfReport({
    id: `arf.${input.messageId}`,
    mailbox: `abuse@${BOUNCE_DOMAIN}`,
    recipient: input.to,
    originalMailFrom: bounceTo(input.messageId),
    original: originalHeaders(input.messageId, input.to),
  });
}

/** An RFC 5965 report to `mailbox` naming `recipient`, with `original` as the headers of the reported copy. */
export function arfReport(input: { id: string; mailbox: string; recipient: string; originalMailFrom?: string; original: string }): string {
  const boundary = `arf-${input.id}`;
  return [
    'From: Mail.example Feedback Loop <fbl@mail.example>',
    `To: ${input.mailbox}`,
    'Subject: Complaint about message from news@shop.example',
    `Message-ID: <${input.id}@fbl.mail.example>`,
    'Date: Mon, 23 Nov 2026 11:00:00 +0300',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=feedback-report; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is an email abuse report for an email message received from IP 192.0.2.1.',
    '',
    `--${boundary}`,
    'Content-Type: message/feedback-report',
    '',
    'Feedback-Type: abuse',
    'User-Agent: MailExampleFBL/1.0',
    'Version: 1',
    ...(input.originalMailFrom ? [`Original-Mail-From: <${input.originalMailFrom}>`] : []),
    `Original-Rcpt-To: <${input.recipient}>`,
    'Source-IP: 192.0.2.1',
    'Arrival-Date: Mon, 23 Nov 2026 10:00:01 +0300',
    '',
    `--${boundary}`,
    'Content-Type: message/rfc822',
    '',
    input.original,
    '',
    'Скидки недели!',
    '',
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

function base64Lines(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n');
}

/** A person's (or their mail client's) answer to our message, with its In-Reply-To. */
export function reply(input: { messageId: bigint; from: string; subject: string; body: string; extraHeaders?: string[] }): string {
  return [
    `From: ${input.from}`,
    'To: news@shop.example',
    `Subject: =?UTF-8?B?${Buffer.from(input.subject, 'utf8').toString('base64')}?=`,
    `Message-ID: <reply.${input.messageId}.${Math.random().toString(36).slice(2)}@mail.example>`,
    `In-Reply-To: <${ourMessageId(input.messageId)}>`,
    `References: <${ourMessageId(input.messageId)}>`,
    'Date: Mon, 23 Nov 2026 12:00:00 +0300',
    ...(input.extraHeaders ?? []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(input.body),
    '',
  ].join('\r\n');
}

export interface SentFixture {
  customerId: number;
  email: string;
  messageId: bigint;
}

/** A customer with email consent and a sent bulk message to them (its run and campaign given). */
export async function sentMessage(
  prisma: PrismaService,
  email: string,
  campaign: { campaignId: number; runId: number } | null = null,
): Promise<SentFixture> {
  const customer = await prisma.customer.create({ data: { email, firstName: 'Иван', lastName: 'Петров' }, select: { id: true } });
  await prisma.consent.create({ data: { customerId: customer.id, channel: 'email', status: 'opted_in', source: 'test' } });
  const message = await prisma.message.create({
    data: {
      channel: 'email',
      customerId: customer.id,
      campaignId: campaign?.campaignId,
      runId: campaign?.runId,
      status: 'sent',
      sentAt: new Date(),
    },
    select: { id: true },
  });
  await prisma.message.update({ where: { id: message.id }, data: { headerMessageId: ourMessageId(message.id) } });
  return { customerId: customer.id, email, messageId: message.id };
}

/** A running campaign with a sending run (rows only: nothing is sent). */
export async function runningCampaign(prisma: PrismaService, name: string): Promise<{ campaignId: number; runId: number }> {
  const template = await prisma.template.findFirstOrThrow({ where: { key: 'b2c-promo', channel: 'email' }, select: { id: true } });
  const campaign = await prisma.campaign.create({
    data: { name, channel: 'email', status: 'running', templateId: template.id },
    select: { id: true },
  });
  const run = await prisma.campaignRun.create({
    data: { campaignId: campaign.id, occurrenceAt: new Date(), status: 'sending' },
    select: { id: true },
  });
  return { campaignId: campaign.id, runId: run.id };
}

/** The inbound row a message sent to the server became, once processed. */
export async function processed(prisma: PrismaService, where: { envelopeTo?: string; subjectContains?: string; after?: bigint }) {
  return waitFor(
    async () =>
      prisma.inboundMessage.findFirst({
        where: {
          envelopeTo: where.envelopeTo ? { contains: where.envelopeTo } : undefined,
          subject: where.subjectContains ? { contains: where.subjectContains } : undefined,
          id: where.after !== undefined ? { gt: where.after } : undefined,
          status: { in: ['applied', 'unclassified'] },
        },
        orderBy: { id: 'desc' },
      }),
    20_000,
    `an inbound message ${JSON.stringify(where, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))} processed`,
  );
}

export async function lastInboundId(prisma: PrismaService): Promise<bigint> {
  const row = await prisma.inboundMessage.findFirst({ orderBy: { id: 'desc' }, select: { id: true } });
  return row?.id ?? 0n;
}
