import fc from 'fast-check';
import { classifyMessage } from './classify-message';

/** A raw message from header lines and a body (LF line ends; the parser accepts both). */
function eml(headers: string[], body: string): string {
  return `${headers.join('\n')}\n\n${body}`;
}

const DSN_BOUNCE = eml(
  [
    'Return-Path: <>',
    'Delivered-To: bounces+123456@mail.shop.example',
    'From: MAILER-DAEMON@mx.shop.example (Mail Delivery System)',
    'To: bounces+123456@mail.shop.example',
    'Subject: Undelivered Mail Returned to Sender',
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="BB"',
  ],
  [
    '--BB',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    '<ivan@client.example>: host mx.client.example[192.0.2.7] said: 550 5.1.1',
    '    <ivan@client.example>: Recipient address rejected: User unknown (in reply to',
    '    RCPT TO command)',
    '',
    '--BB',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.shop.example',
    '',
    'Final-Recipient: rfc822; ivan@client.example',
    'Action: failed',
    'Status: 5.1.1',
    'Diagnostic-Code: smtp; 550 5.1.1 <ivan@client.example>: Recipient address rejected: User unknown',
    '',
    '--BB',
    'Content-Type: text/rfc822-headers',
    '',
    'Return-Path: <bounces+123456@mail.shop.example>',
    'Message-ID: <m-123456@mail.shop.example>',
    'X-Otklik-Message-Id: 123456',
    'From: Shop <news@shop.example>',
    'To: ivan@client.example',
    'Subject: December prices',
    '',
    '--BB--',
  ].join('\n'),
);

const EXIM_SPAM_BLOCK = eml(
  [
    'From: Mail Delivery System <Mailer-Daemon@relay.shop.example>',
    'To: news@shop.example',
    'Subject: Mail delivery failed: returning message to sender',
    'X-Failed-Recipients: olga@corp.example',
  ],
  [
    'This message was created automatically by mail delivery software.',
    '',
    'A message that you sent could not be delivered to one or more of its',
    'recipients. This is a permanent error. The following address(es) failed:',
    '',
    '  olga@corp.example',
    '    host mx.corp.example [192.0.2.9]',
    '    SMTP error from remote mail server after end of data:',
    '    550 5.7.1 Message rejected: identified as spam',
    '',
    '------ This is a copy of the message, including all the headers. ------',
    '',
    'Return-path: <bounces+77@mail.shop.example>',
    'Message-Id: <m-77@mail.shop.example>',
    'From: news@shop.example',
    'To: olga@corp.example',
    'Subject: Sale',
    '',
    'Big sale',
  ].join('\n'),
);

const MAILRU_FULL = eml(
  [
    'From: mailer-daemon@corp.mail.ru',
    'To: news@shop.example',
    'Subject: =?UTF-8?B?0J3QtdC00L7RgdGC0LDQstC70LXQvdC90L7QtSDRgdC+0L7QsdGJ0LXQvdC40LU=?=',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ],
  [
    'К сожалению, Ваше письмо не может быть доставлено одному или нескольким получателям:',
    '',
    '  sveta@example.ru',
    '    SMTP error from remote mail server after RCPT TO:<sveta@example.ru>:',
    '    host mx.example.ru [192.0.2.1]: 552 5.2.2 Mailbox full',
    '',
  ].join('\n'),
);

const ARF = eml(
  [
    'From: feedback@fbl.mail.example',
    'To: abuse@shop.example',
    'Subject: Complaint',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=feedback-report; boundary="F"',
  ],
  [
    '--F',
    'Content-Type: text/plain',
    '',
    'This is an email abuse report.',
    '--F',
    'Content-Type: message/feedback-report',
    '',
    'Feedback-Type: abuse',
    'User-Agent: ExampleFBL/1.0',
    'Version: 1',
    'Original-Mail-From: <bounces+555@mail.shop.example>',
    'Original-Rcpt-To: <petr@mail.example>',
    '--F',
    'Content-Type: message/rfc822',
    '',
    'Message-ID: <m-555@mail.shop.example>',
    'X-Otklik-Message-Id: 555',
    'From: news@shop.example',
    'To: petr@mail.example',
    'Subject: Offer',
    '',
    'Body',
    '--F--',
  ].join('\n'),
);

