// The per-message links put into every email: signed so the public routes (tracking module)
// can trust them without a key. Pure.
import { signToken } from '../common/signed-token';

export const LINK_PURPOSE = { unsubscribe: 'unsubscribe', preferences: 'preferences', view: 'view', click: 'click', open: 'open' } as const;

export interface MessageLinks {
  unsubscribeUrl: string;
  preferencesUrl: string;
  viewInBrowserUrl: string;
  openPixelUrl: string;
  trackLink(url: string, index: number): string;
}

export function messageLinks(publicUrl: string, secret: string, messageId: bigint): MessageLinks {
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

/** VERP: the envelope sender names the message, so an asynchronous bounce maps back to it. */
export function verpReturnPath(bounceDomain: string, messageId: bigint): string {
  return `bounces+${messageId}@${bounceDomain}`;
}

/** Parses a VERP address back to a message id (the feedback loop uses it). */
export function messageIdFromVerp(address: string): bigint | null {
  const match = /^bounces\+(\d{1,19})@/i.exec(address.trim());
  return match ? BigInt(match[1]) : null;
}
