// The plain-text part, derived once per template version from the MJML output while the
// expressions are still inert tokens; the result is compiled as its own Handlebars template,
// so per recipient only that template runs (html-to-text costs milliseconds, far too much
// to run per message).

import { compile, type FormatCallback } from 'html-to-text';
import { scanMustaches } from './mustache-scan';

interface DomNode {
  type: string;
  name?: string;
  attribs?: Record<string, string>;
  prev?: DomNode | null;
  parent?: DomNode | null;
}

/** MJML's own tables carry role="presentation"; content tables (mj-table, hand-written) do not. */
function inLayoutTable(elem: unknown): boolean {
  let node = (elem as DomNode).parent;
  while (node && node.name !== 'table') node = node.parent;
  return node?.attribs?.role === 'presentation';
}

/** A layout row is a paragraph; a content-table row is one line. */
const formatRow: FormatCallback = (elem, walk, builder) => {
  const breaks = inLayoutTable(elem) ? 2 : 1;
  builder.openBlock({ leadingLineBreaks: breaks });
  walk(elem.children, builder);
  builder.closeBlock({ trailingLineBreaks: breaks });
};

/**
 * Cells of a content-table row are joined with " · ". Tables are not laid out as text
 * grids: column widths would be measured on the template's expressions, not on the values,
 * and block tags such as {{#each}} between rows must stay in the text.
 */
const formatCell: FormatCallback = (elem, walk, builder) => {
  if (!inLayoutTable(elem)) {
    let prev = (elem as unknown as DomNode).prev;
    while (prev && prev.type !== 'tag') prev = prev.prev;
    if (prev) builder.addLiteral(' · ');
  }
  walk(elem.children, builder);
};

const convert = compile({
  wordwrap: false,
  formatters: { row: formatRow, cell: formatCell },
  selectors: [
    { selector: 'table', format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
    { selector: 'tr', format: 'row' },
    { selector: 'td', format: 'cell' },
    { selector: 'th', format: 'cell' },
    { selector: 'img', format: 'skip' },
    // the hidden preheader block that <mj-preview> emits
    { selector: 'div[style*="display:none"]', format: 'skip' },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true, noAnchorUrl: true } },
    { selector: 'a[href^="mailto:"]', format: 'anchor', options: { ignoreHref: true } },
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((h) => ({ selector: h, options: { uppercase: false } })),
  ],
});

/** Text of an HTML document (its body), with tidy blank lines. */
export function htmlToPlainText(html: string): string {
  return tidyText(convert(html).replace(/(\S)[ \t]{2,}/g, '$1 '));
}

/** Collapses runs of blank lines (left by missing optional fields) and trailing spaces. */
export function tidyText(text: string): string {
  return text
    .replace(/[ \t\u00a0]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A line holding only block tags ({{#if}}, {{else}}, {{/each}}…), which Handlebars removes whole. */
function isBlockTagLine(line: string): boolean {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{{')) return false;
  const tokens = scanMustaches(trimmed);
  if (tokens.length === 0 || tokens.some((t) => t.kind !== 'open' && t.kind !== 'close' && t.kind !== 'else')) return false;
  let rest = trimmed;
  for (const t of [...tokens].reverse()) rest = rest.slice(0, t.start) + rest.slice(t.end);
  return rest.trim() === '';
}

/**
 * Shapes a text template so that its renders need no clean-up: blank lines after a line of
 * block tags are dropped, so a paragraph separator belongs to the text before the tag and
 * a block that renders nothing leaves no extra blank line behind.
 */
export function textTemplate(source: string): string {
  const lines = source.split('\n');
  const out: string[] = [];
  let afterTag = false;
  for (const line of lines) {
    if (afterTag && line.trim() === '') continue;
    afterTag = isBlockTagLine(line);
    out.push(line);
  }
  return out.join('\n');
}

/** Per-render clean-up, kept to what a render can still produce: runs of blank lines. */
export function tidyRenderedText(text: string): string {
  const s = text.includes('\n\n\n') ? text.replace(/\n{3,}/g, '\n\n') : text;
  return s.trim();
}
