// Finds the Handlebars mustaches of a source with their offsets, so MJML can be shielded
// from them and errors can name a line and column of the original text.

export type MustacheKind = 'open' | 'close' | 'else' | 'inline' | 'comment' | 'partial' | 'raw';

export interface MustacheToken {
  start: number;
  /** offset just past the closing braces */
  end: number;
  text: string;
  kind: MustacheKind;
  /** block helper (`if` of `{{#if x}}`) or first identifier (`track` of `{{track "…"}}`) */
  name: string;
  /** `{{{x}}}` or `{{&x}}` */
  unescaped: boolean;
}

/** 1-based line/column lookup over a text. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }

  /** Offset of a 1-based line start (clamped). */
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(this.starts.length - 1, line - 1))];
  }

  get lineCount(): number {
    return this.starts.length;
  }
}

function precededByOddBackslashes(src: string, at: number): boolean {
  let n = 0;
  for (let i = at - 1; i >= 0 && src[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

/** End offset of a mustache body starting at `from`, skipping string and [segment] literals. */
function findClose(src: string, from: number, close: string): number {
  let i = from;
  while (i < src.length) {
    const ch = src[i];
    if (ch === '"' || ch === "'") {
      const endQuote = src.indexOf(ch, i + 1);
      if (endQuote < 0) return -1;
      i = endQuote + 1;
      continue;
    }
    if (ch === '[') {
      const endSeg = src.indexOf(']', i + 1);
      if (endSeg < 0) return -1;
      i = endSeg + 1;
      continue;
    }
    if (src.startsWith(close, i)) return i + close.length;
    i++;
  }
  return -1;
}

const IDENT = /^[^\s(){}~=|"'/.]+/;

function classify(body: string): { kind: MustacheKind; name: string } {
  const b = body.replace(/^~/, '').trimStart();
  const first = b[0];
  if (first === '#' || first === '^') {
    const rest = b.slice(1).replace(/^[*>]/, '').trimStart();
    const name = IDENT.exec(rest)?.[0] ?? '';
    if (first === '^' && name === '') return { kind: 'else', name: '' };
    return { kind: 'open', name };
  }
  if (first === '/') return { kind: 'close', name: IDENT.exec(b.slice(1).trimStart())?.[0] ?? '' };
  if (first === '>') return { kind: 'partial', name: '' };
  if (/^else(?=[\s~}]|$)/.test(b)) return { kind: 'else', name: 'else' };
  const name = IDENT.exec(b.replace(/^[&{]/, '').trimStart())?.[0] ?? '';
  return { kind: 'inline', name };
}

/**
 * All mustaches of a source, in order. Assumes Handlebars has parsed the source already;
 * an unterminated mustache ends the scan.
 */
export function scanMustaches(src: string): MustacheToken[] {
  const tokens: MustacheToken[] = [];
  let i = 0;
  while (i < src.length) {
    const start = src.indexOf('{{', i);
    if (start < 0) break;
    if (precededByOddBackslashes(src, start)) {
      i = start + 2; // \{{ is literal text
      continue;
    }
    if (src.startsWith('{{{{', start)) {
      const end = findClose(src, start + 4, '}}}}');
      if (end < 0) break;
      tokens.push({ start, end, text: src.slice(start, end), kind: 'raw', name: '', unescaped: true });
      i = end;
      continue;
    }
    const afterTilde = src[start + 2] === '~' ? start + 3 : start + 2;
    if (src.startsWith('!--', afterTilde)) {
      const close = /--~?\}\}/g;
      close.lastIndex = afterTilde + 3;
      const m = close.exec(src);
      if (!m) break;
      const end = m.index + m[0].length;
      tokens.push({ start, end, text: src.slice(start, end), kind: 'comment', name: '', unescaped: false });
      i = end;
      continue;
    }
    if (src[afterTilde] === '!') {
      const end = src.indexOf('}}', afterTilde);
      if (end < 0) break;
      tokens.push({ start, end: end + 2, text: src.slice(start, end + 2), kind: 'comment', name: '', unescaped: false });
      i = end + 2;
      continue;
    }
    const triple = src[start + 2] === '{';
    const end = findClose(src, start + (triple ? 3 : 2), triple ? '}}}' : '}}');
    if (end < 0) break;
    const text = src.slice(start, end);
    const body = text.slice(triple ? 3 : 2, triple ? -3 : -2);
    const { kind, name } = classify(body);
    const unescaped = triple || body.replace(/^~/, '').trimStart().startsWith('&');
    tokens.push({ start, end, text, kind, name, unescaped });
    i = end;
  }
  return tokens;
}
