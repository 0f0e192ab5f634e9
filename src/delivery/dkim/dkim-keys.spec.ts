import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { dnsRecord, domainOf, generateDkimKey, pickSigningKey, readDkimKey, signedHeaderNames, type StoredKey } from './dkim-keys';

describe('DKIM keys', () => {
  it('generates a 2048-bit RSA key whose published public key verifies what the private key signs', () => {
    const key = generateDkimKey();
    expect(key.bits).toBe(2048);
    const published = createPublicKey({ key: Buffer.from(key.publicKey, 'base64'), format: 'der', type: 'spki' });
    const signature = sign('sha256', Buffer.from('hello'), key.privateKeyPem);
    expect(verify('sha256', Buffer.from('hello'), published, signature)).toBe(true);
  });

  it('imports a PKCS#1 PEM, also written on one line with \\n', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const read = readDkimKey(pem.replace(/\n/g, '\\n'));
    expect(read).toMatchObject({ ok: true, key: { bits: 1024 } });
  });

  it.each([
    ['not a key', 'hello', /unencrypted PEM private key/],
    [
      'an EC key',
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      /RSA key, got ec/,
    ],
    [
      'a 512-bit key',
      generateKeyPairSync('rsa', { modulusLength: 512 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      /512 bits/,
    ],
  ])('refuses %s, saying why', (_why, pem, reason) => {
    const read = readDkimKey(pem);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.reason).toMatch(reason);
  });

  it('shows the TXT record to publish', () => {
    expect(dnsRecord('shop.example', 's2026', 'MIIB')).toEqual({
      type: 'TXT',
      name: 's2026._domainkey.shop.example',
      value: 'v=DKIM1; k=rsa; p=MIIB',
    });
  });

  it('reads the domain of an address in lower case', () => {
    expect(domainOf('Hello@Brand2.Example')).toBe('brand2.example');
    expect(domainOf('"a@b"@c.example')).toBe('c.example');
    expect(domainOf('nobody')).toBe('');
  });

  describe('which key signs', () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 11, 7, 12, minute));
    const key = (id: number, domain: string, selector: string, minute: number, active = true): StoredKey => ({
      id,
      domainName: domain,
      keySelector: selector,
      privateKey: `pem-${selector}`,
      active,
      createdAt: at(minute),
    });
    const stored = [
      key(1, 'shop.example', 'old', 1),
      key(2, 'shop.example', 'new', 2),
      key(3, 'shop.example', 'newest-off', 3, false),
      key(4, 'brand2.example', 'b', 1),
    ];
    const fallback = { domainName: 'env.example', keySelector: 'env', privateKey: 'pem-env' };

    it.each([
      ['the newest active key of the From domain (rotation; a deactivated one never signs)', 'shop.example', 'new'],
      ['each domain its own key', 'brand2.example', 'b'],
      ['a subdomain without keys: its parent domain (DMARC relaxed alignment)', 'news.shop.example', 'new'],
      ['a domain with no key: the DKIM_* variables', 'other.example', 'env'],
      ['never a key of a mere suffix (example) or of another domain ending alike', 'xshop.example', 'env'],
    ])('%s', (_why, domain, selector) => {
      expect(pickSigningKey(stored, domain, fallback)?.keySelector).toBe(selector);
    });

    it('signs nothing when there is no key and no fallback', () => {
      expect(pickSigningKey(stored, 'other.example', null)).toBeNull();
    });
  });

  it('signs the one-click, list and feedback headers and every custom header, once each', () => {
    const names = signedHeaderNames(['X-Otklik-Message', 'x-postmaster-msgtype', 'List-Id', 'bad name']).split(':');
    for (const name of [
      'From',
      'List-Unsubscribe',
      'List-Unsubscribe-Post',
      'List-Id',
      'Feedback-ID',
      'X-Otklik-Message',
      'x-postmaster-msgtype',
    ])
      expect(names).toContain(name);
    expect(names.filter((n) => n.toLowerCase() === 'list-id')).toHaveLength(1);
    expect(names).not.toContain('bad name');
  });
});
