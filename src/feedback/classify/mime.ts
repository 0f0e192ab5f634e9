// A small, tolerant MIME reader for the classifier's hot path. It works on a "binary" string
// (one char per byte, Latin-1), never throws on malformed input, and stops at fixed limits
// (depth, part count, header count) so hostile messages cost bounded time.
import { binaryToBuffer, decodeBytes, decodeHeaderValue } from './charset';

const MAX_DEPTH = 6;
const MAX_PARTS = 120;
const MAX_HEADERS = 400;

export class Headers {
  constructor(readonly fields: ReadonlyArray<readonly [string, string]>) {}

  /** First value of a header, unfolded, still in raw bytes (no RFC 2047 decoding). */
  raw(name: string): string | undefined {
    for (const [n, v] of this.fields) if (n === name) return v;
    return undefined;
  }

  /** First value, RFC 2047 decoded. */
  get(name: string): string | undefined {
    const v = this.raw(name);
    return v === undefined ? undefined : decodeHeaderValue(v);
  }

  all(name: string): string[] {
    const out: string[] = [];
    for (const [n, v] of this.fields) if (n === name) out.push(v);
    return out;
  }

  has(name: string): boolean {
    return this.raw(name) !== undefined;
  }

  get size(): number {
    return this.fields.length;
  }
}

export interface MimePart {
  headers: Headers;
  /** Lower-case `type/subtype`; `text/plain` when absent or unreadable. */
  type: string;
  params: Record<string, string>;
  /** Undecoded body, binary string. */
  body: string;
  children: MimePart[];
  /** Parsed content of a message/rfc822 (or message/global) part. */
  message?: MimePart;
}

const HEADER_LINE = /^([!-9;-~]{1,100}):[ \t]*(.*)$/;

/** Splits a binary string into its header fields and body. Tolerates missing blank line. */
export function splitHeaders(text: string): { headers: Headers; body: string } {
  const fields: Array<[string, string]> = [];
  let pos = 0;
  const len = text.length;
  if (text.startsWith('From ')) pos = lineEnd(text, 0) + 1; // mbox separator
  let current: [string, string] | null = null;
  while (pos < len) {
    const end = lineEnd(text, pos);
    let line = text.slice(pos, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '') {
      pos = end + 1;
      break;
    }
    const first = line.charCodeAt(0);
    if ((first === 0x20 || first === 0x09) && current) {
      if (current[1].length < 16384) current[1] += ' ' + line.trim();
    } else {
      const m = HEADER_LINE.exec(line);
      if (!m) {
        if (fields.length === 0 && current === null && pos === 0) break; // no header block at all
        if (fields.length > 0 && !line.includes(':')) break; // body starts without a blank line
        pos = end + 1;
        continue;
      }
      if (fields.length >= MAX_HEADERS) break;
      current = [m[1].toLowerCase(), m[2]];
      fields.push(current);
    }
    pos = end + 1;
  }
  for (const f of fields) f[1] = f[1].trim();
  return { headers: new Headers(fields), body: pos >= len ? '' : text.slice(pos) };
}

function lineEnd(text: string, from: number): number {
  const i = text.indexOf('\n', from);
  return i === -1 ? text.length : i;
}

/** Parses `type/subtype; a=b; c="d"` (lenient; RFC 2231 continuations joined). */
export function parseContentType(value: string | undefined): { type: string; params: Record<string, string> } {
  const params = Object.create(null) as Record<string, string>; // parameter names come from the mail
  if (!value) return { type: 'text/plain', params };
  const semi = value.indexOf(';');
  let type = (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type)) type = type.includes('/') ? type.replace(/\s+/g, '') : 'text/plain';
  if (semi !== -1) {
    const re = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"?|([^;]*))/g;
    const rest = value.slice(semi);
    for (const m of rest.matchAll(re)) {
      const key = m[1].toLowerCase();
      const val = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '').trim();
      const cont = /^(.+?)\*(\d+)\*?$/.exec(key);
      if (cont) params[cont[1]] = (params[cont[1]] ?? '') + val;
      else if (key.endsWith('*')) params[key.slice(0, -1)] = val.replace(/^[^']*'[^']*'/, '');
      else params[key] = val;
    }
  }
  return { type, params };
}

/** Parses a whole message (binary string) into a part tree. */
export function parseMime(text: string): MimePart {
  const budget = { parts: 0 };
  return parsePart(text, 0, budget);
}

