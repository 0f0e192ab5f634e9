// The per-message links put into every email: signed so the public routes (tracking module)
// can trust them without a key. Pure.
import { signToken, type Keys } from '../common/signed-token';

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
