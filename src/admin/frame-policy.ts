// The content-security policy of a rendered email shown in the admin UI's preview frames. Pure.
//
// The admin pages' own policy (`style-src 'self'`, admin-http.ts sendPage) would block what an
// email is made of: a `<style>` block and `style=""` attributes (MJML writes both), web fonts
// from a font host, images from anywhere. The frame is therefore served from a route of its own
// with this policy: styles inline or from http(s), fonts from http(s) or data, images from
// http(s) or data, and nothing that runs or leaves: no scripts, no forms, no `<base>`, no
// plugins, no connections; only the admin's own pages may frame it. The frames themselves are
// `<iframe sandbox="">`. No CSP `sandbox` directive: with it Chromium moved the frame to another
// process while it loaded, which the browser tests saw as a closed frame (the campaign wizard's
// tests failed run after run); opened on its own, the document still runs nothing and sends nothing.

export const EMAIL_FRAME_POLICY: ReadonlyArray<readonly [directive: string, ...sources: string[]]> = [
  ['default-src', "'none'"],
  ['script-src', "'none'"],
  ['style-src', "'unsafe-inline'", 'https:', 'http:'],
  ['font-src', 'https:', 'http:', 'data:'],
  ['img-src', 'https:', 'http:', 'data:'],
  ['media-src', "'none'"],
  ['object-src', "'none'"],
  ['connect-src', "'none'"],
  ['form-action', "'none'"],
  ['base-uri', "'none'"],
  ['frame-ancestors', "'self'"],
];

/** A policy as the `Content-Security-Policy` header writes it: directives joined by "; ". */
export function cspHeader(policy: ReadonlyArray<readonly string[]>): string {
  return policy.map((directive) => directive.join(' ')).join('; ');
}

export const EMAIL_FRAME_CSP = cspHeader(EMAIL_FRAME_POLICY);
