// The stored MJML + Handlebars source, made fit for the visual builder (GrapesJS with its
// MJML preset, src/admin/client/template-builder.ts) and taken back from it. The builder parses
// MJML as HTML in the browser, so three things of ours would not survive it as written:
// - a block tag between layout elements (`{{#if data.highlights}}` around a section) is text
//   where the builder expects elements: it is wrapped in <mj-raw>, as the compiler does
//   (mjml-protect.ts), and unwrapped again on the way back;
// - a `"` inside an attribute's expression (`href="{{track "https://…"}}"`) ends the
//   attribute: it becomes `'`, which Handlebars reads the same;
// - the builder escapes quotes and ampersands of text (`default="…"` → `default=&quot;…&quot;`):
//   they are decoded again inside expressions on the way back.
// After the way back the expressions and MJML elements must be the same as before, in the same
// order (`sameStructure`); if they are not, the builder would lose something and the page keeps
// the source view. Pure: used by the browser bundle and by the unit tests.

import { protectMjml } from './mjml-protect';
import { scanMustaches, type MustacheToken } from './mustache-scan';

export interface BuilderSource {
  /** MJML the builder can load, or undefined when the source cannot be shown in it */
  mjml?: string;
  /** why not (first problem, with its line) */
  problem?: string;
}

/** A `"` inside an expression that stands in a `"…"` attribute, as `'`. */
function singleQuoted(expression: string): string {
  return expression.replace(/"/g, "'");
}

export function toBuilder(source: string): BuilderSource {
  const { result, errors } = protectMjml(source);
  if (!result) return { problem: errors[0] ? `line ${errors[0].line}: ${errors[0].message}` : 'the source cannot be read' };
  const originals = new Map<number, MustacheToken>();
  for (const token of scanMustaches(source)) originals.set(token.start, token);
  const mjml = result.mjml.replace(result.tokenPattern, (_match, index: string) => {
    const placeholder = result.placeholders[Number(index)];
    const original = originals.get(placeholder.offset)?.text ?? placeholder.expression;
    return placeholder.place === 'attribute' ? singleQuoted(original) : original;
  });
  if (source.includes('<!--') || scanMustaches(source).some((t) => t.kind === 'comment')) {
    return { problem: 'the source has comments, which the visual builder drops' };
  }
  return { mjml };
}

const ENTITIES: Record<string, string> = {
  '&quot;': '"',
  '&#34;': '"',
  '&#039;': "'",
  '&#39;': "'",
  '&apos;': "'",
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&#96;': '`',
};

/** Decodes the entities the builder put inside expressions. */
function decodeExpression(text: string): string {
  return text.replace(/&(?:quot|#34|#039|#39|apos|amp|lt|gt|#96);/g, (entity) => ENTITIES[entity]);
}

/** The builder's export, back to the source Otklik stores. */
export function fromBuilder(mjml: string): string {
  let out = '';
  let last = 0;
  for (const token of scanMustaches(mjml)) {
    out += mjml.slice(last, token.start) + decodeExpression(token.text);
    last = token.end;
  }
  out += mjml.slice(last);
  // A block tag alone in an <mj-raw> is ours (toBuilder put it there): unwrap it.
  return out.replace(/<mj-raw>\s*(\{\{[#/^]?[^{}]*\}\}|\{\{else[^{}]*\}\})\s*<\/mj-raw>/g, (whole, tag: string) =>
    /^\{\{(#|\/|\^|else\b)/.test(tag) ? tag : whole,
  );
}

/** The expressions (quotes made alike) and MJML element names of a source, in order. */
function structure(source: string): string[] {
  const parts: string[] = [];
  const tokens = scanMustaches(source);
  let t = 0;
  const tagPattern = /<(mj-[a-z-]+|mjml)\b/g;
  let tag: RegExpExecArray | null;
  const tags: Array<{ at: number; name: string }> = [];
  while ((tag = tagPattern.exec(source))) tags.push({ at: tag.index, name: tag[1] });
  let g = 0;
  while (t < tokens.length || g < tags.length) {
    if (g >= tags.length || (t < tokens.length && tokens[t].start < tags[g].at)) {
      parts.push(singleQuoted(tokens[t].text).replace(/\s+/g, ' '));
      t++;
    } else {
      parts.push(`<${tags[g].name}`);
      g++;
    }
  }
  return parts.filter((p) => p !== '<mj-raw'); // <mj-raw> wrappers come and go with block tags
}

/**
 * Whether the builder's result keeps every expression and element of the source, in order.
 * Returns the first difference, or undefined when they agree.
 */
export function structureDifference(before: string, after: string): string | undefined {
  const a = structure(before);
  const b = structure(after);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `${a[i] ?? '(nothing)'} became ${b[i] ?? '(nothing)'}`;
  }
  return undefined;
}
