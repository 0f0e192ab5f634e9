// Shields Handlebars expressions from MJML and puts them back afterwards.
//
// MJML parses its input as XML and rewrites it: quotes inside attribute values break it
// (`href="{{track "https://…"}}"`), text between layout elements is dropped, and block tags
// such as `{{#if}}` around a section would vanish. So, before MJML, every expression is
// replaced with an inert alphanumeric token, and a block tag that stands between layout
// elements is wrapped in <mj-raw> so MJML emits it in place. After MJML each token must
// still be there (block tags exactly once and in their original order) and is replaced by
// its expression. An expression that cannot survive is an error naming its line.

import { LineIndex, scanMustaches, type MustacheToken } from './mustache-scan';
import type { TemplateIssue } from './template-issue';

/** MJML elements whose content MJML keeps as raw HTML. */
const ENDING_TAGS = new Set([
  'mj-text',
  'mj-button',
  'mj-table',
  'mj-raw',
  'mj-navbar-link',
  'mj-accordion-title',
  'mj-accordion-text',
  'mj-social-element',
  'mj-carousel-image',
  'mj-title',
  'mj-preview',
  'mj-style',
  'mj-breakpoint',
]);

export type ExpressionPlace = 'content' | 'attribute' | 'layout';

export interface Placeholder {
  token: string;
  /** the expression to put back (a `track` call gains its link index) */
  expression: string;
  block: boolean;
  place: ExpressionPlace;
  /** offset of the expression in the original source */
  offset: number;
}

export interface ProtectedMjml {
  mjml: string;
  placeholders: Placeholder[];
  /** matches every token; group 1 is the placeholder index */
  tokenPattern: RegExp;
  /** maps a 1-based line of `mjml` to the 1-based line of the original source */
  originalLine(protectedLine: number): number;
  /** number of `{{track}}` calls numbered */
  linkCount: number;
}

interface Segment {
  protStart: number;
  protEnd: number;
  origStart: number;
  origEnd: number;
}

function makePrefix(source: string): string {
  for (;;) {
    const nonce = Math.random().toString(36).slice(2, 7).replace(/\d/g, 'k');
    const prefix = `zhb${nonce}x`;
    if (!source.includes(prefix)) return prefix;
  }
}

/** `{{track "url"}}` → `{{track "url" linkIndex=3}}` (kept as written if it names one). */
export function numberTrackCall(token: MustacheToken, index: number): string {
  if (token.kind !== 'inline' || token.name !== 'track' || /\blinkIndex\s*=/.test(token.text)) return token.text;
  const close = /~?\}\}\}?$/.exec(token.text)!;
  return `${token.text.slice(0, close.index).trimEnd()} linkIndex=${index}${token.text.slice(close.index)}`;
}

/** Numbers `track` calls of a plain (non-MJML) template, starting at `first`. */
export function numberTrackCalls(source: string, first = 0): { text: string; count: number } {
  let out = '';
  let last = 0;
  let n = first;
  for (const token of scanMustaches(source)) {
    const numbered = numberTrackCall(token, n);
    if (numbered !== token.text) {
      out += source.slice(last, token.start) + numbered;
      last = token.end;
      n++;
    }
  }
  return { text: out + source.slice(last), count: n - first };
}

type State = 'text' | 'tag' | 'attr' | 'comment' | 'content';

/**
 * Replaces expressions with tokens. Returns errors (with original line/column, shifted by
 * `lineOffset`) for expressions MJML cannot carry: outside an attribute value inside a
 * tag, or output expressions between layout elements.
 */
