import { signToken, verifyToken } from './signed-token';

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
