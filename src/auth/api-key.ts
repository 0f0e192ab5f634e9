// API keys: `otk_<prefix>_<secret>`. Only the SHA-256 of the whole key is stored; the prefix is
// kept in clear so admins can tell keys apart in a list. Keys carry 192 bits of randomness, so
// a fast hash is enough (a slow password hash would only add latency to every request).
import { createHash, randomBytes } from 'node:crypto';

const KEY_PATTERN = /^otk_([a-z0-9]{8})_([A-Za-z0-9_-]{32})$/;

export interface NewApiKey {
  key: string;
  prefix: string;
  keyHash: string;
}

export function generateApiKey(): NewApiKey {
  const prefix = randomBytes(6)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 8);
  const secret = randomBytes(24).toString('base64url');
  const key = `otk_${prefix}_${secret}`;
  return { key, prefix, keyHash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** True when the string has the shape of an API key; saves a database lookup for garbage. */
export function looksLikeApiKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}
