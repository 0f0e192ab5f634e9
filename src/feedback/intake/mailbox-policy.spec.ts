import { envelopeMailbox, mailboxOf, primaryMailbox, type MailboxPolicy } from './mailbox-policy';

const policy: MailboxPolicy = { domains: new Set(['bounces.shop.example']), replyAddresses: new Set(['sales@shop.example']) };

describe('mailboxOf', () => {
  it.each([
    ['a VERP bounce address', 'bounces+42@bounces.shop.example', { kind: 'bounce', messageId: 42n }],
    ['a VERP address in capitals', 'Bounces+7@BOUNCES.shop.example', { kind: 'bounce', messageId: 7n }],
    ['the unsubscribe mailbox', 'unsubscribe+9@bounces.shop.example', { kind: 'unsubscribe', messageId: 9n }],
    ['the reply-to address', 'Sales@shop.example', { kind: 'reply', messageId: null }],
    ['postmaster at a bounce domain', 'postmaster@bounces.shop.example', { kind: 'reply', messageId: null }],
    ['VERP at a foreign domain', 'bounces+42@evil.example', null],
    ['any other address at the bounce domain', 'ivan@bounces.shop.example', null],
    ['a stranger', 'someone@else.example', null],
    ['a message id past bigint', 'bounces+99999999999999999999@bounces.shop.example', null],
    ['message id zero', 'bounces+0@bounces.shop.example', null],
    ['no domain', 'bounces+42', null],
  ])('%s', (_name, address, expected) => {
    expect(mailboxOf(address, policy)).toEqual(expected);
  });
});

describe('primaryMailbox', () => {
  it('prefers the address that names a message', () => {
    expect(primaryMailbox([{ kind: 'reply', messageId: null }, { kind: 'bounce', messageId: 3n }])).toEqual({ kind: 'bounce', messageId: 3n });
    expect(primaryMailbox([])).toBeNull();
  });
});

describe('envelopeMailbox', () => {
  it.each([
    ['nothing stored', null, null],
    ['a VERP recipient', 'bounces+12@b.example', { kind: 'bounce', messageId: 12n }],
    ['a reply and an unsubscribe', 'sales@shop.example, unsubscribe+5@b.example', { kind: 'unsubscribe', messageId: 5n }],
    ['a reply', 'sales@shop.example', { kind: 'reply', messageId: null }],
  ])('%s', (_name, envelope, expected) => {
    expect(envelopeMailbox(envelope)).toEqual(expected);
  });
});
