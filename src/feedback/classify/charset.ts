// Byte → text decoding that never throws. iconv-lite covers most charsets seen in bounces;
// ISO-2022-JP (common in Japanese bounces) is converted to EUC-JP first, which iconv-lite knows.
import * as iconv from 'iconv-lite';
import { ownValue } from '../../common/own-value';

const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const ALIASES: Record<string, string> = {
  utf8: 'utf-8',
  'x-unknown': '',
  'unknown-8bit': '',
  'x-user-defined': '',
  'us-ascii': 'utf-8',
  ascii: 'utf-8',
  'ansi_x3.4-1968': 'utf-8',
  '646': 'utf-8',
  'iso-2022-jp': 'iso-2022-jp',
  'iso-2022-jp-1': 'iso-2022-jp',
  'iso-2022-jp-2': 'iso-2022-jp',
  csiso2022jp: 'iso-2022-jp',
};

/** Decodes bytes in the named charset; falls back to UTF-8 when valid, then Windows-1251. */
export function decodeBytes(bytes: Buffer, charset?: string | null): string {
  const name = normaliseCharset(charset);
  if (name === 'iso-2022-jp') return decodeIso2022Jp(bytes);
  if (name && name !== 'utf-8' && iconv.encodingExists(name)) {
    try {
      return iconv.decode(bytes, name);
    } catch {
      // fall through to the guess below
    }
  }
  return guessDecode(bytes);
}

function normaliseCharset(charset?: string | null): string {
  if (!charset) return '';
  const lower = charset
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  return ownValue(ALIASES, lower) ?? lower;
}

function guessDecode(bytes: Buffer): string {
  if (!hasHighBytes(bytes)) return bytes.toString('latin1');
  if (bytes.includes(0x1b)) return decodeIso2022Jp(bytes);
  try {
    return utf8Strict.decode(bytes);
  } catch {
    return iconv.decode(bytes, 'windows-1251');
  }
}

function hasHighBytes(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] > 0x7f) return true;
  return false;
}

/** ISO-2022-JP → EUC-JP bytes (JIS X 0208 pairs get the high bit set) → text. */
export function decodeIso2022Jp(bytes: Buffer): string {
  const out = Buffer.allocUnsafe(bytes.length);
  let n = 0;
  let twoByte = false;
  let kana = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x1b && i + 2 < bytes.length) {
      const c1 = bytes[i + 1];
      const c2 = bytes[i + 2];
      if (c1 === 0x24 && (c2 === 0x42 || c2 === 0x40)) {
        twoByte = true;
        kana = false;
        i += 2;
        continue;
      }
      if (c1 === 0x28 && (c2 === 0x42 || c2 === 0x4a)) {
        twoByte = false;
        kana = false;
        i += 2;
        continue;
      }
      if (c1 === 0x28 && c2 === 0x49) {
        kana = true;
        twoByte = false;
        i += 2;
        continue;
      }
    }
    if (b === 0x0a || b === 0x0d) {
      twoByte = false;
      kana = false;
      out[n++] = b;
    } else if (twoByte && b >= 0x21 && b <= 0x7e && i + 1 < bytes.length) {
      out[n++] = b | 0x80;
      out[n++] = bytes[++i] | 0x80;
    } else if (kana && b >= 0x21 && b <= 0x5f) {
      out[n++] = 0x8e;
      out[n++] = b | 0x80;
    } else {
      out[n++] = b;
    }
  }
  try {
    return iconv.decode(out.subarray(0, n), 'euc-jp');
  } catch {
    return bytes.toString('latin1');
  }
}

/** Latin-1 string (one char per byte) back to bytes. */
export function binaryToBuffer(binary: string): Buffer {
  return Buffer.from(binary, 'latin1');
}

/** Decodes RFC 2047 encoded words in a header value held as a Latin-1 (byte) string. */
export function decodeHeaderValue(binary: string): string {
  let text = binary;
  if (/[\x80-\xff]/.test(text)) {
    // Raw 8-bit header: each run of high bytes holds whole characters in UTF-8 or a legacy charset.
    text = text.replace(/[\x80-\xff]+/g, (run) => decodeBytes(binaryToBuffer(run), null));
  }
  if (text.includes('=?')) text = decodeEncodedWords(text);
  return text;
}

const ENCODED_WORD = /=\?([^?\s]{1,40})\?([bBqQ])\?([^?\s]*)\?=/g;

/** Adjacent encoded words in one charset are joined as bytes first: a character may straddle two. */
function decodeEncodedWords(text: string): string {
  let out = '';
  let last = 0;
  let pending: { charset: string; chunks: Buffer[] } | null = null;
  for (const m of text.matchAll(ENCODED_WORD)) {
    const start = m.index ?? 0;
    const between = text.slice(last, start);
    const charset = m[1].split('*')[0].toLowerCase();
    const bytes = m[2].toUpperCase() === 'B' ? Buffer.from(m[3], 'base64') : qpHeaderBytes(m[3]);
    const adjacent = pending !== null && /^\s*$/.test(between);
    if (adjacent && pending!.charset === charset) {
      pending!.chunks.push(bytes);
    } else {
      if (pending) out += decodeBytes(Buffer.concat(pending.chunks), pending.charset);
      if (!adjacent) out += between;
      pending = { charset, chunks: [bytes] };
    }
    last = start + m[0].length;
  }
  if (pending) out += decodeBytes(Buffer.concat(pending.chunks), pending.charset);
  return out + text.slice(last);
}

function qpHeaderBytes(data: string): Buffer {
  const s = data.replace(/_/g, ' ');
  return binaryToBuffer(s.replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))));
}
