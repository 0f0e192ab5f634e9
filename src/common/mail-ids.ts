// The one place that builds and reads the ids Otklik puts into mail: the VERP return path
// `bounces+<id>-<mac>@<domain>`, the List-Unsubscribe mailbox `unsubscribe+<id>-<mac>@<domain>`,
// the Message-ID `<otk.<id>.<mac>@<domain>>` and the X-Otklik-Message header `<id>.<mac>`.
// The MAC (HMAC-SHA256 with the key ring, first 8 bytes as hex) proves the id came from a
// message we sent: a stranger cannot name message n without having received it, so inbound
// mail acts only on what it proves. Pure.
import { createHmac } from 'node:crypto';
import { INT8_MAX } from './ids';
import { macMatches, signingKey, type Keys } from './signed-token';

/**
 * The domain of the default sender when MAIL_FROM is not set: PUBLIC_URL's host, or
 * `localhost.localdomain` when that host is localhost or an IP address (IPv4 or IPv6), which
 * cannot follow the @ of an address as it is.
 */
export function defaultMailDomain(publicUrl: string): string {
  const host = new URL(publicUrl).hostname;
  return host === 'localhost' || /^[\d.]+$/.test(host) || host.startsWith('[') ? 'localhost.localdomain' : host;
}

/** The default sender: MAIL_FROM, else `otklik@<default mail domain>`; bounces go to BOUNCE_DOMAIN, else the sender's domain. */
export function defaultSender(settings: { publicUrl: string; mailFrom?: string | null; bounceDomain?: string | null }): {
  fromAddress: string;
  bounceDomain: string;
} {
  const fromAddress = settings.mailFrom ?? `otklik@${defaultMailDomain(settings.publicUrl)}`;
  return { fromAddress, bounceDomain: settings.bounceDomain ?? fromAddress.split('@')[1] };
}

/**
 * The name Otklik gives in EHLO: SMTP_EHLO_NAME, else the BOUNCE_DOMAIN, else the PUBLIC_URL
 * host (an IP address as an address literal, RFC 5321 §4.1.3). Never `*.localdomain`, which
 * spam filters score (SpamAssassin's HELO checks).
 */
export function ehloName(settings: { ehloName?: string | null; bounceDomain?: string | null; publicUrl: string }): string {
  if (settings.ehloName) return settings.ehloName;
  if (settings.bounceDomain && !/(^|\.)localdomain$|^localhost$/i.test(settings.bounceDomain)) return settings.bounceDomain.toLowerCase();
  const host = new URL(settings.publicUrl).hostname.toLowerCase();
  if (/^[\d.]+$/.test(host)) return `[${host}]`;
  if (host.startsWith('[')) return `[IPv6:${host.slice(1, -1)}]`;
  return host.replace(/\.localdomain$/, '') || 'localhost';
}

const MAC_BYTES = 8; // 64 bits: a guess through RCPT TO at any rate a server answers is hopeless

export type MailIdPurpose = 'bounce' | 'unsubscribe' | 'message';

function macText(purpose: MailIdPurpose, id: bigint): string {
  return `mail-id\n${purpose}\n${id}`;
}

export function mailIdMac(keys: Keys, purpose: MailIdPurpose, id: bigint): string {
  return createHmac('sha256', signingKey(keys)).update(macText(purpose, id)).digest().subarray(0, MAC_BYTES).toString('hex');
}

/** Digits and hex as found in mail: the id when in range and the MAC verifies under some key of the ring. */
export function verifyMailId(keys: Keys, purpose: MailIdPurpose, digits: string, mac: string): bigint | null {
  if (!/^[1-9]\d{0,18}$/.test(digits) || !/^[0-9a-f]{16}$/i.test(mac)) return null;
  const id = BigInt(digits);
  if (id > INT8_MAX) return null;
  return macMatches(keys, macText(purpose, id), Buffer.from(mac.toLowerCase(), 'hex'), MAC_BYTES) ? id : null;
}

/** VERP: the envelope sender names the message, so an asynchronous bounce maps back to it. */
export function verpAddress(keys: Keys, domain: string, id: bigint): string {
  return `bounces+${id}-${mailIdMac(keys, 'bounce', id)}@${domain}`;
}

/** The mailto of List-Unsubscribe: mail to it unsubscribes the message's recipient. */
export function unsubscribeAddress(keys: Keys, domain: string, id: bigint): string {
  return `unsubscribe+${id}-${mailIdMac(keys, 'unsubscribe', id)}@${domain}`;
}

