import { keyRing, signToken, verifyToken } from './signed-token';

const secret = 'test-secret-'.padEnd(40, 'x');

describe('signed tokens', () => {
  it('round-trips a payload for its purpose', () => {
    const token = signToken(secret, 'unsubscribe', '12345');
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyToken(secret, 'unsubscribe', token)).toBe('12345');
  });

  it.each([
    ['another purpose', (t: string) => t, 'click'],
    ['a changed payload', (t: string) => Buffer.from('12346').toString('base64url') + t.slice(t.indexOf('.')), 'unsubscribe'],
    ['a changed signature', (t: string) => t.slice(0, -2) + (t.endsWith('AA') ? 'AB' : 'AA'), 'unsubscribe'],
    ['no signature', (t: string) => t.slice(0, t.indexOf('.')), 'unsubscribe'],
    ['garbage', () => '...', 'unsubscribe'],
  ])('rejects %s', (_name, change, purpose) => {
    expect(verifyToken(secret, purpose, change(signToken(secret, 'unsubscribe', '12345')))).toBeNull();
  });

  it('rejects a token signed with another secret', () => {
    expect(verifyToken(secret, 'unsubscribe', signToken(secret + 'y', 'unsubscribe', '1'))).toBeNull();
  });
});

describe('signed tokens with a key ring', () => {
  const oldKey = 'old-key-'.padEnd(40, 'o');
  const newKey = 'new-key-'.padEnd(40, 'n');

  it('verify tokens of the previous key after a rotation, and not once it is dropped', () => {
    const token = signToken(keyRing(oldKey), 'unsubscribe', '9');
    expect(verifyToken(keyRing(newKey, [oldKey]), 'unsubscribe', token)).toBe('9');
    expect(verifyToken(keyRing(newKey), 'unsubscribe', token)).toBeNull();
    expect(signToken(keyRing(newKey, [oldKey]), 'unsubscribe', '9')).toBe(signToken(newKey, 'unsubscribe', '9'));
  });

  it('accept exactly one spelling of a token', () => {
    const token = signToken(secret, 'unsubscribe', '12345');
    const [payload, sig] = token.split('.');
    expect(verifyToken(secret, 'unsubscribe', token)).toBe('12345');
    for (const variant of [
      `${payload}=.${sig}`, // padding
      `${payload}.${sig}=`,
      `${payload}.${sig}.x`, // a second dot
      `${Buffer.from('12345').toString('base64')}.${Buffer.from(sig, 'base64url').toString('base64')}`, // standard alphabet
      ` ${token}`,
    ]) {
      expect(verifyToken(secret, 'unsubscribe', variant)).toBeNull();
    }
    // A last character with stray low bits decodes to the same bytes but is another spelling.
    const last = sig[sig.length - 1];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) ^ 1];
    expect(verifyToken(secret, 'unsubscribe', `${payload}.${sig.slice(0, -1)}${sibling}`)).toBeNull();
  });

  it('refuses a payload that is not valid UTF-8', () => {
    const bad = Buffer.from([0xff, 0xfe]).toString('base64url');
    expect(verifyToken(secret, 'x', `${bad}.${signToken(secret, 'x', '\ufffd\ufffd').split('.')[1]}`)).toBeNull();
  });
});
