import { providerClassification } from './provider-events';

const mailgun = (event: string, extra: Record<string, unknown> = {}) => ({
  signature: { timestamp: '1', token: 't', signature: 's' },
  'event-data': { event, recipient: 'Ivan@Mail.example', message: { headers: { 'message-id': 'otk.42@bounces.shop.example' } }, ...extra },
});

describe('providerClassification', () => {
  it.each([
    [
      'Mailgun permanent failure, user unknown',
      'mailgun',
      mailgun('failed', {
        severity: 'permanent',
        'delivery-status': { code: 550, message: '5.1.1 The email account that you tried to reach does not exist' },
      }),
      { kind: 'bounce', hard: true, reason: 'userunknown' },
    ],
    [
      'Mailgun temporary failure',
      'mailgun',
      mailgun('failed', { severity: 'temporary', 'delivery-status': { code: 452, message: '4.2.2 Mailbox full' } }),
      { kind: 'bounce', hard: false, reason: 'mailboxfull' },
    ],
    [
      'Mailgun permanent spam block stays soft',
      'mailgun',
      mailgun('failed', { severity: 'permanent', 'delivery-status': { code: 554, message: '5.7.1 Message rejected as spam' } }),
      { kind: 'bounce', hard: false },
    ],
    ['Mailgun complaint', 'mailgun', mailgun('complained'), { kind: 'complaint', hard: false, reason: 'feedback' }],
    [
      'SendGrid bounce',
      'sendgrid',
      {
        event: 'bounce',
        type: 'bounce',
        email: 'ivan@mail.example',
        status: '5.1.1',
        reason: '550 5.1.1 user unknown',
        'smtp-id': '<otk.42@bounces.shop.example>',
      },
      { kind: 'bounce', hard: true, reason: 'userunknown' },
    ],
    [
      'SendGrid blocked is soft',
      'sendgrid',
      { event: 'bounce', type: 'blocked', email: 'ivan@mail.example', status: '5.7.1', reason: '550 5.1.1 user unknown' },
      { kind: 'bounce', hard: false },
    ],
    ['SendGrid spam report', 'sendgrid', { event: 'spamreport', email: 'ivan@mail.example' }, { kind: 'complaint' }],
    [
      'Postmark hard bounce',
      'postmark',
      { RecordType: 'Bounce', Type: 'HardBounce', Email: 'ivan@mail.example', Details: 'smtp;550 5.1.1 The email account does not exist' },
      { kind: 'bounce', hard: true, reason: 'userunknown' },
    ],
    [
      'Postmark soft bounce',
      'postmark',
      { RecordType: 'Bounce', Type: 'SoftBounce', Email: 'ivan@mail.example', Details: 'smtp;452 4.2.2 mailbox full' },
      { kind: 'bounce', hard: false },
    ],
    ['Postmark spam complaint', 'postmark', { RecordType: 'SpamComplaint', Email: 'ivan@mail.example' }, { kind: 'complaint' }],
  ] as const)('%s', (_name, provider, body, expected) => {
    const c = providerClassification(provider, body);
    expect(c?.kind).toBe(expected.kind);
    const r = c!.recipients[0];
    expect(r.address).toBe('ivan@mail.example');
    if ('hard' in expected) expect(r.hard).toBe(expected.hard);
    if ('reason' in expected) expect(r.reason).toBe(expected.reason);
  });

  it('keeps our Message-ID for correlation', () => {
    expect(
      providerClassification('sendgrid', { event: 'delivered', email: 'a@b.example', 'smtp-id': '<otk.7@bounces.shop.example>' })
        ?.correlation.originalMessageId,
    ).toBe('otk.7@bounces.shop.example');
  });

  it.each([
    ['an open', 'sendgrid', { event: 'open', email: 'a@b.example' }],
    ['a deferral', 'sendgrid', { event: 'deferred', email: 'a@b.example' }],
    ['no recipient', 'mailgun', mailgun('failed', { recipient: '' })],
    ['garbage', 'postmark', 'nonsense'],
  ] as const)('ignores %s', (_name, provider, body) => {
    expect(providerClassification(provider, body)).toBeNull();
  });

  it('reads an unsubscribe event as an unsubscribe request', () => {
    expect(providerClassification('sendgrid', { event: 'unsubscribe', email: 'a@b.example' })).toMatchObject({
      kind: 'reply',
      intent: 'unsubscribe',
      from: 'a@b.example',
    });
  });
});
