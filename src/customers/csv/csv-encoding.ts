// Which text encoding a CSV file is in, told from its first bytes. Russian Excel saves "CSV"
// in Windows-1251, "CSV UTF-8" with a BOM, and "Unicode text" as UTF-16LE with a BOM; web
// exports are UTF-8 without a BOM. Decoding is done with iconv-lite's streaming decoder.
import * as iconv from 'iconv-lite';

export type DetectedEncoding = 'utf-8' | 'windows-1251' | 'utf-16le' | 'utf-16be';

export interface EncodingGuess {
  encoding: DetectedEncoding;
  /** Length of the byte order mark found, 0 when none. */
  bomLength: number;
  /** How the guess was made, for the import summary. */
  basis: 'bom' | 'valid-utf8' | 'ascii-only' | 'cp1251-letters' | 'invalid-utf8';
}

/** Bytes of non-ASCII text the sniffer wants to see before deciding, unless the input ends. */
export const SNIFF_NON_ASCII_BYTES = 256;
/** The sniffer stops reading ahead after this many bytes even if it saw no non-ASCII byte. */
export const SNIFF_MAX_BYTES = 1 << 20;

/**
 * Guesses the encoding of `sample` (the first bytes of a file). `complete` says the sample is
 * the whole file, so a multi-byte sequence cut at its end is an error, not a chunk boundary.
 */
export function detectEncoding(sample: Uint8Array, complete: boolean): EncodingGuess {
  if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) {
    return { encoding: 'utf-8', bomLength: 3, basis: 'bom' };
  }
  if (sample.length >= 2 && sample[0] === 0xff && sample[1] === 0xfe) {
    return { encoding: 'utf-16le', bomLength: 2, basis: 'bom' };
  }
  if (sample.length >= 2 && sample[0] === 0xfe && sample[1] === 0xff) {
    return { encoding: 'utf-16be', bomLength: 2, basis: 'bom' };
  }
  const scan = scanUtf8(sample, complete);
  if (scan.invalid === 0) {
    return { encoding: 'utf-8', bomLength: 0, basis: scan.highBytes === 0 ? 'ascii-only' : 'valid-utf8' };
  }
  // Windows-1251 puts А–я at 0xC0–0xFF and Ё/ё at 0xA8/0xB8: Russian text is almost only those.
  // Typographic quotes, dashes and № (0x80–0xBF) make up the rest.
  if (scan.cyrillicLetters >= scan.highBytes * 0.6) {
    return { encoding: 'windows-1251', bomLength: 0, basis: 'cp1251-letters' };
  }
  return { encoding: 'utf-8', bomLength: 0, basis: 'invalid-utf8' };
}

interface Utf8Scan {
  highBytes: number;
  cyrillicLetters: number;
  invalid: number;
}

function scanUtf8(bytes: Uint8Array, complete: boolean): Utf8Scan {
  let highBytes = 0;
  let cyrillicLetters = 0;
  let invalid = 0;
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    highBytes++;
    if (b >= 0xc0 || b === 0xa8 || b === 0xb8) cyrillicLetters++;
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      invalid++;
      i++;
      continue;
    }
    if (i + need >= n) {
      // The sequence runs past the sample: a chunk boundary, unless this is the whole file.
      if (complete) invalid++;
      break;
    }
    let cp = b & (0x3f >> need);
    let ok = true;
    for (let k = 1; ok && k <= need; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (c & 0x3f);
    }
    if (!ok || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      invalid++;
      i++;
      continue;
    }
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      highBytes++;
      if (c >= 0xc0 || c === 0xa8 || c === 0xb8) cyrillicLetters++;
    }
    i += need + 1;
  }
  return { highBytes, cyrillicLetters, invalid };
}

/** True when `bytes` holds at least `count` bytes ≥ 0x80 (the sniffer's "seen enough" test). */
export function hasNonAscii(bytes: Uint8Array, count: number): boolean {
  let seen = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] >= 0x80 && ++seen >= count) return true;
  }
  return false;
}

export interface TextDecoderStream {
  write(chunk: Uint8Array): string;
  end(): string;
}

/**
 * A streaming decoder: keeps a character cut between two chunks for the next one, drops a BOM.
 * UTF-8 goes through Node's native TextDecoder (SIMD, twice as fast as iconv-lite's, which wraps
 * StringDecoder); every other encoding through iconv-lite.
 */
export function createDecoder(encoding: string): TextDecoderStream {
  if (/^utf-?8$/i.test(encoding)) {
    const utf8 = new TextDecoder('utf-8'); // not fatal: bad bytes become U+FFFD, counted by the reader
    return { write: (chunk) => utf8.decode(chunk, { stream: true }), end: () => utf8.decode() };
  }
  if (!iconv.encodingExists(encoding)) throw new Error(`unsupported encoding: ${String(encoding)}`);
  const decoder = iconv.getDecoder(encoding, { stripBOM: true });
  return {
    write: (chunk) => decoder.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)),
    end: () => decoder.end() ?? '',
  };
}

export function isSupportedEncoding(encoding: string): boolean {
  return iconv.encodingExists(encoding);
}
