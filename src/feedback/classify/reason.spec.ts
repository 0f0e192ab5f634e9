import { classifyReason, isHardReason, reasonFromStatus, reasonFromText } from './reason';
import type { BounceReason } from './types';

describe('reasonFromText', () => {
  it.each<[string, BounceReason]>([
    ['550 5.1.1 <kit@example.jp>... User Unknown', 'userunknown'],
    ['550 No such user here', 'userunknown'],
    ['550-5.1.1 The email account that you tried to reach does not exist', 'userunknown'],
    ['550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup', 'userunknown'],
    ['550 Пользователь не найден', 'userunknown'],
    ['552 5.2.2 Mailbox full', 'mailboxfull'],
    ['452 4.2.2 The email account that you tried to reach is over quota', 'mailboxfull'],
    ['Почтовый ящик получателя переполнен', 'mailboxfull'],
    ['Host or domain name not found. Name service error for name=example.invalid', 'hostunknown'],
    ['550 5.2.1 The email account that you tried to reach is disabled', 'suspend'],
    ['554 5.7.1 Client host rejected: blocked using zen.spamhaus.org', 'blocked'],
    ['550 5.7.1 IP address blacklisted by recipient', 'blocked'],
    ['554 5.7.1 Message rejected as spam by Content Filtering', 'spamdetected'],
    ["550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent: our spam filter classified as spam", 'spamdetected'],
    ['554 5.7.9 Message not accepted for policy reasons', 'policyviolation'],
    [
      '550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM',
      'authfailure',
    ],
    ['550 5.7.1 Email rejected per DMARC policy for example.org', 'authfailure'],
    ['550 5.7.25 The IP address sending this message does not have a PTR record setup', 'requireptr'],
    ['421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to unexpected volume or user complaints', 'badreputation'],
    ['554 5.7.1 <x@example.org>: Relay access denied', 'norelaying'],
    ['552 5.3.4 Message too big for system', 'mesgtoobig'],
    ['550 Virus Detected; Content Rejected', 'virusdetected'],
    ['550 5.7.1 This message is not RFC 5322 compliant. There are multiple Subject headers', 'notcompliantrfc'],
    ['554 4.4.7 Message expired: unable to deliver in 840 minutes', 'expired'],
    ['lost connection with mx.example.org while performing the HELO handshake', 'networkerror'],
    ['501 5.1.8 Sender address rejected: Domain not found', 'rejected'],
    ['553 Too many connections from your IP', 'toomanyconn'],
  ])('%s → %s', (text, reason) => {
    expect(reasonFromText(text)).toBe(reason);
  });

  it('returns null for text that says nothing', () => {
    expect(reasonFromText('Your message could not be delivered.')).toBeNull();
  });
});

describe('classifyReason', () => {
  it.each<[string, Parameters<typeof classifyReason>[0], BounceReason]>([
    ['trusts a precise status over vague words', { diagnostic: '552 5.2.2 Error', status: '5.2.2' }, 'mailboxfull'],
    ['falls back to the status code', { diagnostic: 'Requested action not taken', status: '5.1.1' }, 'userunknown'],
    ['prefers words over an ambiguous 5.7.1', { diagnostic: '550 5.7.1 IP address blacklisted', status: '5.7.1' }, 'blocked'],
    ['reads the wider notice last', { diagnostic: '', context: 'Delivery failed: mailbox is full', status: null }, 'mailboxfull'],
    ['refusal at MAIL FROM is about the sender', { diagnostic: '550 5.7.1 Access denied', status: '5.7.1', command: 'MAIL' }, 'rejected'],
    [
      '"user unknown" after DATA means the content was refused',
      { diagnostic: '550 Unknown user x@y.jp', status: '5.0.0', command: 'DATA' },
      'filtered',
    ],
    ['a vague delay warning is an expiry', { diagnostic: 'connect to mx.example.org: Connection refused', delayed: true }, 'expired'],
    ['refused at connection with vague words is a block', { diagnostic: '550 Access denied', command: 'CONN' }, 'blocked'],
    ['nothing known', { diagnostic: 'whatever happened' }, 'undefined'],
  ])('%s', (_name, input, reason) => {
    expect(classifyReason(input)).toBe(reason);
  });
});

describe('reasonFromStatus and isHardReason', () => {
  it.each([
    ['5.1.1', 'userunknown'],
    ['4.2.2', 'mailboxfull'],
    ['5.7.26', 'authfailure'],
    ['4.7.650', 'badreputation'],
    ['5.7.1', null],
    [null, null],
  ])('%s → %s', (status, reason) => {
    expect(reasonFromStatus(status)).toBe(reason);
  });

  it.each<[BounceReason, string | null, boolean]>([
    ['userunknown', '5.1.1', true],
    ['hostunknown', null, true],
    ['hasmoved', '5.1.6', true],
    ['notaccept', '5.1.10', true],
    ['userunknown', '4.1.1', false],
    ['mailboxfull', '5.2.2', false],
    ['blocked', '5.7.1', false],
    ['spamdetected', '5.7.1', false],
    ['policyviolation', '5.7.9', false],
    ['suspend', '5.2.1', false],
    ['expired', '4.4.7', false],
  ])('%s (%s) hard=%s', (reason, status, hard) => {
    expect(isHardReason(reason, status)).toBe(hard);
  });
});
