// Fuzz: everything that reads inbound bytes from strangers (mail, provider webhooks, SNS, SMS
// replies) returns a result for any input, within the time bound, and never crashes. The
// classifier catches its own exceptions and reports them as "unreadable message: …", so an
// internal crash would hide there: that error counts as a crash here. Its strings are stored
// in PostgreSQL (text and jsonb), so they must be storable: no U+0000, no lone surrogate.
import fc from 'fast-check';
import { announceSeed, expectOwnError, fuzzParameters, mutated, nastyString, NASTY_STRINGS, oddJson, timed } from '../../test/support/fuzz';
import { classifyMessage } from './classify';
import type { Classification } from './classify';
import { parseSesNotification } from './classify/ses-notification';
import { messageRefs } from './feedback-actions';
import { smsReplyClassification } from './sms-reply';
import { providerClassification } from './webhooks/provider-events';
import { parseSnsMessage } from './webhooks/sns-signature';

const KINDS = ['bounce', 'complaint', 'autoreply', 'reply', 'delivered', 'unknown'];
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Every string inside a value, with its path. */
function strings(value: unknown, path = '', out: Array<[string, string]> = []): Array<[string, string]> {
  if (typeof value === 'string') out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => strings(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) strings(v, path ? `${path}.${k}` : k, out);
  return out;
}

function expectStorable(c: Classification): void {
  for (const [path, text] of strings(c)) {
    const bad = UNSTORABLE.exec(text);
    if (bad)
      throw new Error(
        `classification.${path} holds text PostgreSQL cannot store at ${bad.index}: …${JSON.stringify(text.slice(Math.max(0, bad.index - 20), bad.index + 20))}…`,
      );
  }
}

function expectSound(c: Classification): void {
  expect(KINDS).toContain(c.kind);
  if (c.error?.startsWith('unreadable message')) throw new Error(`the classifier crashed inside: ${c.error}`);
  expectStorable(c);
  // What the actions do with it must not throw either (ids become bigint).
  const refs = messageRefs(c, null, 'fuzz-secret-key-of-at-least-32-characters', true);
  for (const id of refs.ids) expect(id > 0n && id <= 9223372036854775807n).toBe(true);
}

const eml = (headers: string[], body: string) => `${headers.join('\r\n')}\r\n\r\n${body}`;

const SAMPLES = [
  eml(
    [
      'Return-Path: <>',
      'From: MAILER-DAEMON@mx.shop.example',
      'To: bounces+123456@mail.shop.example',
      'Subject: Undelivered Mail',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="BB"',
    ],
    [
      '--BB',
      'Content-Type: text/plain; charset=us-ascii',
      '',
      '<ivan@client.example>: host mx.client.example said: 550 5.1.1 User unknown (in reply to RCPT TO command)',
      '--BB',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.shop.example',
      '',
      'Final-Recipient: rfc822; ivan@client.example',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 <ivan@client.example>: User unknown',
      '--BB',
      'Content-Type: message/rfc822',
      '',
      'Message-ID: <otk.123456@mail.shop.example>',
      'X-Otklik-Message: 123456',
      'From: Shop <news@shop.example>',
      'Subject: =?utf-8?B?0KHQutC40LTQutC4?=',
      '',
      'Body',
      '--BB--',
    ].join('\r\n'),
  ),
  eml(
    ['From: feedback@fbl.mail.example', 'Subject: Complaint', 'Content-Type: multipart/report; report-type=feedback-report; boundary=F'],
    [
      '--F',
      'Content-Type: text/plain',
      '',
      'Abuse report',
      '--F',
      'Content-Type: message/feedback-report',
      '',
      'Feedback-Type: abuse',
      'Version: 1',
      'Original-Rcpt-To: <petr@mail.example>',
      '--F',
      'Content-Type: text/rfc822-headers',
      '',
      'Message-ID: <otk.555@mail.shop.example>',
      '--F--',
    ].join('\n'),
  ),
  eml(
    [
      'From: Ivan <ivan@client.example>',
      'Subject: Re: Offer',
      'In-Reply-To: <otk.42@mail.shop.example>',
      'Content-Type: text/plain; charset=koi8-r',
      'Content-Transfer-Encoding: quoted-printable',
      'Auto-Submitted: auto-replied',
    ],
    '=F1=D0=C1=D3=C9=C2=CF, =D0=D2=C9=DB=CC=C9=D4=C5 =D0=D2=C1=CA=D3!=\r\n\r\n> quoted original\r\n',
  ),
  eml(
    ['From: Olga <olga@corp.example>', 'Subject: Re: Prices', 'Content-Type: multipart/alternative; boundary=ALT'],
    [
      '--ALT',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('Хочу купить 10 штук, пришлите счёт. Мой новый адрес olga@new.example').toString('base64'),
      '--ALT',
      'Content-Type: text/html',
      '',
      '<p>Buy <b>10</b></p><script>x</script>',
      '--ALT--',
    ].join('\r\n'),
  ),
  eml(
    ['From: SES <no-reply@sns.amazonaws.com>', 'Subject: AWS Notification Message', 'Content-Type: text/plain; charset=UTF-8'],
    JSON.stringify({
      notificationType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bouncedRecipients: [{ emailAddress: 'gone@example.com', status: '5.1.1', diagnosticCode: 'smtp; 550' }],
      },
      mail: { headers: [{ name: 'Message-ID', value: '<otk.9@mail.shop.example>' }] },
    }),
  ),
];