function parsePart(text: string, depth: number, budget: { parts: number }): MimePart {
  budget.parts++;
  const { headers, body } = splitHeaders(text);
  const { type, params } = parseContentType(headers.raw('content-type'));
  const part: MimePart = { headers, type, params, body, children: [] };
  if (depth >= MAX_DEPTH || budget.parts > MAX_PARTS) return part;
  if (type.startsWith('multipart/')) {
    let chunks = params.boundary ? splitMultipart(body, params.boundary) : [];
    if (chunks.length === 0) {
      // Boundary missing or not matching the body: use the first delimiter-looking line.
      const guessed = guessBoundary(body);
      if (guessed) chunks = splitMultipart(body, guessed);
    }
    for (const chunk of chunks) {
      if (budget.parts > MAX_PARTS) break;
      part.children.push(parsePart(chunk, depth + 1, budget));
    }
  } else if (type === 'message/rfc822' || type === 'message/global' || type === 'message/partial') {
    const inner = transferDecodedBinary(part);
    if (inner.length > 0) part.message = parsePart(inner, depth + 1, budget);
  }
  return part;
}

/** Body chunks between `--boundary` lines; a missing closing boundary ends at the text end. */
export function splitMultipart(body: string, boundary: string): string[] {
  const marker = '--' + boundary;
  const chunks: string[] = [];
  let start = -1;
  let pos = 0;
  while (pos <= body.length) {
    const i = body.indexOf(marker, pos);
    if (i === -1) break;
    const atLineStart = i === 0 || body.charCodeAt(i - 1) === 0x0a;
    const after = i + marker.length;
    if (!atLineStart) {
      pos = after;
      continue;
    }
    const closing = body.startsWith('--', after);
    if (start !== -1) chunks.push(trimPartEnd(body.slice(start, i)));
    if (closing) return chunks;
    const eol = body.indexOf('\n', after);
    if (eol === -1) return chunks;
    start = eol + 1;
    pos = start;
    if (chunks.length >= MAX_PARTS) return chunks;
  }
  if (start !== -1 && start < body.length) chunks.push(body.slice(start));
  return chunks;
}

/** A `--token` line followed by a MIME header line, as multipart bodies have. */
function guessBoundary(body: string): string | null {
  const re = /^--([^\s]{1,200})[ \t]*\r?\n(?:content-[a-z-]+|mime-version)[ \t]*:/gim;
  const m = re.exec(body.length > 200_000 ? body.slice(0, 200_000) : body);
  return m ? m[1].replace(/--$/, '') : null;
}

function trimPartEnd(chunk: string): string {
  if (chunk.endsWith('\r\n')) return chunk.slice(0, -2);
  if (chunk.endsWith('\n')) return chunk.slice(0, -1);
  return chunk;
}

/** Body with Content-Transfer-Encoding removed, still binary. */
export function transferDecodedBinary(part: MimePart): string {
  const cte = (part.headers.raw('content-transfer-encoding') ?? '').trim().toLowerCase();
  if (cte === 'base64') return decodeBase64(part.body).toString('latin1');
  if (cte === 'quoted-printable') return decodeQuotedPrintable(part.body);
  return part.body;
}

export function decodeBase64(data: string): Buffer {
  return Buffer.from(data.replace(/[^A-Za-z0-9+/]/g, ''), 'base64');
}

export function decodeQuotedPrintable(data: string): string {
  return stripBlanksAtLineEnds(data)
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/**
 * Spaces and tabs before a line break go (RFC 2045 6.7, rule 3). A loop, not
 * `/[ \t]+(\r?\n)/g`, which retries a long run of spaces from each of its positions: a
 * 60 KB line of spaces cost over a second, a megabyte hours.
 */
function stripBlanksAtLineEnds(data: string): string {
  if (!/[ \t]\r?\n/.test(data)) return data;
  const lines = data.split('\n');
  for (let i = 0; i < lines.length - 1; i++) {
    const line = lines[i];
    const cr = line.endsWith('\r') ? 1 : 0;
    let end = line.length - cr;
    while (end > 0 && (line.charCodeAt(end - 1) === 0x20 || line.charCodeAt(end - 1) === 0x09)) end--;
    if (end < line.length - cr) lines[i] = line.slice(0, end) + (cr ? '\r' : '');
  }
  return lines.join('\n');
}

/** Decoded text of a part (transfer encoding and charset), line ends normalised to \n. */
export function partText(part: MimePart): string {
  const binary = transferDecodedBinary(part);
  const text = decodeBytes(binaryToBuffer(binary), part.params.charset);
  return text.replace(/\r\n?/g, '\n');
}

/** Depth-first list of leaf parts, with whether each sits inside an attached message. */
export function leaves(root: MimePart): Array<{ part: MimePart; inMessage: boolean }> {
  const out: Array<{ part: MimePart; inMessage: boolean }> = [];
  const walk = (p: MimePart, inMessage: boolean): void => {
    if (p.children.length > 0) {
      for (const c of p.children) walk(c, inMessage);
    } else {
      out.push({ part: p, inMessage });
      if (p.message) walk(p.message, true);
    }
  };
  walk(root, false);
  return out;
}
