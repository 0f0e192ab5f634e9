import { classifySmtpError, describeSmtpFailure, type SmtpFailure } from './smtp-errors';

/** An error as nodemailer (or smtp-client.ts) makes it: the response starts with the reply code. */
function smtpError(command: string | undefined, response: string, code = 'EPROTOCOL'): Error {
  return Object.assign(new Error(`${command ?? ''} refused: ${response}`), {
    code,
    command,
    response,
    responseCode: Number(response.slice(0, 3)),
  });
}

type Verdict = 'recipient' | 'sender: message' | 'sender: relay' | 'transient' | 'outage';

function verdict(failure: SmtpFailure): Verdict {
  return failure.kind === 'sender' ? `sender: ${failure.fault}` : failure.kind;
}

describe('classifySmtpError: whose fault a refusal is', () => {
  it.each<[string, string | undefined, string, string, Verdict]>([
    // ── the recipient's: they still count against the recipient ──
    [
      'user unknown at RCPT TO',
      'RCPT TO',
      '550 5.1.1 <anna@example.com>: Recipient address rejected: User unknown',
      'EENVELOPE',
      'recipient',
    ],
    ['no such user, no enhanced code', 'RCPT TO', '550 No such user here', 'EENVELOPE', 'recipient'],
    ['mailbox full at RCPT TO', 'RCPT TO', '552 5.2.2 Mailbox full', 'EENVELOPE', 'recipient'],
    ['mailbox full after the data', 'DATA', '552 5.2.2 Mailbox full', 'EMESSAGE', 'recipient'],
    [
      'mailbox size limit (a full mailbox in other words) after the data',
      'DATA',
      '552 Requested mail action aborted: mailbox size limit exceeded',
      'EMESSAGE',
      'recipient',
    ],
    [
      'exceeded storage allocation (RFC 5321 text for a full mailbox)',
      'DATA',
      '552 Requested mail action aborted: exceeded storage allocation',
      'EMESSAGE',
      'recipient',
    ],
    ['a recipient unknown only after the data', 'DATA', '550 5.1.1 User unknown', 'EMESSAGE', 'recipient'],
    ['a disabled mailbox', 'RCPT TO', '550 5.2.1 Mailbox disabled, not accepting messages', 'EENVELOPE', 'recipient'],
    ['a recipient domain with no route', 'RCPT TO', '554 5.4.4 Unable to route', 'EENVELOPE', 'recipient'],
    [
      "a recipient's policy (not the relay's)",
      'RCPT TO',
      '550 5.7.1 <boss@example.com>: Recipient address rejected: Access denied',
      'EENVELOPE',
      'recipient',
    ],
    ['a spam verdict on this message for this recipient', 'DATA', '554 5.7.1 Message rejected as spam', 'EMESSAGE', 'recipient'],
    ['an address the server cannot parse', 'RCPT TO', '501 5.1.3 Bad recipient address syntax', 'EENVELOPE', 'recipient'],
    [
      'an address refused as a mailbox name',
      'RCPT TO',
      '553 Requested action not taken: mailbox name not allowed',
      'EENVELOPE',
      'recipient',
    ],
    ['a bare 550 after the data', 'DATA', '550 Transaction failed', 'EMESSAGE', 'recipient'],
    ['a bare 554 with no step known', undefined, '554 Transaction failed', 'EMESSAGE', 'recipient'],

    // ── our message: the same for a whole campaign ──
    ['line too long, with a 5.5.2 code', 'DATA', '500 5.5.2 Line too long', 'EMESSAGE', 'sender: message'],
    ['line too long, bare', 'DATA', '500 Line too long', 'EMESSAGE', 'sender: message'],
    [
      'line too long, in other words and code',
      'DATA',
      '554 5.6.0 Message has lines longer than 998 characters',
      'EMESSAGE',
      'sender: message',
    ],
    ['message too big for the system', 'DATA', '552 5.3.4 Message size exceeds fixed limit', 'EMESSAGE', 'sender: message'],
    [
      'message over the administrative limit',
      'DATA',
      '552 5.2.3 Message length exceeds administrative limit',
      'EMESSAGE',
      'sender: message',
    ],
    [
      'message too big, no enhanced code (Postfix)',
      'DATA',
      '552 Message size exceeds fixed maximum message size',
      'EMESSAGE',
      'sender: message',
    ],
    [
      'message too big at MAIL FROM (SIZE=)',
      'MAIL FROM',
      '552 5.3.4 Message size exceeds fixed maximum message size',
      'EENVELOPE',
      'sender: message',
    ],
    ['message too big at RCPT TO', 'RCPT TO', '552 5.3.4 Message too big for system', 'EENVELOPE', 'sender: message'],
    ['a syntax error after the data', 'DATA', '501 5.5.4 Syntax error in parameters', 'EMESSAGE', 'sender: message'],
    ['bad sequence after the data', 'DATA', '503 5.5.1 Error: bad sequence of commands', 'EMESSAGE', 'sender: message'],
    ['a bare 500 after the data', 'DATA', '500 Error: bad syntax', 'EMESSAGE', 'sender: message'],
    ['malformed MIME', 'DATA', '554 5.6.1 Invalid MIME structure', 'EMESSAGE', 'sender: message'],
    ['an API transport refusing the content', 'API', '554 5.6.0 Message rejected: header too long', 'EMESSAGE', 'sender: message'],

    // ── our account, connection or sender: every message through this relay ──
    ['credentials refused', 'AUTH PLAIN', '535 5.7.8 Authentication credentials invalid', 'EAUTH', 'sender: relay'],
    ['credentials refused, no enhanced code (smtp-server)', 'AUTH PLAIN', '535 Invalid username or password', 'EAUTH', 'sender: relay'],
    ['AUTH LOGIN refused', 'AUTH LOGIN', '535 5.7.0 Error: authentication failed', 'EAUTH', 'sender: relay'],
    ['auth required at MAIL FROM', 'MAIL FROM', '530 5.7.0 Authentication required', 'EENVELOPE', 'sender: relay'],
    ['auth required at MAIL FROM (smtp-server)', 'MAIL FROM', '530 Error: authentication Required', 'EENVELOPE', 'sender: relay'],
    ['STARTTLS first, at MAIL FROM', 'MAIL FROM', '530 5.7.0 Must issue a STARTTLS command first', 'EENVELOPE', 'sender: relay'],
    [
      'sender not allowed at MAIL FROM',
      'MAIL FROM',
      '553 5.7.1 <news@shop.example>: Sender address rejected: not owned by user otklik',
      'EENVELOPE',
      'sender: relay',
    ],
    ['any other 5xx at MAIL FROM', 'MAIL FROM', '550 5.1.0 Address rejected', 'EENVELOPE', 'sender: relay'],
    ['a bad sender address syntax', 'MAIL FROM', '501 5.1.7 Bad sender address syntax', 'EENVELOPE', 'sender: relay'],
    [
      'relay access denied at RCPT TO (Postfix)',
      'RCPT TO',
      '554 5.7.1 <anna@example.com>: Relay access denied',
      'EENVELOPE',
      'sender: relay',
    ],
    ['relaying denied at RCPT TO, no enhanced code', 'RCPT TO', '550 Relaying denied', 'EENVELOPE', 'sender: relay'],
    [
      'sender rejected at RCPT TO (delayed reject)',
      'RCPT TO',
      '554 5.7.1 <news@shop.example>: Sender address rejected: Access denied',
      'EENVELOPE',
      'sender: relay',
    ],
    ['auth required at RCPT TO', 'RCPT TO', '530 5.7.0 Authentication required', 'EENVELOPE', 'sender: relay'],
    ['an unrecognised command at RCPT TO', 'RCPT TO', '500 5.5.1 Command unrecognized', 'EENVELOPE', 'sender: relay'],
    ['RCPT out of sequence', 'RCPT TO', '503 Error: need MAIL command', 'EENVELOPE', 'sender: relay'],
    [
      'encryption required after the data',
      'DATA',
      '554 5.7.11 Encryption required for requested authentication mechanism',
      'EMESSAGE',
      'sender: relay',
    ],
    ['relay denied after the data', 'DATA', '554 5.7.1 Relay access denied', 'EMESSAGE', 'sender: relay'],
    ['the greeting refusing our host', 'CONN', '554 5.7.1 Service unavailable; client host blocked', 'EPROTOCOL', 'sender: relay'],
    ['HELO refused', 'HELO', '501 5.5.2 Syntax: HELO hostname', 'EPROTOCOL', 'sender: relay'],
    ['STARTTLS refused for good', 'STARTTLS', '554 5.7.3 TLS not available', 'EPROTOCOL', 'sender: relay'],

    // ── not a refusal for good ──
    ['greylisting', 'DATA', '451 4.7.1 Greylisted, try again later', 'EMESSAGE', 'transient'],
    ['mailbox temporarily full', 'RCPT TO', '452 4.2.2 Mailbox full', 'EENVELOPE', 'transient'],
    ['a temporary auth failure', 'AUTH PLAIN', '454 4.7.0 Temporary authentication failure', 'EAUTH', 'transient'],
    ['the server closing', 'MAIL FROM', '421 4.3.2 Service shutting down', 'EENVELOPE', 'outage'],
  ])('%s: %s %s', (_name, command, response, code, expected) => {
    expect(verdict(classifySmtpError(smtpError(command, response, code)))).toBe(expected);
  });

  it.each<[string, Record<string, unknown>, Verdict]>([
    [
      'credentials missing (nodemailer, no answer)',
      { code: 'EAUTH', command: 'API', message: 'Missing credentials for "PLAIN"' },
      'sender: relay',
    ],
    [
      'a TLS handshake refused',
      { code: 'ETLS', command: 'STARTTLS', message: 'STARTTLS failed: self-signed certificate' },
      'sender: relay',
    ],
    ['connection refused', { code: 'ECONNECTION', command: 'CONN', message: 'connect ECONNREFUSED 127.0.0.1:25' }, 'outage'],
    ['a timeout', { code: 'ETIMEDOUT', message: 'SMTP connection timed out' }, 'outage'],
    [
      'a connection lost during STARTTLS',
      { code: 'ECONNECTION', command: 'STARTTLS', message: 'STARTTLS failed: socket hang up' },
      'outage',
    ],
    ['no answer to DATA', { code: 'EPROTOCOL', message: 'DATA not answered' }, 'outage'],
    ['a stream error on our side', { code: 'ESTREAM', message: 'read error' }, 'transient'],
    ['something that is not an SMTP error', { message: 'boom' }, 'transient'],
  ])('%s', (_name, error, expected) => {
    expect(verdict(classifySmtpError(Object.assign(new Error(String(error.message)), error)))).toBe(expected);
  });

  it('keeps what the server said and where', () => {
    expect(classifySmtpError(smtpError('DATA', '500 5.5.2 Line too long', 'EMESSAGE'))).toEqual({
      kind: 'sender',
      fault: 'message',
      command: 'DATA',
      responseCode: 500,
      response: '500 5.5.2 Line too long',
      message: 'DATA refused: 500 5.5.2 Line too long',
    });
    expect(classifySmtpError(null)).toEqual({
      kind: 'transient',
      message: 'null',
      command: undefined,
      responseCode: undefined,
      response: undefined,
    });
  });
});

