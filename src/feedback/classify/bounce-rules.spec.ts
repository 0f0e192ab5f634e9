// One test per bounce rule, each on a message written from the format's documentation
// (RFC 3463 enhanced status codes, RFC 3464 delivery-status fields, RFC 5965 ARF), checking the
// reason, the hardness and the evidence (rule id) that decided them.
import { dsn } from './__fixtures__/messages';
import { classifyMessage } from './classify-message';
import { judgeBounce } from './reason';
import type { BounceReason } from './types';

function first(raw: string) {
  const c = classifyMessage(raw);
  expect(c.kind).toBe('bounce');
  return c.recipients[0];
}

describe('bounce rules (RFC 3463 status codes in an RFC 3464 report)', () => {
  it.each<[string, string, string | null, BounceReason, boolean, string]>([
    // [why, Status, Diagnostic-Code, reason, hard, rule]
    [
      'X.1.1 bad destination mailbox, vague words: hard',
      '5.1.1',
      '550 5.1.1 Requested action not taken',
      'userunknown',
      true,
      'status:x.1.1',
    ],
    ['X.1.2 bad destination system: hard', '5.1.2', '550 5.1.2 Requested action not taken', 'hostunknown', true, 'status:x.1.2'],
    ['X.1.3 bad mailbox address syntax: hard', '5.1.3', '501 5.1.3 Requested action not taken', 'userunknown', true, 'status:x.1.3'],
    ['X.1.10 recipient address has null MX: hard', '5.1.10', '556 5.1.10 Requested action not taken', 'notaccept', true, 'status:x.1.10'],
    ['X.2.2 mailbox full, trusted before words: soft', '5.2.2', '552 5.2.2 Requested action aborted', 'mailboxfull', false, 'status:x.2.2'],
    ['X.2.1 with "suspended": soft suspend', '5.2.1', '550 5.2.1 This account has been suspended', 'suspend', false, 'text:suspend'],
    ['X.3.x mail system: soft', '5.3.0', '554 5.3.0 Requested action not taken', 'systemerror', false, 'status:x.3.0'],
    ['X.3.4 message too big: soft', '5.3.4', '552 5.3.4 Requested action not taken', 'mesgtoobig', false, 'status:x.3.4'],
    ['X.4.x network and routing: soft', '5.4.1', '550 5.4.1 Requested action not taken', 'networkerror', false, 'status:x.4.1'],
    [
      'X.4.4 unable to route (permanent or transient, RFC 3463): soft',
      '5.4.4',
      '554 5.4.4 Requested action not taken',
      'networkerror',
      false,
      'status:x.4.4',
    ],
    ['X.5.x protocol: soft', '5.5.2', '500 5.5.2 Requested action not taken', 'syntaxerror', false, 'status:x.5.2'],
    ['X.6.x content: soft', '5.6.0', '554 5.6.0 Requested action not taken', 'contenterror', false, 'status:x.6.0'],
    ['X.7.x security: soft', '5.7.4', '554 5.7.4 Requested action not taken', 'securityerror', false, 'status:x.7.4'],
    [
      'X.7.1 with policy words: soft policyviolation',
      '5.7.1',
      '550 5.7.1 Message refused: violation of our local policy',
      'policyviolation',
      false,
      'text:policyviolation',
    ],
    [
      'X.7.1 with spam words: soft spamdetected',
      '5.7.1',
      '554 5.7.1 Message looks like spam, not accepted',
      'spamdetected',
      false,
      'text:spamdetected',
    ],
    [
      'X.7.1 with a blacklist: soft blocked',
      '5.7.1',
      '550 5.7.1 Your IP 192.0.2.8 is blacklisted at rbl.example',
      'blocked',
      false,
      'text:blocked',
    ],
    ['bare 5.0.0 with no clear text: soft undefined', '5.0.0', '550 5.0.0 Message not accepted', 'undefined', false, 'default:undefined'],
    ['words "no such user" decide: hard', '5.0.0', '550 No such user here', 'userunknown', true, 'text:userunknown'],
    [
      '4.x.x is never hard, even "user unknown"',
      '4.1.1',
      '450 4.1.1 <kate@client.example>: Recipient address rejected: User unknown',
      'userunknown',
      false,
      'soft:temporary',
    ],
  ])('%s', (_why, status, diagnostic, reason, hard, rule) => {
    const r = first(dsn({ recipient: 'kate@client.example', status, diagnostic }));
    expect({ reason: r.reason, hard: r.hard, rule: r.evidence?.rule }).toEqual({ reason, hard, rule });
    expect(r.evidence?.status).toBe(status);
  });

  it('reads Final-Recipient over Original-Recipient, Action and Status', () => {
    const r = first(
      dsn({ recipient: 'kate.new@client.example', originalRecipient: 'kate@client.example', status: '5.1.1', diagnostic: null }),
    );
    expect([r.address, r.action, r.status]).toEqual(['kate.new@client.example', 'failed', '5.1.1']);
  });

  it('Action: delayed is never hard and its vague cause is an expiry', () => {
    const r = first(
      dsn({ recipient: 'kate@client.example', action: 'delayed', status: '4.4.7', diagnostic: null, subject: 'Delivery delayed' }),
    );
    expect([r.reason, r.hard]).toEqual(['expired', false]);
  });

  it('keeps the matched line as evidence', () => {
    const r = first(
      dsn({
        recipient: 'kate@client.example',
        status: '5.1.1',
        diagnostic: '550 5.1.1 <kate@client.example>: Recipient address rejected: User unknown in local recipient table',
      }),
    );
    expect(r.evidence).toEqual({
      rule: 'text:userunknown',
      status: '5.1.1',
      matchedLine: expect.stringContaining('User unknown in local recipient table'),
    });
  });
});