/** A message built from parts whose header values and bodies are hostile. */
const structured = fc
  .record({
    from: nastyString(60),
    subject: nastyString(120),
    type: fc.constantFrom(
      'text/plain',
      'text/html',
      'multipart/mixed',
      'multipart/report',
      'message/rfc822',
      'message/delivery-status',
      'message/feedback-report',
      'application/json',
      'x/y',
    ),
    charset: fc.oneof(
      fc.constantFrom(
        'utf-8',
        'utf-16',
        'utf-16le',
        'utf-32',
        'koi8-r',
        'windows-1251',
        'iso-2022-jp',
        'x-unknown',
        'constructor',
        'toString',
        '__proto__',
        'hasOwnProperty',
      ),
      nastyString(20),
    ),
    boundary: fc.oneof(fc.constantFrom('B', '', '"', 'constructor', '--', 'a'.repeat(300)), nastyString(20)),
    encoding: fc.constantFrom('7bit', 'base64', 'quoted-printable', 'binary', 'x-uuencode', ''),
    parts: fc.array(fc.tuple(nastyString(60), fc.uint8Array({ maxLength: 300 })), { maxLength: 4 }),
  })
  .map(({ from, subject, type, charset, boundary, encoding, parts }) => {
    const body = parts
      .map(
        ([header, bytes]) =>
          `--${boundary}\r\nContent-Type: text/plain; charset=${charset}\r\n${header}\r\nContent-Transfer-Encoding: ${encoding}\r\n\r\n${Buffer.from(bytes).toString('latin1')}`,
      )
      .join('\r\n');
    return Buffer.from(
      `From: ${from}\r\nSubject: ${subject}\r\nContent-Type: ${type}; boundary="${boundary}"; charset=${charset}\r\nContent-Transfer-Encoding: ${encoding}\r\n\r\n${body}\r\n--${boundary}--\r\n`,
      'latin1',
    );
  });

announceSeed('inbound parsers');

describe('fuzz: classifyMessage (raw inbound mail)', () => {
  it('classifies random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4000 }), (bytes) => {
        const out = timed('classifyMessage', () => classifyMessage(Buffer.from(bytes)));
        if (!out.ok) throw out.error;
        expectSound(out.value);
      }),
      fuzzParameters(300),
    );
  });

  it('classifies mutated real messages', () => {
    fc.assert(
      fc.property(mutated(SAMPLES), (raw) => {
        const out = timed('classifyMessage', () => classifyMessage(Buffer.from(raw, 'latin1')));
        if (!out.ok) throw out.error;
        expectSound(out.value);
      }),
      fuzzParameters(400),
    );
  });

  it('classifies messages with hostile headers, charsets, boundaries and encodings', () => {
    fc.assert(
      fc.property(structured, (raw) => {
        const out = timed('classifyMessage', () => classifyMessage(raw));
        if (!out.ok) throw out.error;
        expectSound(out.value);
      }),
      fuzzParameters(400),
    );
  });

  /** Long runs of one unit are what catastrophic regexes and quadratic loops choke on. */
  const RUN_UNITS = [
    '\n',
    '\r\n',
    '\r',
    ' ',
    '\t',
    ' \t',
    ' \n',
    '> ',
    '>\n',
    'a',
    'a ',
    'a.',
    '@',
    'a@',
    '<',
    '<>',
    '=',
    '=\n',
    '-',
    '--B\n',
    ':',
    'X: y\n',
    'Received: x\n',
    '=?utf-8?q?',
    'bounces+1@',
    'Final-Recipient: ',
    '550 ',
    '5.1.1 ',
    'я',
    '😀',
  ];
  const placeRun = (sample: string, run: string, where: string) => {
    if (where === 'header') return `X-Filler: ${run}\r\n${sample}`;
    if (where === 'body') return `${sample}\r\n${run}`;
    if (where === 'middle') return sample.slice(0, sample.length >> 1) + run + sample.slice(sample.length >> 1);
    return `Subject: ${run}\r\n${sample}${run}`;
  };

  it('stays within the time bound on 100 KB runs of one character after every sample', () => {
    for (const sample of SAMPLES) {
      for (const unit of RUN_UNITS) {
        for (const where of ['header', 'body', 'middle']) {
          const out = timed(`classifyMessage (${JSON.stringify(unit)} in the ${where})`, () =>
            classifyMessage(placeRun(sample, unit.repeat(Math.ceil(100_000 / unit.length)), where)),
          );
          if (!out.ok) throw out.error;
          expectSound(out.value);
        }
      }
    }
  });

  it('stays within the time bound on huge and repetitive messages', () => {
    const repeat = fc.tuple(fc.constantFrom(...NASTY_STRINGS, ...RUN_UNITS), fc.integer({ min: 10_000, max: 200_000 }));
    fc.assert(
      fc.property(
        fc.constantFrom(...SAMPLES),
        repeat,
        fc.constantFrom('header', 'body', 'middle', 'both'),
        (sample, [unit, times], where) => {
          const out = timed('classifyMessage', () =>
            classifyMessage(placeRun(sample, unit.repeat(Math.ceil(times / Math.max(1, unit.length))), where)),
          );
          if (!out.ok) throw out.error;
          expectSound(out.value);
        },
      ),
      fuzzParameters(30),
    );
  });
});

