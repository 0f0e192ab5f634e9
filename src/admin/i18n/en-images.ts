// English messages of the images upload (the content studio's asset manager), spread into the
// one catalogue (en.ts).
import type { Message } from './ru';
import type { ruImages } from './ru-images';

export const enImages: Record<keyof typeof ruImages, Message> = {
  'img.noFile': 'Choose an image file: PNG, JPEG, GIF or WebP.',
  'img.empty': '«{file}» is empty: upload a PNG, JPEG, GIF or WebP image.',
  'img.svg': '«{file}» is an SVG image: SVG is not accepted (it can carry scripts). Upload a PNG, JPEG, GIF or WebP.',
  'img.type': '«{file}» is not a PNG, JPEG, GIF or WebP image (its content is checked, not its name).',
  'img.unreadable': '«{file}» looks like a {type} but cannot be read: the file is damaged or cut short.',
  'img.size': '«{file}» is too big: an image may be at most {limit}.',
  'img.dimensions': '«{file}» is {width}×{height} pixels: an image may be at most {limit}×{limit} pixels.',
};
