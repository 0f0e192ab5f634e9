// Header fields written to the letter, for any Unicode: RFC 2047 encoded words for text
// (Subject, display names, the List-Id phrase), RFC 2231 parameters for file names, and folding
// so no line passes 78 characters where a fold is possible and none ever passes 998 (RFC 5322
// §2.1.1). Every value decodes back to exactly what was given (mime/header-encoding.fuzz.spec.ts
// checks it against arbitrary Unicode). Pure: no I/O.

export const CRLF = '\r\n';
/** RFC 5322 §2.1.1: SHOULD be no more than 78, MUST be no more than 998 (without the CRLF). */
export const SOFT_LINE_LIMIT = 78;
export const HARD_LINE_LIMIT = 998;

/** UTF-8 bytes of text per encoded word: 39 bytes → 52 base64 characters → a 64-character word. */
const WORD_BYTES = 39;

/** Plain printable ASCII that reads back as itself once unfolded: single spaces between words, none at the ends, no "=?". */
function isPlainText(value: string): boolean {
  return /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/.test(value) && !value.includes('=?') && value.split(' ').every((word) => word.length <= 70);
}

/**
 * RFC 2047 "B" encoded words of UTF-8, each whole code points and at most 64 characters. Decoders
 * join adjacent encoded words without the whitespace between them, so every space of the value
 * is inside a word and the text reads back exactly.
 */
export function encodedWords(value: string): string[] {
  const words: string[] = [];
  let bytes: Buffer[] = [];
  let size = 0;
  for (const char of value) {
    const encoded = Buffer.from(char, 'utf8');
    if (size + encoded.length > WORD_BYTES && size > 0) {
      words.push(`=?UTF-8?B?${Buffer.concat(bytes).toString('base64')}?=`);
      bytes = [];
      size = 0;
    }
    bytes.push(encoded);
    size += encoded.length;
  }
  if (size > 0 || words.length === 0) words.push(`=?UTF-8?B?${Buffer.concat(bytes).toString('base64')}?=`);
  return words;
}

/** Line breaks in a one-line value are a caller's mistake or an injection attempt: they become spaces. */
function oneLine(value: string): string {
  return value.replace(/\r\n|[\r\n]/g, ' ');
}

/** Unstructured text (Subject): the value itself when it is plain ASCII, else encoded words; as tokens to fold. */
export function textTokens(value: string): string[] {
  const clean = oneLine(value);
  if (clean === '') return [];
  return isPlainText(clean) ? clean.split(' ') : encodedWords(clean);
}

/** A display name (From, List-Id): a quoted string when it is plain ASCII, else encoded words. */
export function phraseTokens(name: string): string[] {
  const clean = oneLine(name);
  if (isPlainText(clean)) {
    const words = clean.replace(/["\\]/g, '\\$&').split(' ');
    words[0] = `"${words[0]}`;
    words[words.length - 1] = `${words[words.length - 1]}"`;
    return words;
  }
  return encodedWords(clean);
}

/** `name <address>`, or the bare address; as tokens to fold. */
export function addressTokens(address: string, name?: string | null): string[] {
  return name ? [...phraseTokens(name), `<${address}>`] : [address];
}

/** RFC 2231 attribute-char: what a parameter value may hold unencoded (no tspecials, "*", "'", "%"). */
const ATTRIBUTE_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;
const TOKEN = /^[A-Za-z0-9!#$&+\-.^_`|~]+$/;

/**
 * `key=value` parameters as tokens (each followed by ";" but the last): a token, a quoted string,
 * or RFC 2231 continuations `key*0*=utf-8''%D0%9F…`, `key*1*=…` (extended values are never
 * quoted, RFC 2231 §4), each sized so its line stays within 78 characters; a percent-escape is
 * never split.
 */
export function parameterTokens(key: string, value: string): string[] {
  const clean = oneLine(value);
  if (TOKEN.test(clean) && key.length + clean.length <= 60) return [`${key}=${clean}`];
  if (/^[\x20-\x7e]*$/.test(clean) && !/["\\]/.test(clean) && key.length + clean.length <= 60 && clean !== '') return [`${key}="${clean}"`];
  const escaped: string[] = [];
  for (const byte of Buffer.from(clean, 'utf8')) {
    const char = String.fromCharCode(byte);
    escaped.push(byte < 0x80 && ATTRIBUTE_CHAR.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`);
  }
  const pieces: string[] = [];
  let piece = `${key}*0*=utf-8''`;
  let index = 0;
  // A continuation line is " " + piece + ";": keep the piece within 76.
  for (const unit of escaped) {
    if (piece.length + unit.length > SOFT_LINE_LIMIT - 2 && !piece.endsWith('=') && !piece.endsWith("''")) {
      pieces.push(piece);
      index++;
      piece = `${key}*${index}*=`;
    }
    piece += unit;
  }
  pieces.push(piece);
  return pieces;
}

/**
 * `Name: value` folded: tokens joined by single spaces, a line broken before a token that would
 * pass 78 characters. A token longer than a line stays whole (it cannot be folded); one that
 * would pass 998 is refused, since no relay has to take it.
 */
export function foldHeader(name: string, tokens: readonly string[], separator: ' ' | '; ' = ' '): string {
  let out = `${name}:`;
  let line = out.length;
  tokens.forEach((token, i) => {
    const text = i < tokens.length - 1 && separator === '; ' ? `${token};` : token;
    if (/[\r\n]/.test(text)) throw new Error(`header ${name} contains a line break`);
    if (1 + text.length > HARD_LINE_LIMIT)
      throw new Error(`header ${name}: a part of ${text.length} characters cannot be folded within ${HARD_LINE_LIMIT}`);
    if (line + 1 + text.length > SOFT_LINE_LIMIT && line > name.length + 1) {
      out += `${CRLF} ${text}`;
      line = 1 + text.length;
    } else {
      out += ` ${text}`;
      line += 1 + text.length;
    }
  });
  return out + CRLF;
}

/** A header whose value is already valid (List-Unsubscribe, Feedback-ID, a custom header): folded at its spaces. */
export function plainHeader(name: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new Error(`header ${name} contains a line break`);
  if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) throw new Error(`header name ${JSON.stringify(name)} is not a field name`);
  const tokens = value.split(' ').filter((token) => token !== '');
  return foldHeader(name, tokens);
}

/** Text with every line break (CRLF, bare CR, bare LF) written as CRLF: the canonical form of text parts (RFC 2045/2046). */
export function normaliseLineBreaks(text: string): string {
  return /\r(?!\n)|(?<!\r)\n/.test(text) ? text.replace(/\r\n|\r|\n/g, CRLF) : text;
}
