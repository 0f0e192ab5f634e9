import { linesFor } from '../../cli/feedback-classify';

const bounce = Buffer.from(
  'From: MAILER-DAEMON@mx.example\nTo: bounces+5@shop.example\nSubject: Undelivered Mail\nX-Failed-Recipients: a@x.example, b@x.example\n\n' +
    'The following address(es) failed:\n\n  a@x.example\n    550 5.1.1 User unknown\n  b@x.example\n    552 5.2.2 Mailbox full\n',
);

describe('feedback-classify CLI lines', () => {
  it('prints one line per recipient with the agreed fields, in order', () => {
    const lines = linesFor('x.eml', bounce);
    expect(lines.map((l) => Object.keys(l).slice(0, 9))).toEqual([
      ['file', 'kind', 'hard', 'reason', 'status', 'recipient', 'correlation', 'intent', 'newAddress'],
      ['file', 'kind', 'hard', 'reason', 'status', 'recipient', 'correlation', 'intent', 'newAddress'],
    ]);
    expect(lines.map((l) => [l.recipient, l.reason, l.hard, l.correlation.verpMessageId])).toEqual([
      ['a@x.example', 'userunknown', true, '5'],
      ['b@x.example', 'mailboxfull', false, '5'],
    ]);
  });

  it('adds the evidence of each line: the rule, the status, the matched line', () => {
    const lines = linesFor('x.eml', bounce);
    expect(lines[1].evidence).toEqual({ rule: 'status:x.2.2', status: '5.2.2' });
    expect(lines[0].evidence).toMatchObject({
      rule: 'text:userunknown',
      status: '5.1.1',
      matchedLine: expect.stringContaining('User unknown'),
    });
    const reply = Buffer.from('From: ann@client.example\nTo: news@shop.example\nSubject: Re: offer\n\nМожно счёт?\n');
    expect(linesFor('r.eml', reply)[0]).toMatchObject({
      kind: 'reply',
      intent: 'lead',
      evidence: [expect.objectContaining({ rule: 'reply:lead/invoice-request' })],
    });
  });

  it('prints one line even when nothing is found', () => {
    expect(linesFor('junk.eml', Buffer.from('garbage'))).toEqual([
      expect.objectContaining({ file: 'junk.eml', kind: 'unknown', recipient: null, error: expect.any(String) }),
    ]);
  });
});
