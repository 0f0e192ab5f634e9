// Secrets stored in the database (DKIM private keys), encrypted with the SECRET_KEY ring
// (signed-token.ts): AES-256-GCM under a key derived from the ring's current key by HKDF, so
// the signing key itself never encrypts anything. Each box names the key it was sealed with
// (a short fingerprint of the derived key): after a rotation (the old key moved to
// SECRET_KEY_PREVIOUS) old boxes still open; a box whose key left the ring does not, and says so.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { signingKey, verifyingKeys, type Keys } from './signed-token';

const VERSION = 'sb1';
const INFO = 'otklik secret box v1';

function derive(ringKey: string): { key: Buffer; id: string } {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(ringKey, 'utf8'), Buffer.alloc(0), INFO, 32));
  return { key, id: createHash('sha256').update(key).digest('base64url').slice(0, 8) };
}

/** `sb1.<key id>.<iv>.<tag>.<ciphertext>`, base64url parts; `context` (e.g. "dkim:shop.example:s1") must match on opening. */
export function sealSecret(keys: Keys, plaintext: string, context: string): string {
  const { key, id } = derive(signingKey(keys));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

export class SecretBoxError extends Error {}

/** The plaintext of a box sealed by sealSecret with a key of the ring and the same context. */
export function openSecret(keys: Keys, box: string, context: string): string {
  const parts = box.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION) throw new SecretBoxError('not a sealed secret');
  const [, id, iv, tag, body] = parts;
  const derived = verifyingKeys(keys)
    .map(derive)
    .find((candidate) => candidate.id === id);
  if (!derived) throw new SecretBoxError('sealed with a key that is no longer in SECRET_KEY or SECRET_KEY_PREVIOUS');
  try {
    const decipher = createDecipheriv('aes-256-gcm', derived.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretBoxError('the sealed secret does not open (altered, or sealed for another record)');
  }
}

/** Whether a box was sealed with an older key of the ring (so it should be sealed again with the current one). */
export function sealedWithOlderKey(keys: Keys, box: string): boolean {
  return box.split('.')[1] !== derive(signingKey(keys)).id;
}
