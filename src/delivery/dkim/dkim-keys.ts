// DKIM keys as values: generating or reading an RSA key, the DNS TXT record that publishes it,
// which key signs a given From address, and which headers a signature covers. Pure: no Nest,
// no database (dkim-keys.service.ts stores and caches the keys, the SMTP transport signs).
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

export const GENERATED_KEY_BITS = 2048;
/** Keys under 1024 bits are ignored by receivers (RFC 8301). */
const MIN_KEY_BITS = 1024;

export interface KeyMaterial {
  /** PKCS#8 PEM. */
  privateKeyPem: string;
  /** Base64 SubjectPublicKeyInfo (DER): the `p=` of the TXT record. */
  publicKey: string;
  bits: number;
}

export function generateDkimKey(bits = GENERATED_KEY_BITS): KeyMaterial {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return material(privateKey);
}

/** An imported PEM (PKCS#1 or PKCS#8, `\n` written as text allowed), or a reason why it cannot sign. */
export function readDkimKey(pem: string): { ok: true; key: KeyMaterial } | { ok: false; reason: string } {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem.includes('\n') ? pem : pem.replace(/\\n/g, '\n'));
  } catch {
    return {
      ok: false,
      reason: 'expected an unencrypted PEM private key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)',
    };
  }
  if (key.asymmetricKeyType !== 'rsa') return { ok: false, reason: `expected an RSA key, got ${key.asymmetricKeyType ?? 'another kind'}` };
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_KEY_BITS) return { ok: false, reason: `the key has ${bits} bits; receivers ignore keys under ${MIN_KEY_BITS}` };
  return { ok: true, key: material(key) };
}

function material(privateKey: KeyObject): KeyMaterial {
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).toString('base64'),
    bits: privateKey.asymmetricKeyDetails?.modulusLength ?? 0,
  };
}

/** The TXT record to publish for a key. */
export function dnsRecord(domain: string, selector: string, publicKey: string): { type: 'TXT'; name: string; value: string } {
  return { type: 'TXT', name: `${selector}._domainkey.${domain}`, value: `v=DKIM1; k=rsa; p=${publicKey}` };
}

/** The domain of an address, lower case ("" when it has none). */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0
    ? ''
    : address
        .slice(at + 1)
        .toLowerCase()
        .replace(/\.$/, '');
}

/** What signs: a domain, a selector and the PEM. */
export interface DkimSigningKey {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

/** Where a transport finds the key for a message's From domain (null: the message goes unsigned). */
export interface DkimKeySource {
  keyFor(fromDomain: string): Promise<DkimSigningKey | null>;
}

export interface StoredKey extends DkimSigningKey {
  active: boolean;
  createdAt: Date;
  id: number;
}

/**
 * The key that signs mail from `fromDomain`: the newest active stored key of that domain, else of
 * its nearest parent domain (`news.shop.example` signed `d=shop.example` still aligns for
 * DMARC's relaxed mode), else the fallback (DKIM_* variables: today's one key, signing as
 * before), else none.
 */
export function pickSigningKey(stored: readonly StoredKey[], fromDomain: string, fallback: DkimSigningKey | null): DkimSigningKey | null {
  const labels = fromDomain.split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const domain = labels.slice(i).join('.');
    const newest = stored
      .filter((key) => key.active && key.domainName === domain)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id)[0];
    if (newest) return { domainName: newest.domainName, keySelector: newest.keySelector, privateKey: newest.privateKey };
  }
  return fallback;
}

/**
 * The headers a signature covers (RFC 6376 §5.4.1, plus the one-click pair RFC 8058 §4 requires
 * signed, List-Id and Feedback-ID), then every custom header of the message. Only those present
 * end up in `h=`.
 */
export const SIGNED_HEADERS = [
  'From',
  'To',
  'Cc',
  'Reply-To',
  'Subject',
  'Date',
  'Message-ID',
  'MIME-Version',
  'Content-Type',
  'Content-Transfer-Encoding',
  'List-Unsubscribe',
  'List-Unsubscribe-Post',
  'List-Id',
  'Feedback-ID',
  'Auto-Submitted',
] as const;

export function signedHeaderNames(customHeaders: readonly string[]): string {
  const names: string[] = [...SIGNED_HEADERS];
  const seen = new Set(names.map((name) => name.toLowerCase()));
  for (const name of customHeaders)
    if (!seen.has(name.toLowerCase()) && /^[\x21-\x39\x3b-\x7e]+$/.test(name)) {
      seen.add(name.toLowerCase());
      names.push(name);
    }
  return names.join(':');
}

/** A selector as DNS takes it: letters, digits, hyphens, dot-separated labels. */
export const SELECTOR_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
export const DOMAIN_PATTERN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
