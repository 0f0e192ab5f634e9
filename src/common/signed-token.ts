// Short signed tokens for public links (unsubscribe, click tracking, double opt-in, webhook
// URLs): the payload travels in the URL and an HMAC over it proves we issued it, so the public
// routes need no API key and no lookup table. `purpose` keeps a token for one route from being
// replayed on another.
//
// Keys form a ring (SECRET_KEY, then SECRET_KEY_PREVIOUS): tokens are signed with the current
// key and accepted under any key of the ring, so a rotation voids nothing already sent; a token
// stops working once the key that signed it leaves the ring.
import { createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE_BYTES = 16; // 128-bit HMAC-SHA256 prefix: short URLs, far beyond guessing

/** The current key and the previous ones still accepted. A bare string is a ring of one key. */
export interface KeyRing {
  readonly current: string;
  readonly previous: readonly string[];
}
export type Keys = KeyRing | string;

export function keyRing(current: string, previous: readonly string[] = []): KeyRing {
  return { current, previous: previous.filter((key) => key !== current) };
}

/** The key that signs: the ring's current one. */
export function signingKey(keys: Keys): string {
  return typeof keys === 'string' ? keys : keys.current;
}

/** Every key that verifies, current first. */
export function verifyingKeys(keys: Keys): readonly string[] {
  return typeof keys === 'string' ? [keys] : [keys.current, ...keys.previous];
}

/** True when `given` equals the HMAC that some key of the ring makes of `message` (its first given.length bytes). */
export function macMatches(keys: Keys, message: string, given: Buffer, bytes: number): boolean {
  if (given.length !== bytes) return false;
  let ok = false;
  // Every key is tried (no early exit), so the time does not tell which one matched.
  for (const key of verifyingKeys(keys))
    ok = timingSafeEqual(given, createHmac('sha256', key).update(message).digest().subarray(0, bytes)) || ok;
  return ok;
}

function signature(key: string, purpose: string, payload: string): Buffer {
  return createHmac('sha256', key).update(`${purpose}\n${payload}`).digest().subarray(0, SIGNATURE_BYTES);
}

/** `payload.signature`, both base64url; payload is any string (usually "id" or "id.extra"). */
export function signToken(keys: Keys, purpose: string, payload: string): string {
  return `${Buffer.from(payload, 'utf8').toString('base64url')}.${signature(signingKey(keys), purpose, payload).toString('base64url')}`;
}

/**
 * The payload of a token this server signed for `purpose`, or null for anything else. A token
 * has exactly one valid spelling: base64url that does not re-encode to itself (padding, stray
 * bits, other alphabets) or a payload that is not valid UTF-8 is refused.
 */
export function verifyToken(keys: Keys, purpose: string, token: string): string | null {
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return null;
  const payloadPart = token.slice(0, dot);
  const signaturePart = token.slice(dot + 1);
  const payloadBytes = Buffer.from(payloadPart, 'base64url');
  const given = Buffer.from(signaturePart, 'base64url');
  if (payloadBytes.toString('base64url') !== payloadPart || given.toString('base64url') !== signaturePart) return null;
  const payload = payloadBytes.toString('utf8');
  if (!Buffer.from(payload, 'utf8').equals(payloadBytes)) return null;
  return macMatches(keys, `${purpose}\n${payload}`, given, SIGNATURE_BYTES) ? payload : null;
}
