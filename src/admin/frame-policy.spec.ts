import { cspHeader, EMAIL_FRAME_CSP, EMAIL_FRAME_POLICY } from './frame-policy';

/** The header parsed back into directive → sources. */
function parsed(header: string): Map<string, string[]> {
  return new Map(
    header.split(';').map((part) => {
      const [name, ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe('the email preview frame policy', () => {
  const policy = parsed(EMAIL_FRAME_CSP);

  it('writes each directive once, joined as a CSP header', () => {
    expect(
      cspHeader([
        ['a', "'none'"],
        ['b', 'x:', 'y:'],
      ]),
    ).toBe("a 'none'; b x: y:");
    expect(policy.size).toBe(EMAIL_FRAME_POLICY.length);
  });

  it.each([
    ['script-src', ["'none'"], 'an email never runs code in the admin'],
    ['default-src', ["'none'"], 'anything not named is refused'],
    ['form-action', ["'none'"], 'a form in an email cannot post from the frame'],
    ['base-uri', ["'none'"], 'no <base> to turn relative links elsewhere'],
    ['object-src', ["'none'"], 'no plugins'],
    ['connect-src', ["'none'"], 'no fetches'],
    ['frame-ancestors', ["'self'"], 'only our own pages frame it'],
  ])('%s is %j: %s', (directive, sources) => {
    expect(policy.get(directive)).toEqual(sources);
  });

  it("styles inline and from http(s) (MJML's <style> and style attributes, font CSS), fonts and images from http(s) and data", () => {
    expect(policy.get('style-src')).toEqual(expect.arrayContaining(["'unsafe-inline'", 'https:']));
    expect(policy.get('font-src')).toEqual(expect.arrayContaining(['https:', 'data:']));
    expect(policy.get('img-src')).toEqual(expect.arrayContaining(['https:', 'http:', 'data:']));
  });

  it('lets nothing run or leave even when opened outside its sandboxed iframe', () => {
    expect(policy.get('script-src')).toEqual(["'none'"]);
    expect(policy.get('connect-src')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'none'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(EMAIL_FRAME_CSP).not.toMatch(/unsafe-eval|'self' 'unsafe-inline'|\*/);
  });
});
