// Recipient extraction from bounce notices without a delivery-status part, one test per
// format, each on a notice written from the MTA's documented layout: the failed recipient is
// found, list / postmaster / mailer-daemon addresses and the original sender are not.
import { notice } from './__fixtures__/messages';
import { classifyMessage } from './classify-message';
import { unescapeAddress } from './addresses';

function recipients(raw: string): Array<[string, string, boolean]> {
  const c = classifyMessage(raw);
  expect(c.kind).toBe('bounce');
  return c.recipients.map((r) => [r.address, r.reason, r.hard]);
}

describe('non-DSN bounce notices', () => {
  it('qmail: "Hi. This is the qmail-send program", then <addr>: and the reason', () => {
    const raw = notice(
      { from: 'MAILER-DAEMON@mail.client.example', subject: 'failure notice' },
      [
        'Hi. This is the qmail-send program at mail.client.example.',
        "I'm afraid I wasn't able to deliver your message to the following addresses.",
        "This is a permanent error; I've given up. Sorry it didn't work out.",
        '',
        '<oleg@client.example>:',
        'Sorry, no mailbox here by that name. (#5.1.1)',
        '',
        '--- Below this line is a copy of the message.',
        '',
        'Return-Path: <news@shop.example>',
        'From: Shop <news@shop.example>',
        'To: oleg@client.example',
        'Subject: Spring offer',
      ].join('\n'),
    );
    expect(recipients(raw)).toEqual([['oleg@client.example', 'userunknown', true]]);
  });

  it('old Exchange: "The following recipient(s) could not be reached" with the name and the code', () => {
    const raw = notice(
      { from: 'System Administrator <postmaster@corp.client.example>', subject: 'Undeliverable: Spring offer' },
      [
        'Your message did not reach some or all of the intended recipients.',
        '',
        '      Subject:  Spring offer',
        '      Sent:     12/7/2026 10:00 AM',
        '',
        'The following recipient(s) could not be reached:',
        '',
        '      Nina Orlova on 12/7/2026 10:01 AM',
        "            The recipient's mailbox is full and can't accept messages now.",
        '            <mx.corp.client.example #5.2.2 smtp;552 5.2.2 <nina.orlova@corp.client.example>... Mailbox full>',
      ].join('\n'),
    );
    expect(recipients(raw)).toEqual([['nina.orlova@corp.client.example', 'mailboxfull', false]]);
  });

  it('Lotus Notes / Domino: "was not delivered to: … because: …"', () => {
    const raw = notice(
      { from: 'Postmaster@domino.client.example', subject: 'DELIVERY FAILURE: User pavel not listed in Domino Directory' },
      [
        'Your message',
        '',
        '  Subject: Spring offer',
        '',
        'was not delivered to:',
        '',
        '  pavel@domino.client.example',
        '',
        'because:',
        '',
        '  User pavel (pavel@domino.client.example) not listed in Domino Directory',
      ].join('\n'),
    );
    expect(recipients(raw)).toEqual([['pavel@domino.client.example', 'userunknown', true]]);
  });

  it('Sendmail: "The following addresses had permanent fatal errors" and the transcript', () => {
    const raw = notice(
      { from: 'Mail Delivery Subsystem <MAILER-DAEMON@relay.client.example>', subject: 'Returned mail: see transcript for details' },
      [
        'The original message was received at Mon, 7 Dec 2026 10:00:00 +0300',
        'from news.shop.example [192.0.2.4]',
        '',
        '   ----- The following addresses had permanent fatal errors -----',
        '<gleb@client.example>',
        '    (reason: 550 5.1.1 <gleb@client.example>... User unknown)',
        '',
        '   ----- Transcript of session follows -----',
        '... while talking to mx.client.example.:',
        '>>> RCPT To:<gleb@client.example>',
        '<<< 550 5.1.1 <gleb@client.example>... User unknown',
        '550 5.1.1 <gleb@client.example>... User unknown',
      ].join('\n'),
    );
    expect(recipients(raw)).toEqual([['gleb@client.example', 'userunknown', true]]);
  });

  it('Mailman-style list notice: the list, its owner and the sender are not recipients', () => {
    const raw = notice(
      {
        from: 'announce-bounces@lists.club.example',
        subject: 'Delivery failure',
        to: 'news@shop.example',
        extra: ['Auto-Submitted: auto-replied'],
      },
      [
        'The following addresses had permanent fatal errors:',
        '<vera@gone.example>',
        '   (reason: 550 No such user)',
        '',
        'Sent to list announce@lists.club.example by owner-announce@lists.club.example',
        'Questions: postmaster@lists.club.example',
      ].join('\n'),
    );
    expect(recipients(raw)).toEqual([['vera@gone.example', 'userunknown', true]]);
  });

  it("a list owner's notice without machine headers: the list address in its footer is not a recipient", () => {
    const raw = notice(
      { from: 'club-owner@lists.club.example', subject: 'Returned mail' },
      [
        'The following addresses had permanent fatal errors:',
        '    old.member@gone.example',
        '        (reason: 550 5.1.1 mailbox unavailable)',
        '',
        '-- ',
        'club mailing list',
        'club@lists.club.example',
      ].join('\n'),
    );
    expect(recipients(raw)).toEqual([['old.member@gone.example', 'userunknown', true]]);
  });

  it('Postfix without a DSN part: "<addr>: host … said: …"', () => {
    const raw = notice(
      { from: 'MAILER-DAEMON@mx.shop.example (Mail Delivery System)', subject: 'Undelivered Mail Returned to Sender' },
      [
        'This is the mail system at host mx.shop.example.',
        '',
        "I'm sorry to have to inform you that your message could not",
        'be delivered to one or more recipients.',
        '',
        'For further assistance, please send mail to postmaster.',
        '',
        '<liza@client.example>: host mx.client.example[192.0.2.9] said: 550 5.7.1',
        "    Message rejected by the recipient's spam filter (in reply to end of DATA",
        '    command)',
      ].join('\n'),
    );
    expect(recipients(raw)).toEqual([['liza@client.example', 'filtered', false]]);
  });

  it('an escaped inner address is unescaped ("postmaster\\@x@x" and a quoted local part)', () => {
    const raw = notice(
      { from: 'Mail Delivery Subsystem <MAILER-DAEMON@relay.club.example>', subject: 'Returned mail: User unknown' },
      [
        '   ----- The following addresses had permanent fatal errors -----',
        '"postmaster\\@old.club.example"@old.club.example',
        '    (reason: 550 5.1.1 User unknown)',
      ].join('\n'),
    );
    expect(recipients(raw)).toEqual([['postmaster@old.club.example', 'userunknown', true]]);
  });
});

describe('unescapeAddress', () => {
  it.each([
    ['postmaster\\@x.example@x.example', 'postmaster@x.example'],
    ['"postmaster\\@x.example"@x.example', 'postmaster@x.example'],
    ['"foo\\"bar"@x.example', 'foo"bar@x.example'],
    ['"john smith"@x.example', 'john smith@x.example'],
    ['plain@x.example', 'plain@x.example'],
  ])('%s → %s', (raw, want) => {
    expect(unescapeAddress(raw)).toBe(want);
  });
});
