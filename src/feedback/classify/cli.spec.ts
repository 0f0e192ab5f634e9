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

  it('prints one line even when nothing is found', () => {
    expect(linesFor('junk.eml', Buffer.from('garbage'))).toEqual([
      expect.objectContaining({ file: 'junk.eml', kind: 'unknown', recipient: null, error: expect.any(String) }),
    ]);
  });
});