describe('when in doubt, soft: text outweighs a generic 5.x.x status', () => {
  it.each<[string, Parameters<typeof judgeBounce>[0], BounceReason, string]>([
    ['"mailbox full" under 5.1.1', { diagnostic: '550 5.1.1 Mailbox is full', status: '5.1.1' }, 'mailboxfull', 'text:mailboxfull'],
    [
      '"mailbox over" its limit beside "unknown user"',
      { diagnostic: '550 5.1.1 Unknown user or mailbox over the limit', status: '5.1.1' },
      'mailboxfull',
      'soft:text-mailboxfull',
    ],
    [
      'a greylisting note beside "no such user"',
      { diagnostic: '550 5.0.0 No such user? greylisted, come back', status: '5.0.0' },
      'systemerror',
      'soft:text-systemerror',
    ],
    [
      'policy block worded as unknown',
      { diagnostic: '550 5.1.1 Unknown recipient; blocked by local policy', status: '5.1.1' },
      'policyviolation',
      'soft:text-policyviolation',
    ],
    [
      'rate limit under 5.x.x',
      { diagnostic: '550 5.0.0 user not found (rate limit exceeded, try again later)', status: '5.0.0' },
      'systemerror',
      'soft:text-systemerror',
    ],
    [
      'a "domain not found" under 5.7.x is about the sender',
      { diagnostic: '550 5.7.1 domain not found', status: '5.7.1' },
      'rejected',
      'soft:policy-status-x.7',
    ],
    [
      'a bare "user unknown" under 5.7.x is a filter',
      { diagnostic: '550 5.7.1 User unknown', status: '5.7.1' },
      'filtered',
      'soft:status-contradicts-unknown',
    ],
    [
      '"user unknown" after DATA is the content refused',
      { diagnostic: '554 User unknown', status: '5.0.0', command: 'DATA' },
      'filtered',
      'command:DATA-filtered',
    ],
    [
      'refused at MAIL FROM is about the sender',
      { diagnostic: '550 5.1.1 Unknown user', status: '5.1.1', command: 'MAIL' },
      'rejected',
      'command:MAIL-rejected',
    ],
    ['refused at connection with vague words', { diagnostic: '554 Access denied', command: 'CONN' }, 'blocked', 'command:CONN-blocked'],
    [
      'a vague delay warning',
      { diagnostic: 'connect to mx.client.example: Connection refused', delayed: true },
      'expired',
      'delayed:expired',
    ],
    [
      'only weak words ("mailbox unavailable")',
      { diagnostic: '550 Requested action not taken: mailbox unavailable', status: '5.0.0' },
      'userunknown',
      'soft:weak-words',
    ],
    [
      'a 4xx reply with a 5.x.x-looking text',
      { diagnostic: '451 Temporary lookup failure for user unknown', replyCode: '451' },
      'systemerror',
      'soft:text-systemerror',
    ],
  ])('%s is soft', (_why, input, reason, rule) => {
    const j = judgeBounce(input);
    expect({ reason: j.reason, hard: j.hard, rule: j.evidence.rule }).toEqual({ reason, hard: false, rule });
  });

  it('an address named filtered@ or spam@ is not read as a cause', () => {
    const j = judgeBounce({ diagnostic: '550 5.1.1 <spam@client.example>: Recipient address rejected: User unknown', status: '5.1.1' });
    expect([j.reason, j.hard]).toEqual(['userunknown', true]);
  });
});

describe('RFC 5965 feedback report (ARF)', () => {
  it('is a complaint with its Feedback-Type, never a bounce', () => {
    const raw = [
      'From: fbl@isp.example',
      'To: fbl-reports@shop.example',
      'Subject: Abuse report',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=feedback-report; boundary="=_f"',
      '',
      '--=_f',
      'Content-Type: text/plain',
      '',
      'This is an email abuse report for an email message received from IP 192.0.2.1.',
      '',
      '--=_f',
      'Content-Type: message/feedback-report',
      '',
      'Feedback-Type: abuse',
      'User-Agent: SomeGenerator/1.0',
      'Version: 1',
      'Original-Rcpt-To: <reader@isp.example>',
      '',
      '--=_f',
      'Content-Type: text/rfc822-headers',
      '',
      'From: Shop <news@shop.example>',
      'To: reader@isp.example',
      'Subject: Spring offer',
      '',
      '--=_f--',
      '',
    ].join('\n');
    const c = classifyMessage(raw);
    expect([c.kind, c.feedbackType, c.recipients[0]?.address]).toEqual(['complaint', 'abuse', 'reader@isp.example']);
  });
});
