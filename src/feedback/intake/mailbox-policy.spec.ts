import { unsubscribeAddress, verpAddress } from '../../common/mail-ids';
import { envelopeMailbox, mailboxOf, primaryMailbox, type MailboxPolicy } from './mailbox-policy';

const keys = 'test-key-'.padEnd(40, 'k');
const policy: MailboxPolicy = { domains: new Set(['bounces.shop.example']), replyAddresses: new Set(['sales@shop.example']), keys };
const verp = (id: bigint, domain = 'bounces.shop.example') => verpAddress(keys, domain, id);

describe('mailboxOf', () => {
  it.each([
    ['a VERP bounce address', verp(42n), { kind: 'bounce', messageId: 42n }],
    ['a VERP address in capitals', verp(7n).toUpperCase(), { kind: 'bounce', messageId: 7n }],
    ['the unsubscribe mailbox', unsubscribeAddress(keys, 'bounces.shop.example', 9n), { kind: 'unsubscribe', messageId: 9n }],
    ['a VERP address without its MAC', 'bounces+42@bounces.shop.example', 'forged'],
    ['an unsubscribe address without its MAC', 'unsubscribe+9@bounces.shop.example', 'forged'],
    ["a VERP address with another message's MAC", verp(42n).replace('+42-', '+43-'), 'forged'],
    ['the reply-to address', 'Sales@shop.example', { kind: 'reply', messageId: null }],
    ['postmaster at a bounce domain', 'postmaster@bounces.shop.example', { kind: 'reply', messageId: null }],
    ['VERP at a foreign domain', verp(42n, 'evil.example'), null],
    ['any other address at the bounce domain', 'ivan@bounces.shop.example', null],
    ['a stranger', 'someone@else.example', null],
    ['a message id past bigint', 'bounces+99999999999999999999-0123456789abcdef@bounces.shop.example', 'forged'],
    ['message id zero', 'bounces+0@bounces.shop.example', 'forged'],
    ['no domain', 'bounces+42', null],
  ])('%s', (_name, address, expected) => {
    expect(mailboxOf(address, policy)).toEqual(expected);
  });
});

describe('primaryMailbox', () => {
  it('prefers the address that names a message', () => {
    expect(
      primaryMailbox([
        { kind: 'reply', messageId: null },
        { kind: 'bounce', messageId: 3n },
      ]),
    ).toEqual({ kind: 'bounce', messageId: 3n });
    expect(primaryMailbox([])).toBeNull();
  });
});

describe('envelopeMailbox', () => {
  it.each([
    ['nothing stored', null, null],
    ['a VERP recipient', verp(12n, 'b.example'), { kind: 'bounce', messageId: 12n }],
    [
      'a reply and an unsubscribe',
      `sales@shop.example, ${unsubscribeAddress(keys, 'b.example', 5n)}`,
      { kind: 'unsubscribe', messageId: 5n },
    ],
    ['a reply', 'sales@shop.example', { kind: 'reply', messageId: null }],
    ['a VERP recipient without its MAC (an uploaded envelope)', 'bounces+12@b.example', { kind: 'reply', messageId: null }],
  ])('%s', (_name, envelope, expected) => {
    expect(envelopeMailbox(envelope, keys)).toEqual(expected);
  });
});
