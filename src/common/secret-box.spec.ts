import { keyRing } from './signed-token';
import { openSecret, sealedWithOlderKey, sealSecret } from './secret-box';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);

describe('secret box', () => {
  it('opens what it sealed, and the box does not contain the plaintext', () => {
    const box = sealSecret(A, '-----BEGIN PRIVATE KEY-----\nabc', 'dkim:shop.example:s1');
    expect(box).not.toContain('PRIVATE');
    expect(openSecret(A, box, 'dkim:shop.example:s1')).toBe('-----BEGIN PRIVATE KEY-----\nabc');
  });

  it('two seals of one secret differ (random IV)', () => {
    expect(sealSecret(A, 'x', 'c')).not.toBe(sealSecret(A, 'x', 'c'));
  });

  it('still opens after a rotation (old key in the previous ring), and no longer once the key left', () => {
    const box = sealSecret(A, 'secret', 'c');
    expect(openSecret(keyRing(B, [A]), box, 'c')).toBe('secret');
    expect(() => openSecret(keyRing(B), box, 'c')).toThrow(/no longer in SECRET_KEY/);
  });

  it('tells a box sealed with an older key of the ring, to seal it again', () => {
    expect(sealedWithOlderKey(keyRing(B, [A]), sealSecret(A, 'secret', 'c'))).toBe(true);
    expect(sealedWithOlderKey(keyRing(B, [A]), sealSecret(B, 'secret', 'c'))).toBe(false);
  });

  it.each([
    ['another context (a box copied to another row)', (box: string) => box, 'other'],
    ['an altered ciphertext', (box: string) => box.slice(0, -2) + (box.endsWith('AA') ? 'BB' : 'AA'), 'c'],
    ['not a box at all', () => 'plain text', 'c'],
  ])('refuses %s', (_why, change, context) => {
    const box = sealSecret(A, 'secret', 'c');
    expect(() => openSecret(A, change(box), context)).toThrow();
  });
});
