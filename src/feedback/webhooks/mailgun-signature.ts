// Mailgun's webhook signature: HMAC-SHA256 of timestamp + token with the webhook signing key.
// A post is taken only when the signature verifies, its timestamp is within five minutes of
// ours and its token is new (the controller remembers tokens in Redis for TOKEN_MEMORY_MS), so
// a captured post cannot be replayed, now or later. Pure.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const MAX_SKEW_MS = 5 * 60_000;
/** Longer than the whole window a timestamp is accepted in (±5 minutes). */
export const TOKEN_MEMORY_MS = 2 * MAX_SKEW_MS + 60_000;

export type MailgunCheck = { ok: true; token: string } | { ok: false; reason: string };

export function checkMailgunSignature(key: string, body: unknown, now = Date.now()): MailgunCheck {
  const signature = (body as { signature?: { timestamp?: unknown; token?: unknown; signature?: unknown } } | null)?.signature;
  const timestamp = typeof signature?.timestamp === 'string' || typeof signature?.timestamp === 'number' ? String(signature.timestamp) : '';
  const token = typeof signature?.token === 'string' ? signature.token : '';
  const given =
    typeof signature?.signature === 'string' && /^[0-9a-f]{64}$/i.test(signature.signature)
      ? Buffer.from(signature.signature, 'hex')
      : Buffer.alloc(0);
  const expected = createHmac('sha256', key).update(`${timestamp}${token}`).digest();
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'Mailgun signature does not verify' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'signature.timestamp: expected Unix seconds' };
  if (Math.abs(now - Number(timestamp) * 1000) > MAX_SKEW_MS)
    return { ok: false, reason: 'signature.timestamp: more than 5 minutes away from now (a replay, or a clock far off)' };
  if (token.length < 16 || token.length > 200) return { ok: false, reason: "signature.token: expected Mailgun's random token" };
  return { ok: true, token };
}
