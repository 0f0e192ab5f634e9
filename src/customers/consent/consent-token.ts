// The signed link of a double opt-in email. The token names the customer, when it was issued
// and which address it was sent to (a hash prefix), so it stops working after a week or once
// the customer's email changes. Signed with SECRET_KEY through the common signed-token helper.
import { createHash } from 'node:crypto';
import { signToken, verifyToken, type Keys } from '../../common/signed-token';

export const CONSENT_CONFIRM_PURPOSE = 'consent-confirm';
export const CONSENT_CONFIRM_TTL_MS = 7 * 24 * 3600_000;

export interface ConsentConfirmClaim {
  customerId: number;
  /** When the link was made. */
  issuedAt: Date;
  /** First 16 hex digits of sha256 of the normalised address the link was sent to. */
  addressTag: string;
}

export type ReadClaim = { ok: true; claim: ConsentConfirmClaim } | { ok: false; reason: 'invalid' | 'expired' };

export function addressTag(address: string): string {
  return createHash('sha256').update(address, 'utf8').digest('hex').slice(0, 16);
}

export function consentConfirmToken(secret: Keys, customerId: number, address: string, issuedAt: Date): string {
  const payload = `${customerId}.${Math.floor(issuedAt.getTime() / 1000)}.${addressTag(address)}`;
  return signToken(secret, CONSENT_CONFIRM_PURPOSE, payload);
}

export function readConsentConfirmToken(secret: Keys, token: string, now: Date = new Date()): ReadClaim {
  const payload = verifyToken(secret, CONSENT_CONFIRM_PURPOSE, token);
  const m = payload === null ? null : /^([1-9][0-9]{0,9})\.([0-9]{1,12})\.([0-9a-f]{16})$/.exec(payload);
  if (!m) return { ok: false, reason: 'invalid' };
  const issuedAt = new Date(Number(m[2]) * 1000);
  if (now.getTime() - issuedAt.getTime() > CONSENT_CONFIRM_TTL_MS) return { ok: false, reason: 'expired' };
  return { ok: true, claim: { customerId: Number(m[1]), issuedAt, addressTag: m[3] } };
}
