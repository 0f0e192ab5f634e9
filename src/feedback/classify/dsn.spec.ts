import { findReplyCode, findStatus, parseDeliveryStatus } from './dsn';

describe('parseDeliveryStatus', () => {
  it('reads per-recipient blocks', () => {
    const report = parseDeliveryStatus(
      [
        'Reporting-MTA: dns; mx.example.org',
        '',
        'Final-Recipient: rfc822; a@example.com',
        'Action: failed',
        'Status: 5.1.1',
        'Diagnostic-Code: smtp; 550 5.1.1 <a@example.com>: Recipient',
        '    address rejected: User unknown',
        '',
        'Original-Recipient: rfc822;b@example.com',
        'Final-Recipient: rfc822; B@Example.com',
        'Action: delayed',
        'Status: 4.4.1 (temporary failure)',
      ].join('\n'),
    );
    expect(report.reportingMta).toBe('mx.example.org');
    expect(report.recipients).toEqual([
      expect.objectContaining({
        finalRecipient: 'a@example.com',
        action: 'failed',
        status: '5.1.1',
        diagnostic: '550 5.1.1 <a@example.com>: Recipient address rejected: User unknown',
        diagnosticType: 'smtp',
      }),
      expect.objectContaining({
        finalRecipient: 'b@example.com',
        originalRecipient: 'b@example.com',
        action: 'delayed',
        status: '4.4.1',
        diagnostic: null,
      }),
    ]);
  });
  it('takes fields that come before the recipient in the same block', () => {
    const report = parseDeliveryStatus(
      'Action: failed\nStatus: 5.0.0\nOriginal-recipient: rfc822;x@y.org\nFinal-recipient: rfc822;x@y.org\n',
    );
    expect(report.recipients).toEqual([expect.objectContaining({ finalRecipient: 'x@y.org', action: 'failed', status: '5.0.0' })]);
  });
  it('splits two recipients written without a blank line between them', () => {
    const report = parseDeliveryStatus(
      'Final-Recipient: rfc822; a@x.org\nStatus: 5.1.1\nFinal-Recipient: rfc822; b@x.org\nStatus: 5.2.2\n',
    );
    expect(report.recipients.map((r) => [r.finalRecipient, r.status])).toEqual([
      ['a@x.org', '5.1.1'],
      ['b@x.org', '5.2.2'],
    ]);
  });
  it('drops blocks without a usable address', () => {
    expect(parseDeliveryStatus('Final-Recipient: rfc822; |/usr/bin/prog\nAction: failed\n').recipients).toEqual([]);
  });
});

describe('status and reply code', () => {
  it.each([
    ['550 5.1.1 user unknown', '5.1.1', '550'],
    ['host [192.0.2.22] said: 452 4.2.2 Mailbox full', '4.2.2', '452'],
    ['550-5.7.26 Unauthenticated', '5.7.26', '550'],
    ['Out: 250 2.1.5 Ok Out: 451 4.3.0 Error', '2.1.5', '451'],
    ['connect to 192.0.2.1 port 25: refused', null, null],
  ])('%s', (text, status, code) => {
    expect(findStatus(text)).toBe(status);
    expect(findReplyCode(text)).toBe(code);
  });
});
