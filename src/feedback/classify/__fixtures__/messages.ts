// Builders for the hand-written messages of the classifier's tests: a RFC 3464 delivery-status
// report, a free-text (non-DSN) notice, and a person's reply. Written from the formats'
// documentation, not copied from any corpus.

export interface DsnOptions {
  /** Reporting MTA's host name. */
  mta?: string;
  from?: string;
  subject?: string;
  /** Human-readable first part. */
  text?: string;
  recipient: string;
  originalRecipient?: string;
  action?: string;
  status: string;
  /** Diagnostic-Code value without the type (e.g. `550 5.1.1 User unknown`); omitted when null. */
  diagnostic?: string | null;
  diagnosticType?: string;
  remoteMta?: string;
}

/** A multipart/report; report-type=delivery-status message (RFC 3462/3464). */
export function dsn(o: DsnOptions): string {
  const mta = o.mta ?? 'mx.sender.example';
  const fields = [
    `Final-Recipient: rfc822; ${o.recipient}`,
    ...(o.originalRecipient ? [`Original-Recipient: rfc822; ${o.originalRecipient}`] : []),
    `Action: ${o.action ?? 'failed'}`,
    `Status: ${o.status}`,
    ...(o.remoteMta ? [`Remote-MTA: dns; ${o.remoteMta}`] : []),
    ...(o.diagnostic ? [`Diagnostic-Code: ${o.diagnosticType ?? 'smtp'}; ${o.diagnostic}`] : []),
  ];
  return [
    'Return-Path: <>',
    `From: ${o.from ?? `Mail Delivery System <MAILER-DAEMON@${mta}>`}`,
    'To: bounces+4242-abcdef@news.shop.example',
    `Subject: ${o.subject ?? 'Delivery Status Notification (Failure)'}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="=_b"',
    '',
    '--=_b',
    'Content-Type: text/plain; charset=utf-8',
    '',
    o.text ?? 'Your message could not be delivered to one or more recipients.',
    '',
    '--=_b',
    'Content-Type: message/delivery-status',
    '',
    `Reporting-MTA: dns; ${mta}`,
    '',
    ...fields,
    '',
    '--=_b',
    'Content-Type: text/rfc822-headers',
    '',
    'From: Shop <news@shop.example>',
    `To: ${o.originalRecipient ?? o.recipient}`,
    'Subject: Spring offer',
    'Message-ID: <offer-1@shop.example>',
    '',
    '--=_b--',
    '',
  ].join('\n');
}

/** A free-text bounce notice (no delivery-status part), as qmail, Exim or old gateways send. */
export function notice(headers: { from: string; subject: string; to?: string; extra?: string[] }, body: string): string {
  return [
    'Return-Path: <>',
    `From: ${headers.from}`,
    `To: ${headers.to ?? 'news@shop.example'}`,
    `Subject: ${headers.subject}`,
    ...(headers.extra ?? []),
    '',
    body,
    '',
  ].join('\n');
}

/** A person's reply to a campaign, with optional quoted history and signature. */
export function reply(o: { from: string; subject?: string; body: string; quoted?: string; signature?: string }): string {
  return [
    `From: ${o.from}`,
    'To: news@shop.example',
    `Subject: ${o.subject ?? 'Re: Spring offer'}`,
    'In-Reply-To: <offer-1@shop.example>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    o.body,
    ...(o.signature ? ['', o.signature] : []),
    ...(o.quoted ? ['', o.quoted] : []),
    '',
  ].join('\n');
}

/** Quoted history in the common client styles, full of words that must not count. */
export const QUOTED = {
  en: 'On Mon, 7 Dec 2026 at 10:00, Shop <news@shop.example> wrote:\n> Spring offer: prices down 20%! Unsubscribe here. Send us your order,\n> request an invoice or a quote. Complaints: support@shop.example',
  ru: '07.12.2026 10:00, Магазин пишет:\n> Весенняя распродажа: цены ниже на 20%! Пришлите заявку, запросите счёт.\n> Отписаться можно по ссылке. Жалобы: support@shop.example',
  outlook:
    '-----Original Message-----\nFrom: Shop <news@shop.example>\nSent: Monday, December 7, 2026 10:00 AM\nTo: buyer@client.example\nSubject: Spring offer\n\nPrices down 20%. Unsubscribe. Request a price list or an invoice.',
};

export const SIGNATURE = {
  en: 'Best regards,\nJohn Carter\nPurchasing, Client Ltd\n+1 555 0100',
  ru: 'С уважением,\nИван Петров\nОтдел закупок, ООО «Клиент»\n+7 495 000-00-00',
  dashes: '-- \nAnna Smirnova\nhttps://client.example | unsubscribe from our newsletter at client.example/u',
};
