import { GIF_1X1, JPEG_1X1, pngImage, SVG_WITH_SCRIPT, WEBP_1X1 } from '../../test/support/images';
import { checkImage, imageRefusalText, MAX_IMAGE_SIDE, sniffImageType, type ImageCheck } from './image-check';

const MB = 1 << 20;

describe('checkImage: accepted types, by their bytes', () => {
  it.each([
    ['a PNG', 'logo.png', pngImage(3, 2), { type: 'png', contentType: 'image/png', extension: 'png', width: 3, height: 2 }],
    ['a JPEG', 'photo.jpeg', JPEG_1X1, { type: 'jpeg', contentType: 'image/jpeg', extension: 'jpg', width: 1, height: 1 }],
    ['a GIF', 'anim.gif', GIF_1X1, { type: 'gif', contentType: 'image/gif', extension: 'gif', width: 1, height: 1 }],
    ['a WebP', 'pic.webp', WEBP_1X1, { type: 'webp', contentType: 'image/webp', extension: 'webp', width: 1, height: 1 }],
    ['a PNG named .jpg (the bytes decide)', 'wrong.jpg', pngImage(5, 5), { type: 'png', contentType: 'image/png', width: 5, height: 5 }],
  ])('%s', (_why, filename, data, expected) => {
    const check = checkImage(filename, data, 5 * MB);
    expect(check).toEqual({ ok: true, image: expect.objectContaining({ ...expected, size: data.length }) });
  });
});

describe('checkImage: refusals name the file and the limit', () => {
  const refusal = (check: ImageCheck) => (check.ok ? null : check.refusal);
  it.each([
    ['an SVG (scripts can hide in it)', 'logo.svg', SVG_WITH_SCRIPT, 'svg', /«logo\.svg» is an SVG image.*PNG, JPEG, GIF or WebP/],
    ['a bare <svg> named .png', 'x.png', Buffer.from('  <svg xmlns="http://www.w3.org/2000/svg"/>'), 'svg', /«x\.png» is an SVG/],
    [
      'a text file named .png',
      'x.png',
      Buffer.from('just some text, not a picture'),
      'type',
      /«x\.png» is not a PNG, JPEG, GIF or WebP image/,
    ],
    ['a PDF', 'price.pdf', Buffer.from('%PDF-1.7\n'), 'type', /«price\.pdf» is not a PNG/],
    ['an empty file', 'empty.png', Buffer.alloc(0), 'empty', /«empty\.png» is empty/],
    [
      'a PNG cut short after its signature',
      'cut.png',
      pngImage(4, 4).subarray(0, 12),
      'unreadable',
      /«cut\.png» starts like a PNG.*damaged/,
    ],
  ])('%s', (_why, filename, data, reason, text) => {
    const found = refusal(checkImage(filename, data, 5 * MB));
    expect(found?.reason).toBe(reason);
    expect(imageRefusalText(found!)).toMatch(text);
  });

  it('over the size limit: refused before anything else, naming the limit', () => {
    const data = Buffer.concat([pngImage(20, 20, 7), Buffer.alloc(2000)]); // bytes after the end: still a PNG
    const found = refusal(checkImage('big.png', data, 1024));
    expect(found).toEqual({ reason: 'size', filename: 'big.png', size: data.length, limit: 1024 });
    expect(imageRefusalText(found!)).toMatch(/«big\.png» is .*: images may be at most 1 KB \(1024 bytes\)/);
    expect(checkImage('big.png', data, data.length).ok).toBe(true); // exactly the limit is fine
  });

  it.each([
    [MAX_IMAGE_SIDE + 1, 10],
    [10, MAX_IMAGE_SIDE + 1],
  ])('%i×%i pixels: over the dimension limit', (width, height) => {
    const found = refusal(checkImage('wide.png', pngImage(width, height), 5 * MB));
    expect(found).toEqual({ reason: 'dimensions', filename: 'wide.png', width, height, limit: MAX_IMAGE_SIDE });
    expect(imageRefusalText(found!)).toBe(`«wide.png» is ${width}×${height} pixels: images may be at most 8000×8000 pixels`);
  });

  it('exactly the dimension limit is fine', () => {
    expect(checkImage('edge.png', pngImage(MAX_IMAGE_SIDE, 1), 5 * MB).ok).toBe(true);
  });
});

describe('sniffImageType', () => {
  it.each([
    [Buffer.from('RIFF\0\0\0\0WAVEfmt '), null], // a RIFF that is audio
    [Buffer.from('GIF88a'), null],
    [Buffer.from([0xff, 0xd8]), null], // too short for a JPEG marker
    [Buffer.from([0x89, 0x50, 0x4e, 0x47]), null], // half a PNG signature
    [GIF_1X1, 'gif'],
  ])('%#', (data, type) => {
    expect(sniffImageType(data)).toBe(type);
  });
});