describe('describeSmtpFailure', () => {
  it.each<[string, Error, string]>([
    [
      'our message',
      smtpError('DATA', '500 5.5.2 Line too long', 'EMESSAGE'),
      'the relay refused our message at DATA: 500 5.5.2 Line too long',
    ],
    [
      'our account',
      smtpError('AUTH PLAIN', '535 5.7.8 Authentication credentials invalid', 'EAUTH'),
      'the relay refused our account, connection or sender at AUTH PLAIN: 535 5.7.8 Authentication credentials invalid',
    ],
    ['a recipient', smtpError('RCPT TO', '550 5.1.1 User unknown', 'EENVELOPE'), 'RCPT TO: 550 5.1.1 User unknown'],
    [
      'a multi-line answer, on one line',
      smtpError('MAIL FROM', '530-5.7.0 Authentication required\n530 5.7.0 See the docs', 'EENVELOPE'),
      'the relay refused our account, connection or sender at MAIL FROM: 530-5.7.0 Authentication required 530 5.7.0 See the docs',
    ],
  ])('%s', (_name, error, expected) => {
    expect(describeSmtpFailure(classifySmtpError(error))).toBe(expected);
  });

  it('keeps a long answer short', () => {
    const reason = describeSmtpFailure(classifySmtpError(smtpError('DATA', `500 5.5.2 ${'x'.repeat(1000)}`, 'EMESSAGE')));
    expect(reason.length).toBeLessThan(360);
    expect(reason.endsWith('...')).toBe(true);
  });
});