const DELIVERED = eml(
  [
    'From: MAILER-DAEMON@mx.example',
    'To: news@shop.example',
    'Subject: Successful Mail Delivery Report',
    'Content-Type: multipart/report; report-type=delivery-status; boundary=D',
  ],
  '--D\nContent-Type: text/plain\n\nYour message was delivered.\n--D\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; kate@example.org\nAction: delivered\nStatus: 2.0.0\n--D--\n',
);

const SES = eml(
  [
    'From: SES <no-reply@sns.amazonaws.com>',
    'To: ops@shop.example',
    'Subject: AWS Notification Message',
    'Content-Type: text/plain; charset=UTF-8',
  ],
  JSON.stringify({
    notificationType: 'Bounce',
    bounce: {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [
        { emailAddress: 'gone@example.com', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' },
      ],
    },
    mail: {
      messageId: 'x',
      headers: [
        { name: 'Message-ID', value: '<m-9@mail.shop.example>' },
        { name: 'X-Otklik-Message-Id', value: '9' },
      ],
    },
  }),
);

function reply(subject: string, body: string, extra: string[] = []): string {
  return eml(
    [
      'From: Ivan Petrov <ivan@client.example>',
      'To: Shop <news@shop.example>',
      `Subject: ${subject}`,
      'Message-ID: <r1@client.example>',
      'In-Reply-To: <m-42@mail.shop.example>',
      'References: <m-41@mail.shop.example> <m-42@mail.shop.example>',
      'Content-Type: text/plain; charset=utf-8',
      ...extra,
    ],
    body,
  );
}

describe('classifyMessage: bounces', () => {
  it('reads a DSN bounce with correlation hints', () => {
    const c = classifyMessage(DSN_BOUNCE);
    expect(c.kind).toBe('bounce');
    expect(c.recipients).toEqual([
      expect.objectContaining({
        address: 'ivan@client.example',
        status: '5.1.1',
        replyCode: '550',
        reason: 'userunknown',
        hard: true,
        command: 'RCPT',
      }),
    ]);
    expect(c.correlation).toEqual({
      verpMessageId: '123456',
      otklikMessageId: '123456',
      originalMessageId: 'm-123456@mail.shop.example',
      references: [],
    });
  });

  it('reads a plain-text Exim bounce; a spam block is soft', () => {
    const c = classifyMessage(EXIM_SPAM_BLOCK);
    expect(c.kind).toBe('bounce');
    expect(c.recipients[0]).toEqual(
      expect.objectContaining({ address: 'olga@corp.example', status: '5.7.1', reason: 'spamdetected', hard: false }),
    );
    expect(c.correlation.verpMessageId).toBe('77');
    expect(c.correlation.originalMessageId).toBe('m-77@mail.shop.example');
  });

  it('reads a Russian bounce: full mailbox is soft', () => {
    const c = classifyMessage(Buffer.from(MAILRU_FULL, 'utf8'));
    expect(c.kind).toBe('bounce');
    expect(c.subject).toBe('Недоставленное сообщение');
    expect(c.recipients[0]).toEqual(expect.objectContaining({ address: 'sveta@example.ru', reason: 'mailboxfull', hard: false }));
  });

  it('reads a forwarded bounce from its quoted text', () => {
    const quoted = DSN_BOUNCE.split('\n')
      .slice(9)
      .map((l) => `> ${l}`)
      .join('\n');
    const c = classifyMessage(reply('Fwd: Undelivered Mail Returned to Sender', `See below\n\n${quoted}`));
    expect(c.kind).toBe('bounce');
    expect(c.recipients[0]).toEqual(expect.objectContaining({ address: 'ivan@client.example', reason: 'userunknown' }));
  });

  it('reports a success DSN as delivered', () => {
    const c = classifyMessage(DELIVERED);
    expect(c.kind).toBe('delivered');
    expect(c.recipients).toEqual([expect.objectContaining({ address: 'kate@example.org', reason: 'delivered', hard: false })]);
  });

  it('reads an Amazon SES bounce notification', () => {
    const c = classifyMessage(SES);
    expect(c.kind).toBe('bounce');
    expect(c.recipients).toEqual([expect.objectContaining({ address: 'gone@example.com', reason: 'userunknown', hard: true })]);
    expect(c.correlation).toEqual(expect.objectContaining({ otklikMessageId: '9', originalMessageId: 'm-9@mail.shop.example' }));
  });
});

describe('classifyMessage: complaints, auto-replies, replies', () => {
  it('reads an ARF complaint', () => {
    const c = classifyMessage(ARF);
    expect(c.kind).toBe('complaint');
    expect(c.feedbackType).toBe('abuse');
    expect(c.recipients).toEqual([
      expect.objectContaining({ address: 'petr@mail.example', reason: 'feedback', hard: false, feedbackType: 'abuse' }),
    ]);
    expect(c.correlation).toEqual(
      expect.objectContaining({ verpMessageId: '555', otklikMessageId: '555', originalMessageId: 'm-555@mail.shop.example' }),
    );
  });

  it.each([
    ['RFC 3834 header', reply('Re: Offer', 'I am away until Monday.', ['Auto-Submitted: auto-replied'])],
    ['English out-of-office subject', reply('Out of Office: Offer', 'Back on the 5th.')],
    ['Russian subject', reply('Автоответ: Предложение', 'Спасибо за письмо.')],
    ['Russian body', reply('Re: Предложение', 'Здравствуйте! Я в отпуске до 10 января, отвечу после возвращения.')],
    ['X-Autoreply header', reply('Re: Offer', 'Thanks, we got it.', ['X-Autoreply: yes'])],
  ])('treats an auto-reply (%s) as autoreply, not bounce', (_name, raw) => {
    const c = classifyMessage(raw);
    expect(c.kind).toBe('autoreply');
    expect(c.recipients).toEqual([expect.objectContaining({ address: 'ivan@client.example', reason: 'vacation', hard: false })]);
  });

  it('finds a new address in an out-of-office note', () => {
    const c = classifyMessage(reply('Automatic reply: Offer', 'I have left the company. Please write to maria@client.example instead.'));
    expect(c.kind).toBe('autoreply');
    expect(c.intent).toBe('address_change');
    expect(c.newAddress).toBe('maria@client.example');
  });

  it.each([
    ['Re: Прайс', 'Добрый день!\nПришлите счёт на 20 коробок.\n\nС уважением,\nИван\n\n> Наш прайс во вложении', 'lead', null],
    ['Re: Акция', 'Нужна цена на кабель ВВГ 3х2,5, 500 м.', 'lead', null],
    ['Re: Offer', 'Could you send us a quote for 300 units?', 'lead', null],
    ['Re: Новости', 'Не пишите нам больше.', 'unsubscribe', null],
    ['Re: News', 'Please remove me from your mailing list', 'unsubscribe', null],
    ['Re: News', 'I no longer work here, write to anna@client.example', 'address_change', 'anna@client.example'],
    ['Re: Новости', 'Иван Петрович уволился, пишите на новый адрес: zakaz@client.example', 'address_change', 'zakaz@client.example'],
    ['Re: Заказ 15', 'Заказ так и не пришёл, товар бракованный. Это рекламация, верните деньги.', 'complaint', null],
    ['Re: Order 15', 'The parcel arrived damaged and I want a refund.', 'complaint', null],
    ['Re: Новости', 'Спасибо, получили.', 'other', null],
  ])('reads the intent of a reply: %s / %s', (subject, body, intent, newAddress) => {
    const c = classifyMessage(reply(subject, body));
    expect(c.kind).toBe('reply');
    expect(c.intent).toBe(intent);
    expect(c.newAddress).toBe(newAddress);
    expect(c.correlation.originalMessageId).toBe('m-42@mail.shop.example');
    expect(c.correlation.references).toEqual(['m-42@mail.shop.example', 'm-41@mail.shop.example']);
  });

  it('strips quoted text and the signature from the reply text', () => {
    const c = classifyMessage(
      reply(
        'Re: Прайс',
        'Пришлите счёт.\n\nС уважением,\nИван\n+7 900 000-00-00\n\nПн, 1 дек. 2025 г. в 10:00, Shop <news@shop.example>:\n> цены снижены',
      ),
    );
    expect(c.replyText).toBe('Пришлите счёт.');
  });

  it('reads an HTML-only reply without its quoted history', () => {
    const raw = eml(
      ['From: a@client.example', 'To: news@shop.example', 'Subject: Re: Offer', 'Content-Type: text/html; charset=utf-8'],
      '<div>Please send the price list.</div><div class="gmail_quote">On Mon someone wrote:<blockquote>unsubscribe from nothing</blockquote></div>',
    );
    const c = classifyMessage(raw);
    expect(c.replyText).toBe('Please send the price list.');
    expect(c.intent).toBe('lead');
  });
});

describe('classifyMessage: hostile input', () => {
  it.each([
    ['empty', ''],
    ['random bytes', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))],
    ['NUL bytes', Buffer.alloc(10_000)],
    ['headers without a sender', 'X-A: b\n'.repeat(10_000)],
  ])('returns unknown with an error for %s', (_name, raw) => {
    const c = classifyMessage(raw);
    expect(c.kind).toBe('unknown');
    expect(c.error).toEqual(expect.any(String));
  });

  it('reads a bounce truncated in the middle of its DSN part', () => {
    const c = classifyMessage(DSN_BOUNCE.slice(0, DSN_BOUNCE.indexOf('Status: 5.1.1')));
    expect(c.kind).toBe('bounce');
    expect(c.recipients[0]?.address).toBe('ivan@client.example');
  });

  it('reads only the head of a 50 MB message, fast', () => {
    const attachment = 'QUJD'.repeat(13_000_000);
    const raw = Buffer.from(
      DSN_BOUNCE.replace('--BB--', `--BB\nContent-Type: application/zip\nContent-Transfer-Encoding: base64\n\n${attachment}\n--BB--`),
      'latin1',
    );
    const start = Date.now();
    const c = classifyMessage(raw);
    // Reading the head takes 0.6–1.1 s on the shared 2-core CI machine (copying 50 MB to a
    // string); parsing the whole message would take several times that. The bound catches that.
    expect(Date.now() - start).toBeLessThan(3000);
    expect(c.truncated).toBe(true);
    expect(c.recipients[0]).toEqual(expect.objectContaining({ address: 'ivan@client.example', reason: 'userunknown' }));
  });

  it('stays linear on a long run without an "@" (no regex blow-up)', () => {
    const raw = `From: MAILER-DAEMON@x.example\nSubject: Undelivered\n\n<${'a'.repeat(200_000)}@${'b.'.repeat(100_000)}>: ${'user '.repeat(40_000)}`;
    const start = Date.now();
    classifyMessage(raw);
    expect(Date.now() - start).toBeLessThan(2000);
  });

  it('never throws on arbitrary bytes or on mangled real messages', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.nat(DSN_BOUNCE.length), fc.string({ maxLength: 40 }), (bytes, cutAt, noise) => {
        const mangled = DSN_BOUNCE.slice(0, cutAt) + noise + DSN_BOUNCE.slice(cutAt + noise.length);
        for (const input of [Buffer.from(bytes), mangled]) {
          const c = classifyMessage(input);
          expect(['bounce', 'complaint', 'autoreply', 'reply', 'delivered', 'unknown']).toContain(c.kind);
        }
      }),
      { numRuns: 300 },
    );
  });
});
