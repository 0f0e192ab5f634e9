import {
  checkClick,
  checkFormToken,
  FORM_TOKEN_TTL_SECONDS,
  isOneClickBody,
  issueFormToken,
  messageLinks,
  messageOfToken,
  readCookie,
} from './tracking-links';

const secret = 'tracking-secret-'.padEnd(40, 'x');
const links = messageLinks('https://mail.example.com', secret, 42n);
const tokenOf = (url: string, prefix: string) => new URL(url).pathname.slice(prefix.length);

function clickParts(url: string): { token: string; u: string } {
  const parsed = new URL(url);
  return { token: parsed.pathname.slice('/c/'.length), u: parsed.searchParams.get('u')! };
}

describe('message tokens', () => {
  it('reads each link back to its message, for its own route only', () => {
    expect(messageOfToken(secret, 'unsubscribe', tokenOf(links.unsubscribeUrl, '/u/'))).toBe(42n);
    expect(messageOfToken(secret, 'preferences', tokenOf(links.preferencesUrl, '/p/'))).toBe(42n);
    expect(messageOfToken(secret, 'view', tokenOf(links.viewInBrowserUrl, '/v/'))).toBe(42n);
    expect(messageOfToken(secret, 'open', tokenOf(links.openPixelUrl, '/o/'))).toBe(42n);
    expect(messageOfToken(secret, 'unsubscribe', tokenOf(links.preferencesUrl, '/p/'))).toBeNull();
    expect(messageOfToken(secret, 'view', 'garbage')).toBeNull();
    expect(messageOfToken('another-secret'.padEnd(40, 'y'), 'view', tokenOf(links.viewInBrowserUrl, '/v/'))).toBeNull();
  });
});

describe('checkClick', () => {
  const destination = 'https://shop.example/sale?utm_source=otklik&x=1#top';
  const { token, u } = clickParts(links.trackLink(destination, 3));

  it('accepts the destination it was signed for', () => {
    expect(u).toBe(destination);
    expect(checkClick(secret, token, u)).toEqual({ ok: true, messageId: 42n, linkIndex: 3, destination });
  });

  it.each([
    ['another destination', 'https://evil.example/'],
    ['a changed query', destination.replace('x=1', 'x=2')],
    ['a missing destination', undefined],
    ['an array of destinations', [destination, destination]],
  ])('refuses %s', (_name, given) => {
    expect(checkClick(secret, token, given).ok).toBe(false);
  });

  it('refuses a link signed for another message', () => {
    const other = clickParts(messageLinks('https://mail.example.com', secret, 43n).trackLink('https://evil.example/', 0));
    expect(checkClick(secret, other.token, destination).ok).toBe(false);
  });

  it('never redirects to a script, even a signed one', () => {
    const signed = clickParts(links.trackLink('javascript:alert(1)', 0));
    expect(checkClick(secret, signed.token, signed.u)).toEqual({ ok: false, reason: 'u: javascript: links are not followed' });
  });

  it('keeps an unnumbered link (index -1) as no index', () => {
    const signed = clickParts(links.trackLink('https://shop.example/', -1));
    expect(checkClick(secret, signed.token, signed.u)).toMatchObject({ ok: true, linkIndex: null });
  });
});

describe('preference form tokens', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  const { token, nonce } = issueFormToken(secret, 42n, now);

  it('accepts its own token with the matching cookie', () => {
    expect(checkFormToken(secret, 42n, token, nonce, new Date(now.getTime() + 60_000))).toBeNull();
  });

  it.each<[string, bigint, unknown, unknown, Date, RegExp]>([
    ['no token', 42n, undefined, nonce, now, /missing/],
    ['another message', 43n, token, nonce, now, /not valid/],
    ['no cookie', 42n, token, undefined, now, /cookie/],
    ['another cookie', 42n, token, 'AAAAAAAAAAAAAAAAAAAAAA', now, /cookie/],
    ['an expired form', 42n, token, nonce, new Date(now.getTime() + (FORM_TOKEN_TTL_SECONDS + 1) * 1000), /expired/],
    ['a forged token', 42n, token.slice(0, -3) + 'abc', nonce, now, /not valid/],
  ])('refuses %s', (_name, messageId, given, cookie, at, problem) => {
    expect(checkFormToken(secret, messageId, given, cookie, at)).toMatch(problem);
  });
});

describe('request helpers', () => {
  it.each<[unknown, boolean]>([
    [{ 'List-Unsubscribe': 'One-Click' }, true],
    [{ 'List-Unsubscribe': 'One-Click', source: 'page' }, true],
    [{ 'List-Unsubscribe': 'one-click' }, false],
    [{}, false],
    [undefined, false],
    ['List-Unsubscribe=One-Click', false],
  ])('isOneClickBody(%p) is %p', (body, expected) => {
    expect(isOneClickBody(body)).toBe(expected);
  });

  it('reads one cookie', () => {
    expect(readCookie('a=1; otk_pref=abc%2Ddef; b=2', 'otk_pref')).toBe('abc-def');
    expect(readCookie('xotk_pref=1', 'otk_pref')).toBeUndefined();
    expect(readCookie(undefined, 'otk_pref')).toBeUndefined();
  });
});
