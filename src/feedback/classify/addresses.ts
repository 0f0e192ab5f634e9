// Email address helpers shared by the bounce, complaint and reply readers.

// Bounded atoms and a look-behind keep matching linear on hostile text (long runs, no "@").
const LOCAL_CHAR = "A-Za-z0-9!#$%&'*+/=?^_`{|}~-";
const LOCAL = `(?<![.${LOCAL_CHAR}])[${LOCAL_CHAR}]{1,64}(?:\\.[${LOCAL_CHAR}]{1,64}){0,16}`;
const QUOTED_LOCAL = '"(?:[^"\\\\\\r\\n]|\\\\.){1,64}"';
// `postmaster\@x.com@x.com`: an address whose "@" was escaped into the local part by a gateway.
const ESCAPED_LOCAL = `[.${LOCAL_CHAR}]{1,64}\\\\@[A-Za-z0-9.-]{1,253}`;
const DOMAIN = '(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?){0,30}';
const ADDRESS_SOURCE = `(?:${QUOTED_LOCAL}|${ESCAPED_LOCAL}|${LOCAL})@${DOMAIN}`;

/** Global regex finding addresses in free text. */
export const ADDRESS_G = new RegExp(ADDRESS_SOURCE, 'g');
const ADDRESS_ONE = new RegExp(ADDRESS_SOURCE);

/** Every address in a text, lower-cased, in order of appearance, without duplicates. */
export function findAddresses(text: string, limit = 200): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const m of text.matchAll(ADDRESS_G)) {
    const a = normaliseAddress(m[0]);
    if (a && !seen.has(a)) {
      seen.add(a);
      out.push(a);
      if (out.length >= limit) break;
    }
  }
  return out;
}

/** First address in a header value such as `"Name" <a@b>` or `rfc822; a@b`. */
export function firstAddress(value: string | null | undefined): string | null {
  if (!value) return null;
  const angle = /<([^<>\s]+@[^<>\s]+)>/.exec(value);
  if (angle) {
    const a = normaliseAddress(angle[1]);
    if (a) return a;
  }
  const m = ADDRESS_ONE.exec(value);
  return m ? normaliseAddress(m[0]) : null;
}

/** Lower-cases and trims punctuation; null when it does not look like an address. */
export function normaliseAddress(raw: string): string | null {
  let a = raw
    .trim()
    .replace(/^mailto:/i, '')
    .replace(/^[<("'[]+|[>)"'\].,;:]+$/g, '');
  a = unescapeAddress(a.toLowerCase());
  const at = a.lastIndexOf('@');
  if (at <= 0 || at === a.length - 1 || a.length > 320) return null;
  const domain = a.slice(at + 1);
  if (!/^[a-z0-9.-]+$/.test(domain) || domain.startsWith('.') || domain.includes('..')) return null;
  return a;
}

/**
 * Undoes the quoting gateways and list managers add: `"foo\\"bar"@x` → `foo"bar@x`, and an
 * escaped inner address `postmaster\\@x.com@x.com` (or quoted `"postmaster\\@x.com"@x.com`) → `postmaster@x.com`.
 */
export function unescapeAddress(address: string): string {
  if (!address.includes('\\') && !address.includes('"')) return address;
  const at = address.lastIndexOf('@');
  const domain = address.slice(at + 1);
  let local = address.slice(0, at);
  // Quotes that are not escaped only delimit; escaped characters stand for themselves.
  local = local.replace(/(?<!\\)"/g, '').replace(/\\(.)/g, '$1');
  const inner = local.lastIndexOf('@');
  if (inner > 0) {
    const innerDomain = local.slice(inner + 1);
    // The escaped address names its own domain; keep it when it is the outer one (or a plausible domain).
    if (innerDomain === domain || /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/.test(innerDomain)) return local;
  }
  return `${local}@${domain}`;
}

const SYSTEM_LOCALS =
  /^(mailer-daemon|postmaster|mail-daemon|maildaemon|daemon|root|nobody|noreply|no-reply|bounce|bounces|abuse|fbl|feedback|dmarc|dmarc-noreply|mail delivery system)$/;

/** Mailbox names used by mail systems themselves, never a recipient of ours. */
export function isSystemAddress(address: string): boolean {
  const local = address.slice(0, address.lastIndexOf('@'));
  return SYSTEM_LOCALS.test(local) || local.startsWith('mailer-daemon') || local.startsWith('postmaster');
}

// Role mailboxes of mailing-list managers (Mailman, Majordomo, Sympa, ezmlm, Google Groups).
const LIST_ROLE =
  /^owner-|-(?:owner|bounces?|request|admin|confirm|join|leave|subscribe|unsubscribe|help)(?:\+.*)?$|^(?:mailman|majordomo|sympa|listserv|ezmlm)$/;

/** A list manager's own mailbox (`club-bounces@`, `owner-club@`, `mailman@` …), never a recipient. */
export function isListRoleAddress(address: string): boolean {
  return LIST_ROLE.test(address.slice(0, address.lastIndexOf('@')));
}

/** Strips angle brackets and whitespace from a Message-ID. */
export function cleanMessageId(value: string | null | undefined): string | null {
  if (!value) return null;
  const m = /<([^<>\s]{1,500})>/.exec(value);
  const id = (m ? m[1] : (value.trim().split(/\s+/)[0] ?? '')).trim();
  return id.length > 0 && id.length <= 500 ? id : null;
}

/** All bracketed ids in In-Reply-To / References values. */
export function messageIdList(value: string | null | undefined): string[] {
  if (!value) return [];
  const out: string[] = [];
  for (const m of value.matchAll(/<([^<>\s]{1,500})>/g)) out.push(m[1]);
  return out;
}
