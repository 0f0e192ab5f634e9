// What must never reach a log line or a public error: credentials inside URLs (drivers put
// SMTP_URL, DATABASE_URL, REDIS_URL or IMAP_URL into their error messages), API keys, bearer
// tokens, signed tokens in request paths, and the configured secret values themselves
// (config/env-secrets.ts lists them). Pure.

export const REDACTED = '***';

/** `scheme://user:password@host`: the password, whatever the scheme. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:'"<>]*):[^\s/?#@'"<>]*@/gi;
/** Our API keys (auth/api-key.ts): the prefix stays, so a leaked line still says which key. */
const API_KEY = /\b(otk_[a-z0-9]{8}_)[A-Za-z0-9_-]{32}(?![A-Za-z0-9_-])/g;
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi;
/** Shorter values would mask ordinary words; every secret the config holds is longer. */
const MIN_KNOWN_LENGTH = 8;

/**
 * The text with every known secret value (as is, URL-encoded or JSON-escaped) and every
 * credential-shaped part replaced by ***.
 */
export function redactSecrets(text: string, known: readonly string[] = []): string {
  let out = text;
  for (const value of spellings(known)) out = out.split(value).join(REDACTED);
  return out.replace(URL_PASSWORD, `$1:${REDACTED}@`).replace(API_KEY, `$1${REDACTED}`).replace(BEARER, `$1${REDACTED}`);
}

function spellings(known: readonly string[]): string[] {
  const all = new Set<string>();
  for (const value of known) {
    if (value.length < MIN_KNOWN_LENGTH) continue;
    all.add(value);
    all.add(encodeURIComponent(value));
    all.add(JSON.stringify(value).slice(1, -1));
  }
  // Longest first, so a value that contains another is masked whole.
  return [...all].sort((a, b) => b.length - a.length);
}

/**
 * The path to log for a request: a route with a `:token` parameter (signed tracking links,
 * webhook URLs, confirmation links) is logged as its pattern, because the token is the
 * credential; any other path as it is.
 */
export function loggablePath(path: string, routePattern: unknown): string {
  return typeof routePattern === 'string' && /:token\b/.test(routePattern) ? routePattern : path;
}
