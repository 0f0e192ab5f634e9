import { imagesBaseUrl } from '../../documents/image-check';
import { embedOwnImages } from './inline-images';

const A = 'a'.repeat(64);
const B = '0123456789abcdef'.repeat(4);
const BASE = imagesBaseUrl('https://mail.shop.example/otklik/');

describe('embedOwnImages', () => {
  it('turns each of our own image URLs into a cid: reference and lists each image once, in order', () => {
    const html =
      `<img src="${BASE}${B}.jpg" alt="hero">` + `<p><img alt="logo" src='${BASE}${A}.png'></p>` + `<img width="10" src="${BASE}${B}.jpg">`;
    expect(embedOwnImages(html, BASE)).toEqual({
      html:
        `<img src="cid:${B}@otklik" alt="hero">` +
        `<p><img alt="logo" src='cid:${A}@otklik'></p>` +
        `<img width="10" src="cid:${B}@otklik">`,
      images: [
        { sha256: B, extension: 'jpg', contentId: `${B}@otklik` },
        { sha256: A, extension: 'png', contentId: `${A}@otklik` },
      ],
    });
  });

  it.each([
    ['another host', `<img src="https://cdn.example/images/${A}.png">`],
    ['the same host outside the public URL’s path', `<img src="https://mail.shop.example/images/${A}.png">`],
    ['a name that is not a hash', `<img src="${BASE}logo.png">`],
    ['an extension we do not serve', `<img src="${BASE}${A}.svg">`],
    ['a longer name', `<img src="${BASE}${A}.png.exe">`],
    ['a link, not an image source', `<a href="${BASE}${A}.png">download</a>`],
    ['the URL as text', `<p>${BASE}${A}.png</p>`],
    ['a data-src attribute', `<img data-src="${BASE}${A}.png">`],
    ['mismatched quotes', `<img src="${BASE}${A}.png'>`],
  ])('leaves alone: %s', (_why, html) => {
    expect(embedOwnImages(html, BASE)).toEqual({ html, images: [] });
  });

  it('embeds only the images the caller picks (those stored); the others keep their URL', () => {
    const html = `<img src="${BASE}${A}.png"><img src="${BASE}${B}.gif">`;
    expect(embedOwnImages(html, BASE, (image) => image.sha256 === B)).toEqual({
      html: `<img src="${BASE}${A}.png"><img src="cid:${B}@otklik">`,
      images: [{ sha256: B, extension: 'gif', contentId: `${B}@otklik` }],
    });
  });

  it('does nothing to HTML without images', () => {
    const html = '<p>Привет</p>';
    expect(embedOwnImages(html, BASE)).toEqual({ html, images: [] });
  });

  it('takes a public URL with or without a trailing slash', () => {
    expect(imagesBaseUrl('https://x.example')).toBe('https://x.example/images/');
    expect(imagesBaseUrl('https://x.example//')).toBe('https://x.example/images/');
  });
});