/** The RFC 5322 Message-ID (without brackets): replies and DSNs that quote it map back. */
export function headerMessageId(keys: Keys, domain: string, id: bigint): string {
  return `otk.${id}.${mailIdMac(keys, 'message', id)}@${domain}`;
}

/** The X-Otklik-Message header: the id, MAC'ed like the Message-ID (test sinks read the leading digits). */
export function otklikHeader(keys: Keys, id: bigint): string {
  return `${id}.${mailIdMac(keys, 'message', id)}`;
}

const TAGGED = /^(bounces|unsubscribe)\+(\d{1,20})(?:-([0-9a-z]{1,40}))?@/i;

/** What a `bounces+`/`unsubscribe+` local part claims, before any check; null for other addresses. */
export function taggedMailbox(address: string): { kind: 'bounce' | 'unsubscribe'; digits: string; mac: string | null } | null {
  const m = TAGGED.exec(address.trim());
  if (!m) return null;
  return { kind: m[1].toLowerCase() === 'bounces' ? 'bounce' : 'unsubscribe', digits: m[2], mac: m[3] ?? null };
}

/**
 * A `bounces+`/`unsubscribe+` address: `{ kind, messageId }` when its MAC verifies, `forged`
 * when it claims a message without proof (missing or wrong MAC, id out of range), null when it
 * is no such address.
 */
export function readTaggedAddress(keys: Keys, address: string): { kind: 'bounce' | 'unsubscribe'; messageId: bigint } | 'forged' | null {
  const tagged = taggedMailbox(address);
  if (!tagged) return null;
  const id = tagged.mac === null ? null : verifyMailId(keys, tagged.kind, tagged.digits, tagged.mac);
  return id === null ? 'forged' : { kind: tagged.kind, messageId: id };
}

/** The message a VERP value found in mail names (`123-abcd…` or a whole address), when proven. */
export function verpMessageId(keys: Keys, value: string): bigint | null {
  const m = /^(\d{1,20})-([0-9a-f]{16})$/i.exec(value.trim()) ?? /\bbounces\+(\d{1,20})-([0-9a-f]{16})@/i.exec(value);
  return m ? verifyMailId(keys, 'bounce', m[1], m[2]) : null;
}

/** The message of one of our Message-IDs (`otk.<id>.<mac>@domain`, brackets optional), when proven. */
export function messageIdOfHeader(keys: Keys, value: string): bigint | null {
  const m = /^<?otk\.(\d{1,20})\.([0-9a-f]{16})@/i.exec(value.trim());
  return m ? verifyMailId(keys, 'message', m[1], m[2]) : null;
}

/** The message of an X-Otklik-Message value (`<id>.<mac>`), when proven. */
export function messageIdOfOtklikHeader(keys: Keys, value: string): bigint | null {
  const m = /^<?(\d{1,20})\.([0-9a-f]{16})>?$/i.exec(value.trim());
  return m ? verifyMailId(keys, 'message', m[1], m[2]) : null;
}

const VERP_IN_TEXT = /\bbounces\+(\d{1,20}(?:-[0-9a-f]{16})?)@/i;

/** The first VERP value in a header or text (`<id>-<mac>`, or bare digits a forger wrote), unchecked; null when none. */
export function findVerpValue(text: string): string | null {
  return VERP_IN_TEXT.exec(text)?.[1] ?? null;
}

/** True for our own `bounces+`/`unsubscribe+` addresses (proven or not): never a bounced recipient. */
export function isTaggedAddress(address: string): boolean {
  return taggedMailbox(address) !== null;
}

/**
 * The id any of our formats claims, without its MAC (a VERP value, an X-Otklik-Message value, a
 * Message-ID `otk.<id>[.<mac>]@…`). Only for events whose sender is authenticated (a signed
 * provider webhook, SES through SNS): from mail, use the proving readers above.
 */
export function claimedMessageId(value: string): bigint | null {
  const m = /^<?(?:otk\.)?(\d{1,19})(?:[-.@][^\s]*)?>?$/i.exec(value.trim());
  return m ? BigInt(m[1]) : null;
}

/** True for ids of our own format (proven or not): they are never looked up as foreign Message-IDs. */
export function looksLikeOurMessageId(value: string): boolean {
  return /^<?otk\.\d/i.test(value.trim());
}
