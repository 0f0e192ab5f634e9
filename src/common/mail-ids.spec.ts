import {
  claimedMessageId,
  defaultMailDomain,
  ehloName,
  defaultSender,
  findVerpValue,
  headerMessageId,
  isTaggedAddress,
  mailIdMac,
  messageIdOfHeader,
  messageIdOfOtklikHeader,
  otklikHeader,
  readTaggedAddress,
  unsubscribeAddress,
  verpAddress,
  verpMessageId,
} from './mail-ids';
import { keyRing } from './signed-token';

const OLD = 'old-key-'.padEnd(40, 'o');
const NEW = 'new-key-'.padEnd(40, 'n');
const before = keyRing(OLD);
const rotated = keyRing(NEW, [OLD]);
const dropped = keyRing(NEW);

describe('mail ids', () => {
  it('build addresses and ids that read back to their message', () => {
    expect(readTaggedAddress(before, verpAddress(before, 'b.example', 42n))).toEqual({ kind: 'bounce', messageId: 42n });
    expect(readTaggedAddress(before, unsubscribeAddress(before, 'b.example', 42n).toUpperCase())).toEqual({
      kind: 'unsubscribe',
      messageId: 42n,
    });
    expect(messageIdOfHeader(before, `<${headerMessageId(before, 'b.example', 7n)}>`)).toBe(7n);
    expect(messageIdOfOtklikHeader(before, otklikHeader(before, 7n))).toBe(7n);
    expect(verpMessageId(before, verpAddress(before, 'b.example', 9n).slice('bounces+'.length).split('@')[0])).toBe(9n);
    expect(verpAddress(before, 'b.example', 42n)).toMatch(/^bounces\+42-[0-9a-f]{16}@b\.example$/);
  });

  it.each([
    ['a bare id', 'bounces+42@b.example'],
    ["another message's MAC", `bounces+43-${mailIdMac(before, 'bounce', 42n)}@b.example`],
    ['the unsubscribe MAC on a bounce address', `bounces+42-${mailIdMac(before, 'unsubscribe', 42n)}@b.example`],
    ['a changed MAC', `bounces+42-${'0'.repeat(16)}@b.example`],
    ['a short MAC', `bounces+42-${mailIdMac(before, 'bounce', 42n).slice(0, 12)}@b.example`],
    ['an id past bigint', `bounces+99999999999999999999-${'0'.repeat(16)}@b.example`],
    ['id zero', `unsubscribe+0-${mailIdMac(before, 'unsubscribe', 0n)}@b.example`],
  ])('refuses %s', (_name, address) => {
    expect(readTaggedAddress(before, address)).toBe('forged');
  });

  it('is null for addresses that claim no message', () => {
    expect(readTaggedAddress(before, 'sales@b.example')).toBeNull();
  });

  it('refuses a guessed or bare Message-ID and X-Otklik-Message', () => {
    expect(messageIdOfHeader(before, 'otk.7@b.example')).toBeNull();
    expect(messageIdOfHeader(before, `otk.8.${mailIdMac(before, 'message', 7n)}@b.example`)).toBeNull();
    expect(messageIdOfOtklikHeader(before, '7')).toBeNull();
  });

  it('survives a key rotation and stops once the old key is dropped', () => {
    const address = verpAddress(before, 'b.example', 5n);
    const id = headerMessageId(before, 'b.example', 5n);
    expect(readTaggedAddress(rotated, address)).toEqual({ kind: 'bounce', messageId: 5n });
    expect(messageIdOfHeader(rotated, id)).toBe(5n);
    expect(readTaggedAddress(dropped, address)).toBe('forged');
    expect(messageIdOfHeader(dropped, id)).toBeNull();
    // new mail is signed with the new key
    expect(readTaggedAddress(dropped, verpAddress(rotated, 'b.example', 5n))).toEqual({ kind: 'bounce', messageId: 5n });
  });
});

describe('the unproven readers', () => {
  it('findVerpValue finds the VERP value in a header or text, MAC or not', () => {
    expect(findVerpValue('Return-Path: <bounces+42-0123456789abcdef@b.example>')).toBe('42-0123456789abcdef');
    expect(findVerpValue('to bounces+42@b.example')).toBe('42');
    expect(findVerpValue('no such thing')).toBeNull();
  });
  it('isTaggedAddress knows our bounces+/unsubscribe+ addresses only', () => {
    expect(isTaggedAddress('bounces+42-0123456789abcdef@b.example')).toBe(true);
    expect(isTaggedAddress('unsubscribe+42@b.example')).toBe(true);
    expect(isTaggedAddress('bounces@b.example')).toBe(false);
    expect(isTaggedAddress('someone+42@b.example')).toBe(false);
  });
  it('claimedMessageId reads the id of any of our formats without checking it', () => {
    for (const value of ['42', '42-0123456789abcdef', '42.0123456789abcdef', 'otk.42@b.example', '<otk.42.0123456789abcdef@b.example>'])
      expect(claimedMessageId(value)).toBe(42n);
    for (const value of ['', 'abc', '<foreign@b.example>', '99999999999999999999', 'otk.@b.example'])
      expect(claimedMessageId(value)).toBeNull();
  });
});

describe('the default sender', () => {
  it.each([
    ['https://mail.shop.example', 'mail.shop.example'],
    ['http://localhost:3000', 'localhost.localdomain'],
    ['http://127.0.0.1:3000', 'localhost.localdomain'],
    ['http://[::1]:3000', 'localhost.localdomain'],
    ['http://[2001:db8::1]/', 'localhost.localdomain'],
  ])('%s gives the domain %s', (publicUrl, domain) => {
    expect(defaultMailDomain(publicUrl)).toBe(domain);
  });

  it('prefers MAIL_FROM and BOUNCE_DOMAIN, and bounces to the sender domain without one', () => {
    expect(defaultSender({ publicUrl: 'http://10.0.0.1' })).toEqual({
      fromAddress: 'otklik@localhost.localdomain',
      bounceDomain: 'localhost.localdomain',
    });
    expect(defaultSender({ publicUrl: 'http://10.0.0.1', mailFrom: 'news@shop.example' })).toEqual({
      fromAddress: 'news@shop.example',
      bounceDomain: 'shop.example',
    });
    expect(
      defaultSender({ publicUrl: 'http://10.0.0.1', mailFrom: 'news@shop.example', bounceDomain: 'b.shop.example' }).bounceDomain,
    ).toBe('b.shop.example');
  });
});

describe('the EHLO name', () => {
  it.each([
    [
      'SMTP_EHLO_NAME wins',
      { ehloName: 'mta1.shop.example', bounceDomain: 'bounces.shop.example', publicUrl: 'https://mail.shop.example' },
      'mta1.shop.example',
    ],
    ['else the bounce domain', { bounceDomain: 'Bounces.Shop.Example', publicUrl: 'https://mail.shop.example' }, 'bounces.shop.example'],
    ['else the PUBLIC_URL host', { publicUrl: 'https://mail.shop.example:8443/otklik' }, 'mail.shop.example'],
    ['an IPv4 host as an address literal', { publicUrl: 'http://192.0.2.10:3000' }, '[192.0.2.10]'],
    ['an IPv6 host as an address literal', { publicUrl: 'http://[2001:db8::1]:3000' }, '[IPv6:2001:db8::1]'],
    [
      'never localdomain (a localhost bounce domain is skipped)',
      { bounceDomain: 'localhost.localdomain', publicUrl: 'http://localhost:3000' },
      'localhost',
    ],
  ])('%s', (_why, settings, expected) => {
    expect(ehloName(settings)).toBe(expected);
  });
});