describe('fuzz: provider webhooks, SNS and SMS replies', () => {
  const sendgridLike = fc.record(
    {
      email: nastyString(),
      event: fc.constantFrom('bounce', 'dropped', 'spamreport', 'delivered', 'unsubscribe', 'open'),
      reason: nastyString(),
      status: nastyString(12),
      type: nastyString(12),
      smtp_id: nastyString(),
      sg_message_id: nastyString(),
    },
    { requiredKeys: [], noNullPrototype: true },
  );
  const mailgunLike = fc.record(
    {
      'event-data': fc.record(
        {
          event: fc.constantFrom('failed', 'complained', 'delivered', 'unsubscribed', 'x'),
          recipient: nastyString(),
          severity: nastyString(12),
          'delivery-status': oddJson(3),
          message: fc.record({ headers: oddJson(3) }, { noNullPrototype: true }),
        },
        { requiredKeys: [], noNullPrototype: true },
      ),
    },
    { noNullPrototype: true },
  );
  const postmarkLike = fc.record(
    {
      RecordType: fc.constantFrom('Bounce', 'SpamComplaint', 'Delivery', 'SubscriptionChange', 'Open'),
      Type: nastyString(20),
      Email: nastyString(),
      Recipient: nastyString(),
      MessageID: nastyString(),
      Headers: oddJson(3),
      Description: nastyString(),
      Details: nastyString(),
      SuppressSending: fc.boolean(),
    },
    { requiredKeys: [], noNullPrototype: true },
  );
  const body = fc.oneof(oddJson(), sendgridLike, mailgunLike, postmarkLike);

  it('reads any JSON body as a classification or nothing', () => {
    fc.assert(
      fc.property(fc.constantFrom<'mailgun' | 'sendgrid' | 'postmark'>('mailgun', 'sendgrid', 'postmark'), body, (provider, event) => {
        const out = timed('providerClassification', () => providerClassification(provider, event));
        if (!out.ok) throw out.error;
        if (out.value) expectSound(out.value);
      }),
      fuzzParameters(1500),
    );
  });

  it('reads any text as an SNS message, an SES notification, or nothing', () => {
    const ses = fc.oneof(
      nastyString(400),
      oddJson().map((v) => JSON.stringify({ notificationType: 'Bounce', bounce: v, mail: v }) ?? ''),
      oddJson().map((v) =>
        JSON.stringify({
          Type: 'Notification',
          MessageId: 'm',
          TopicArn: 'arn',
          Timestamp: 't',
          SignatureVersion: '1',
          Signature: 's',
          SigningCertURL: 'u',
          Message: JSON.stringify({ notificationType: 'Complaint', complaint: v }),
        }),
      ),
      mutated([
        JSON.stringify({
          notificationType: 'Bounce',
          bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'a@b.c', status: '5.1.1' }] },
          mail: { headers: [{ name: 'Message-ID', value: '<x@y>' }] },
        }),
      ]),
    );
    fc.assert(
      fc.property(ses, (text) => {
        const sns = timed('parseSnsMessage', () => parseSnsMessage(text));
        if (!sns.ok) throw sns.error;
        const parsed = timed('parseSesNotification', () => parseSesNotification(text));
        if (!parsed.ok) throw parsed.error;
      }),
      fuzzParameters(1500),
    );
  });

  it('reads any SMS reply; storable text stays storable (no surrogate pair cut in two)', () => {
    const text = fc.oneof(
      nastyString(2500),
      fc.tuple(fc.nat({ max: 2100 }), fc.string({ unit: 'grapheme', maxLength: 40 })).map(([n, tail]) => `${'я'.repeat(n)}😀${tail}`),
    );
    fc.assert(
      fc.property(nastyString(40), text, (from, body) => {
        const out = timed('smsReplyClassification', () => smsReplyClassification(from, body));
        if (!out.ok) throw expectOwnError(out.error, []);
        expect(KINDS).toContain(out.value.kind);
        if (!UNSTORABLE.test(from + body)) expectStorable(out.value);
      }),
      fuzzParameters(1000),
    );
  });
});
