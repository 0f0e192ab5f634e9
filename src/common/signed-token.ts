// Short signed tokens for public links (unsubscribe, click tracking, double opt-in): the
// payload travels in the URL and an HMAC over it with SECRET_KEY proves we issued it, so the
// public routes need no API key and no lookup table. `purpose` keeps a token for one route
// from being replayed on another.
import { createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE_BYTES = 16; // 128-bit HMAC-SHA256 prefix: short URLs, far beyond guessing

function signature(secret: string, purpose: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(`${purpose}\n${payload}`).digest().subarray(0, SIGNATURE_BYTES);
}

/** `payload.signature`, both base64url; payload is any string (usually "id" or "id.extra"). */
export function signToken(secret: string, purpose: string, payload: string): string {
  return `${Buffer.from(payload, 'utf8').toString('base64url')}.${signature(secret, purpose, payload).toString('base64url')}`;
}

/** The payload of a token this server signed for `purpose`, or null for anything else. */
export function verifyToken(secret: string, purpose: string, token: string): string | null {
  const dot = token.indexOf('.');
  if (dot <= 0) return null;
  const payload = Buffer.from(token.slice(0, dot), 'base64url').toString('utf8');
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = signature(secret, purpose, payload);
  return given.length === expected.length && timingSafeEqual(given, expected) ? payload : null;
}
