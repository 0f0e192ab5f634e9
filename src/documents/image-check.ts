// Which uploaded files are images Otklik serves and embeds: the type is read from the first
// bytes (never from the file name or the declared type), the size and the dimensions are
// bounded. Pure: the images service and the admin upload call it; its refusals carry a reason
// and the numbers, so each edge says them in its user's language.
import { imageSize } from 'image-size';
import { byteSize } from '../common/byte-size';

/** The widest and tallest image taken, in pixels (each side). */
export const MAX_IMAGE_SIDE = 8000;

export type ImageType = 'png' | 'jpeg' | 'gif' | 'webp';

export const IMAGE_TYPES: Record<ImageType, { contentType: string; extension: string }> = {
  png: { contentType: 'image/png', extension: 'png' },
  jpeg: { contentType: 'image/jpeg', extension: 'jpg' },
  gif: { contentType: 'image/gif', extension: 'gif' },
  webp: { contentType: 'image/webp', extension: 'webp' },
};

/** "PNG, JPEG, GIF or WebP": what messages say is allowed. */
export const ALLOWED_IMAGE_TYPES = 'PNG, JPEG, GIF or WebP';

export interface CheckedImage {
  type: ImageType;
  contentType: string;
  extension: string;
  size: number;
  width: number;
  height: number;
}

export type ImageRefusal =
  | { reason: 'empty'; filename: string }
  | { reason: 'svg'; filename: string }
  | { reason: 'type'; filename: string }
  | { reason: 'unreadable'; filename: string; type: ImageType }
  | { reason: 'size'; filename: string; size: number; limit: number }
  | { reason: 'dimensions'; filename: string; width: number; height: number; limit: number };

export type ImageCheck = { ok: true; image: CheckedImage } | { ok: false; refusal: ImageRefusal };

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The image type the bytes begin with, or null. */
export function sniffImageType(data: Buffer): ImageType | null {
  if (data.length >= 8 && data.subarray(0, 8).equals(PNG)) return 'png';
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg';
  const head = data.subarray(0, 12).toString('latin1');
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return 'gif';
  if (head.startsWith('RIFF') && head.slice(8, 12) === 'WEBP') return 'webp';
  return null;
}

/** An SVG (or any XML whose root is <svg>): refused by name, scripts can hide in it. */
function looksLikeSvg(data: Buffer): boolean {
  const start = data
    .subarray(0, 4096)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  return start.startsWith('<svg') || ((start.startsWith('<?xml') || start.startsWith('<!doctype svg')) && start.includes('<svg'));
}

/**
 * Checks an upload: its type by its bytes, then its size against `maxBytes`, then its
 * dimensions against MAX_IMAGE_SIDE. The first problem is the answer.
 */
export function checkImage(filename: string, data: Buffer, maxBytes: number): ImageCheck {
  const refuse = (refusal: ImageRefusal): ImageCheck => ({ ok: false, refusal });
  if (data.length > maxBytes) return refuse({ reason: 'size', filename, size: data.length, limit: maxBytes });
  if (data.length === 0) return refuse({ reason: 'empty', filename });
  const type = sniffImageType(data);
  if (!type) return refuse({ reason: looksLikeSvg(data) ? 'svg' : 'type', filename });
  let width: number | undefined;
  let height: number | undefined;
  try {
    const found = imageSize(data);
    if (found.type === (type === 'jpeg' ? 'jpg' : type)) ({ width, height } = found);
  } catch {
    // a truncated or damaged file: refused below
  }
  if (!width || !height) return refuse({ reason: 'unreadable', filename, type });
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE)
    return refuse({ reason: 'dimensions', filename, width, height, limit: MAX_IMAGE_SIDE });
  return { ok: true, image: { type, ...IMAGE_TYPES[type], size: data.length, width, height } };
}

/** Where Otklik serves its images: `<PUBLIC_URL>/images/` (an image is `<sha256>.<ext>` under it). */
export function imagesBaseUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/images/`;
}

/** The refusal in English, naming the file and the limit (the API's message). */
export function imageRefusalText(refusal: ImageRefusal): string {
  const file = `«${refusal.filename}»`;
  switch (refusal.reason) {
    case 'empty':
      return `${file} is empty: upload a ${ALLOWED_IMAGE_TYPES} image`;
    case 'svg':
      return `${file} is an SVG image: SVG is not accepted (it can carry scripts); upload a ${ALLOWED_IMAGE_TYPES} image`;
    case 'type':
      return `${file} is not a ${ALLOWED_IMAGE_TYPES} image (judged by its content, not its name); upload one of those types`;
    case 'unreadable':
      return `${file} starts like a ${refusal.type.toUpperCase()} image but cannot be read: it is damaged or cut short`;
    case 'size':
      return `${file} is ${byteSize(refusal.size)}: images may be at most ${byteSize(refusal.limit)} (${refusal.limit} bytes)`;
    case 'dimensions':
      return `${file} is ${refusal.width}×${refusal.height} pixels: images may be at most ${refusal.limit}×${refusal.limit} pixels`;
  }
}
