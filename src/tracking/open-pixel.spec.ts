import { withOpenPixel } from './open-pixel';

describe('withOpenPixel', () => {
  const url = 'https://mail.example.com/o/MTIz.abc.gif';

  it('puts the pixel just before the last </body>', () => {
    const out = withOpenPixel('<html><body><p>Hi</p></BODY></html>', url);
    expect(out).toBe(
      `<html><body><p>Hi</p><img src="${url}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0;margin:0;padding:0" /></BODY></html>`,
    );
  });

  it('appends it to a fragment without a body, and escapes the URL for the attribute', () => {
    expect(withOpenPixel('<p>Hi</p>', 'https://x.example/o/a.gif?x=1&y="2"')).toBe(
      '<p>Hi</p><img src="https://x.example/o/a.gif?x=1&amp;y=&quot;2&quot;" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0;margin:0;padding:0" />',
    );
  });
});
