import { findCommand, pickStatus, readBounceText } from './bounce-text';

const none = { exclude: new Set<string>() };

describe('readBounceText', () => {
  it('reads Exim: address line then indented diagnostic', () => {
    const text = [
      'A message that you sent could not be delivered to one or more of its',
      'recipients. This is a permanent error. The following address(es) failed:',
      '',
      '  ivan@example.ru',
      '    SMTP error from remote mail server after RCPT TO:<ivan@example.ru>:',
      '    host mx.example.ru [192.0.2.1]: 550 5.1.1 <ivan@example.ru>... User unknown',
      '  anna@example.ru',
      '    SMTP error from remote mail server after RCPT TO:<anna@example.ru>:',
      '    host mx.example.ru [192.0.2.1]: 552 5.2.2 Mailbox full',
    ].join('\n');
    const { recipients, strong } = readBounceText(text, none);
    expect(strong).toBe(true);
    expect(recipients.map((r) => [r.address, r.status, r.replyCode, r.command])).toEqual([
      ['ivan@example.ru', '5.1.1', '550', 'RCPT'],
      ['anna@example.ru', '5.2.2', '552', 'RCPT'],
    ]);
    expect(recipients[1].diagnostic).toContain('Mailbox full');
    expect(recipients[1].diagnostic).not.toContain('User unknown');
  });

  it('reads qmail: <address>: then the remote reply', () => {
    const text =
      'Hi. This is the qmail-send program.\n\n<petr@example.net>:\n192.0.2.1 does not like recipient.\nRemote host said: 552 Error: disk quota exceeded\nGiving up on 192.0.2.1.\n';
    const [r] = readBounceText(text, none).recipients;
    expect(r.address).toBe('petr@example.net');
    expect(r.diagnostic).toContain('disk quota exceeded');
  });

  it('follows the diagnostic into the next paragraphs (Gmail layout)', () => {
    const text =
      'Delivery to the following recipient failed permanently:\n\n     olga@example.com\n\nTechnical details of permanent failure:\nGoogle tried to deliver your message.\n\nThe error that the other server returned was:\n550 5.1.1 <olga@example.com>... User Unknown\n';
    const [r] = readBounceText(text, none).recipients;
    expect(r.address).toBe('olga@example.com');
    expect(r.status).toBe('5.1.1');
  });

  it('skips excluded addresses and treats system mailboxes as recipients only when named as one', () => {
    const text =
      'Please contact <postmaster@isp.example> for help.\nThe message from sender@shop.example to <buyer@example.org> was undeliverable.\n';
    const res = readBounceText(text, { exclude: new Set(['sender@shop.example']), excludeWeak: new Set(['postmaster@isp.example']) });
    expect(res.recipients.map((r) => r.address)).toEqual(['buyer@example.org']);
  });

  it('uses X-Failed-Recipients hints first', () => {
    const res = readBounceText('  x@example.org\n    550 unknown user\n  y@example.org\n', {
      exclude: new Set(),
      hints: ['y@example.org'],
    });
    expect(res.recipients.map((r) => r.address)).toEqual(['y@example.org']);
  });

  it('reports weak evidence when no address is named as a recipient', () => {
    const res = readBounceText('Something failed, ask admin@example.org about it.', none);
    expect(res.strong).toBe(false);
    expect(res.recipients.map((r) => r.address)).toEqual(['admin@example.org']);
  });
});

describe('pickStatus and findCommand', () => {
  it.each([
    ["5.1.0 - Unknown address error 550-'5.7.1 <a@b>... Access denied'", '5.7.1'],
    ['Sorry, no SMTP connection got far enough (#5.5.0)', '5.5.0'],
    ['Out: 250 2.1.5 Ok In: DATA Out: 451 4.3.0 Error', '4.3.0'],
    ['no code here', null],
  ])('status of %s', (text, status) => {
    expect(pickStatus(text)).toBe(status);
  });
  it.each([
    ['(in reply to RCPT TO command)', 'RCPT'],
    ['SMTP error from remote mail server after MAIL FROM:<a@b> SIZE=1', 'MAIL'],
    ['(in reply to end of DATA command)', 'DATA'],
    ['>>> DATA', 'DATA'],
    ['SMTP error from remote mail server after initial connection:', 'CONN'],
    ['while performing the HELO handshake', null],
  ])('command of %s', (text, command) => {
    expect(findCommand(text)).toBe(command);
  });
});
