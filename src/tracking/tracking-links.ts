// The signed per-message links, built here for every email (delivery asks for them) and checked
// here when they come back to the public routes. A token proves we issued the link for one
// message and one purpose; a click token also covers its destination, so a changed `u` (or a
// link signed for another message) fails the check and the route is no open redirect. Also the
// CSRF token of the preference form. Pure.
import { randomBytes } from 'node:crypto';
import { signToken, verifyToken, type Keys } from '../common/signed-token';

export const LINK_PURPOSE = { unsubscribe: 'unsubscribe', preferences: 'preferences', view: 'view', click: 'click', open: 'open' } as const;

export interface MessageLinks {
  unsubscribeUrl: string;
  preferencesUrl: string;
  viewInBrowserUrl: string;
  openPixelUrl: string;
  trackLink(url: string, index: number): string;
}

export function messageLinks(publicUrl: string, secret: Keys, messageId: bigint): MessageLinks {
  const base = publicUrl.replace(/\/+$/, '');
  const id = messageId.toString();
  return {
    unsubscribeUrl: `${base}/u/${signToken(secret, LINK_PURPOSE.unsubscribe, id)}`,
    preferencesUrl: `${base}/p/${signToken(secret, LINK_PURPOSE.preferences, id)}`,
    viewInBrowserUrl: `${base}/v/${signToken(secret, LINK_PURPOSE.view, id)}`,
    openPixelUrl: `${base}/o/${signToken(secret, LINK_PURPOSE.open, id)}.gif`,
    // The destination is part of what is signed, so the click route is no open redirect.
    trackLink: (url, index) => `${base}/c/${signToken(secret, clickPurpose(url), `${id}.${index}`)}?u=${encodeURIComponent(url)}`,
  };
}

export function clickPurpose(destination: string): string {
  return `${LINK_PURPOSE.click}\n${destination}`;
}

const MESSAGE_ID = /^\d{1,19}$/;
/** Where a tracked link may lead: web pages, and the mail/phone links a template may track. */
const REDIRECT_PROTOCOLS = new Set(['http:', 'https:', 'mailto:', 'tel:']);

export type MessagePurpose = 'open' | 'unsubscribe' | 'preferences' | 'view';

/** The message id of a token signed for `purpose`, or null. The open pixel's token may end in `.gif`. */
export function messageOfToken(secret: Keys, purpose: MessagePurpose, token: string): bigint | null {
  const bare = purpose === 'open' ? token.replace(/\.gif$/i, '') : token;
  const payload = verifyToken(secret, LINK_PURPOSE[purpose], bare);
  return payload !== null && MESSAGE_ID.test(payload) ? BigInt(payload) : null;
}

export type ClickCheck = { ok: true; messageId: bigint; linkIndex: number | null; destination: string } | { ok: false; reason: string };

/** Checks a click link: the signature must cover this exact destination, and the destination must be a link, not a script. */
export function checkClick(secret: Keys, token: string, destination: unknown): ClickCheck {
  if (typeof destination !== 'string' || destination === '') return { ok: false, reason: 'u: the destination is missing' };
  if (destination.length > 8192) return { ok: false, reason: 'u: the destination is too long' };
  const payload = verifyToken(secret, clickPurpose(destination), token);
  if (payload === null) return { ok: false, reason: 'the link is not valid for this destination' };
  const match = /^(\d{1,19})\.(-?\d{1,6})$/.exec(payload);
  if (!match) return { ok: false, reason: 'the link is not valid' };
  let url: URL;
  try {
    url = new URL(destination);
  } catch {
    return { ok: false, reason: 'u: the destination is not an absolute URL' };
  }
  if (!REDIRECT_PROTOCOLS.has(url.protocol)) return { ok: false, reason: `u: ${url.protocol} links are not followed` };
  const index = Number(match[2]);
  return { ok: true, messageId: BigInt(match[1]), linkIndex: index >= 0 ? index : null, destination };
}

const FORM_PURPOSE = 'preferences-form';
/** How long a preference page may stay open before its form must be reloaded. */
export const FORM_TOKEN_TTL_SECONDS = 2 * 60 * 60;

/**
 * The preference form's CSRF token (double submit): a signed token naming the message, when it
 * was issued and a random nonce that is also set as a cookie. A forged cross-site POST has
 * neither the cookie (SameSite=Strict) nor a token for this message.
 */
export function issueFormToken(secret: Keys, messageId: bigint, now = new Date()): { token: string; nonce: string } {
  const nonce = randomBytes(16).toString('base64url');
  return { token: signToken(secret, FORM_PURPOSE, `${messageId}.${Math.floor(now.getTime() / 1000)}.${nonce}`), nonce };
}

export function checkFormToken(secret: Keys, messageId: bigint, token: unknown, cookieNonce: unknown, now = new Date()): string | null {
  if (typeof token !== 'string' || !token) return 'csrf: the form token is missing; reload the page';
  const payload = verifyToken(secret, FORM_PURPOSE, token);
  const match = payload ? /^(\d{1,19})\.(\d{1,12})\.([\w-]{10,64})$/.exec(payload) : null;
  if (!match || BigInt(match[1]) !== messageId) return 'csrf: the form token is not valid; reload the page';
  const age = Math.floor(now.getTime() / 1000) - Number(match[2]);
  if (age > FORM_TOKEN_TTL_SECONDS || age < -60) return 'csrf: the form has expired; reload the page';
  if (typeof cookieNonce !== 'string' || cookieNonce !== match[3])
    return 'csrf: the form cookie is missing or does not match; reload the page';
  return null;
}

/** RFC 8058: a one-click unsubscribe POST carries `List-Unsubscribe=One-Click`. */
export function isOneClickBody(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as Record<string, unknown>)['List-Unsubscribe'] === 'One-Click';
}

/** One cookie's value from a Cookie header (no cookie parser is installed for two routes). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
