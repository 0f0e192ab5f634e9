import { signToken } from '../../common/signed-token';
import { addressTag, consentConfirmToken, CONSENT_CONFIRM_TTL_MS, readConsentConfirmToken } from './consent-token';

const SECRET = 'k'.repeat(40);
const issued = new Date('2026-11-23T10:00:00Z');

describe('consent confirmation token', () => {
  it('reads back the customer, the issue time and the address tag', () => {
    const token = consentConfirmToken(SECRET, 42, 'ivan@mail.ru', issued);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(readConsentConfirmToken(SECRET, token, new Date(issued.getTime() + 60_000))).toEqual({
      ok: true,
      claim: { customerId: 42, issuedAt: issued, addressTag: addressTag('ivan@mail.ru') },
    });
  });

  it('expires after the TTL', () => {
    const token = consentConfirmToken(SECRET, 42, 'ivan@mail.ru', issued);
    expect(readConsentConfirmToken(SECRET, token, new Date(issued.getTime() + CONSENT_CONFIRM_TTL_MS)).ok).toBe(true);
    expect(readConsentConfirmToken(SECRET, token, new Date(issued.getTime() + CONSENT_CONFIRM_TTL_MS + 1000))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it.each([
    ['another secret', () => consentConfirmToken('x'.repeat(40), 42, 'ivan@mail.ru', issued)],
    ['another purpose', () => signToken(SECRET, 'unsubscribe', `42.${issued.getTime() / 1000}.${addressTag('ivan@mail.ru')}`)],
    ['a well-signed payload of the wrong shape', () => signToken(SECRET, 'consent-confirm', '42')],
    [
      'a changed customer id',
      () => {
        const [, sig] = consentConfirmToken(SECRET, 42, 'ivan@mail.ru', issued).split('.');
        return `${Buffer.from(`43.${issued.getTime() / 1000}.${addressTag('ivan@mail.ru')}`).toString('base64url')}.${sig}`;
      },
    ],
    ['garbage', () => 'not-a-token'],
    ['empty', () => ''],
  ])('rejects %s', (_name, make) => {
    expect(readConsentConfirmToken(SECRET, make(), issued)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('tags different addresses differently', () => {
    expect(addressTag('ivan@mail.ru')).not.toBe(addressTag('ivan@mail.com'));
    expect(addressTag('ivan@mail.ru')).toHaveLength(16);
  });
});