export function protectMjml(source: string, lineOffset = 0): { result?: ProtectedMjml; errors: TemplateIssue[] } {
  const lines = new LineIndex(source);
  const errors: TemplateIssue[] = [];
  const issue = (offset: number, message: string): void => {
    const { line, column } = lines.position(offset);
    errors.push({ line: line + lineOffset, column, message, part: 'body' });
  };
  const tokens = scanMustaches(source);
  const prefix = makePrefix(source);
  const placeholders: Placeholder[] = [];
  const segments: Segment[] = [];
  let out = '';
  let copied = 0;
  let linkIndex = 0;

  const replace = (token: MustacheToken, replacement: string): void => {
    out += source.slice(copied, token.start);
    const protStart = out.length;
    out += replacement;
    segments.push({ protStart, protEnd: out.length, origStart: token.start, origEnd: token.end });
    copied = token.end;
  };
  const placeholder = (token: MustacheToken, place: ExpressionPlace): string => {
    const expression = numberTrackCall(token, linkIndex);
    if (expression !== token.text) linkIndex++;
    const tokenText = `${prefix}${placeholders.length}q`;
    placeholders.push({ token: tokenText, expression, block: token.kind !== 'inline', place, offset: token.start });
    return tokenText;
  };

  let state: State = 'text';
  let quote = '';
  let endingTag = '';
  let tagName = '';
  let t = 0; // next token
  let i = 0;
  while (i < source.length) {
    const token = tokens[t];
    if (token && token.start === i) {
      t++;
      if (token.kind === 'comment') {
        replace(token, '');
      } else if (token.kind === 'partial' || token.kind === 'raw') {
        issue(token.start, `${token.kind === 'partial' ? 'Partials' : 'Raw blocks'} are not supported in templates: ${token.text}`);
      } else if (state === 'comment') {
        // MJML drops comments; the expression goes with it
      } else if (state === 'attr' || state === 'content') {
        replace(token, placeholder(token, state === 'attr' ? 'attribute' : 'content'));
      } else if (state === 'tag') {
        issue(token.start, `Expression ${token.text} inside <${tagName}> must be within an attribute value ("...")`);
      } else if (token.kind === 'inline') {
        issue(
          token.start,
          `Expression ${token.text} stands between MJML elements and would be dropped: put it inside <mj-text>, <mj-button> or <mj-raw>`,
        );
      } else {
        replace(token, `<mj-raw>${placeholder(token, 'layout')}</mj-raw>`);
      }
      i = token.end;
      continue;
    }
    const ch = source[i];
    switch (state) {
      case 'text':
        if (ch === '<') {
          if (source.startsWith('<!--', i)) {
            state = 'comment';
            i += 4;
            continue;
          }
          if (source.startsWith('</', i)) {
            i = source.indexOf('>', i);
            if (i < 0) i = source.length;
            break;
          }
          const name = /^<([a-zA-Z][\w:-]*)/.exec(source.slice(i, i + 64));
          if (name) {
            tagName = name[1].toLowerCase();
            state = 'tag';
            i += name[0].length;
            continue;
          }
        }
        break;
      case 'comment':
        if (source.startsWith('-->', i)) {
          state = endingTag ? 'content' : 'text';
          i += 3;
          continue;
        }
        break;
      case 'tag':
        if (ch === '"' || ch === "'") {
          state = 'attr';
          quote = ch;
        } else if (ch === '>') {
          const selfClosing = source[i - 1] === '/';
          if (!selfClosing && ENDING_TAGS.has(tagName)) {
            endingTag = tagName;
            state = 'content';
          } else {
            state = 'text';
          }
        }
        break;
      case 'attr':
        if (ch === quote) state = 'tag';
        break;
      case 'content': {
        if (ch === '<' && source.startsWith(`</${endingTag}`, i) && /[\s>]/.test(source[i + endingTag.length + 2] ?? '>')) {
          endingTag = '';
          state = 'text';
          i = source.indexOf('>', i);
          if (i < 0) i = source.length;
          break;
        }
        break;
      }
    }
    i++;
  }
  out += source.slice(copied);

  const protLines = new LineIndex(out);
  const originalLine = (protectedLine: number): number => {
    const off = protLines.lineStart(protectedLine);
    let orig = off;
    for (const s of segments) {
      if (s.protStart > off) break;
      orig = off >= s.protEnd ? s.origEnd + (off - s.protEnd) : s.origStart;
    }
    return lines.position(orig).line + lineOffset;
  };
  if (errors.length) return { errors };
  return {
    errors,
    result: {
      mjml: out,
      placeholders,
      tokenPattern: new RegExp(`${prefix}(\\d+)q`, 'g'),
      originalLine,
      linkCount: linkIndex,
    },
  };
}

/**
 * Checks that MJML carried every expression through: block tags exactly once and in order,
 * output expressions at least once. Returns errors naming the original line.
 */
export function checkSurvival(html: string, protectedMjml: ProtectedMjml, source: string, lineOffset = 0): TemplateIssue[] {
  const lines = new LineIndex(source);
  const seen = new Map<number, number>();
  const blockOrder: number[] = [];
  for (const m of html.matchAll(protectedMjml.tokenPattern)) {
    const index = Number(m[1]);
    seen.set(index, (seen.get(index) ?? 0) + 1);
    if (protectedMjml.placeholders[index]?.block) blockOrder.push(index);
  }
  const errors: TemplateIssue[] = [];
  const at = (p: Placeholder, message: string): void => {
    const { line, column } = lines.position(p.offset);
    errors.push({ line: line + lineOffset, column, message, part: 'body' });
  };
  protectedMjml.placeholders.forEach((p, index) => {
    const count = seen.get(index) ?? 0;
    if (count === 0) at(p, `MJML dropped the expression ${p.expression}; move it into <mj-text>, <mj-button> or <mj-raw>`);
    else if (p.block && count > 1)
      at(
        p,
        `MJML repeats the block tag ${p.expression} ${count} times (e.g. in mj-title or mj-attributes); block tags cannot be used there`,
      );
  });
  if (errors.length) return errors;
  for (let k = 1; k < blockOrder.length; k++) {
    if (blockOrder[k] < blockOrder[k - 1]) {
      at(
        protectedMjml.placeholders[blockOrder[k]],
        `MJML moved the block tag ${protectedMjml.placeholders[blockOrder[k]].expression} out of order; keep block tags inside the body layout`,
      );
      break;
    }
  }
  return errors;
}

/** Puts the expressions back in place of their tokens. */
export function restoreExpressions(text: string, protectedMjml: ProtectedMjml): string {
  return text.replace(protectedMjml.tokenPattern, (_, index: string) => protectedMjml.placeholders[Number(index)].expression);
}
