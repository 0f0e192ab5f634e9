// Custom headers of a sender and of a campaign (`X-Postmaster-Msgtype: {{campaign.name}}`):
// Handlebars values rendered with the same context as the body, added to each email and signed
// by DKIM like every header. The headers Otklik writes itself are refused by name: a sender
// could otherwise break the From/DKIM alignment, the one-click unsubscribe or the MIME
// structure, or forge our own X-Otklik-* ids. Pure.
import { z } from 'zod';
import { compileTemplate, parseTemplate, renderableContext, renderData, type RenderContext } from '../../templates/render';

export const MAX_CUSTOM_HEADERS = 20;
/** A header line's limit (RFC 5322 2.1.1) is 998 characters; a value stays well inside it. */
const MAX_VALUE = 900;

/** Headers Otklik owns: the addressing, the ids, the MIME structure, the list and feedback headers, the signatures. */
const OWNED = new Set(
  [
    'from',
    'sender',
    'to',
    'cc',
    'bcc',
    'reply-to',
    'subject',
    'date',
    'message-id',
    'in-reply-to',
    'references',
    'return-path',
    'received',
    'mime-version',
    'feedback-id',
    'dkim-signature',
    'domainkey-signature',
    'authentication-results',
    'auto-submitted',
    'precedence',
    'x-mailer',
  ].map((name) => name.toLowerCase()),
);
const OWNED_PREFIXES = ['list-', 'content-', 'x-otklik-', 'arc-', 'resent-'];

/** Whether Otklik writes this header itself (so a custom one may not). */
export function ownedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return OWNED.has(lower) || OWNED_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/** RFC 5322 field name: printable ASCII but the colon. */
const FIELD_NAME = /^[!-9;-~]{1,76}$/;

/** Why this header cannot be used, or null. */
export function customHeaderProblem(name: string, value: unknown): string | null {
  if (!FIELD_NAME.test(name)) return `"${name}" is not a header name: expected Latin letters, digits and dashes, such as X-Campaign`;
  if (ownedHeader(name)) return `${name} is written by Otklik itself and cannot be set`;
  if (typeof value !== 'string') return `${name}: expected the value as text`;
  if (/[\r\n]/.test(value)) return `${name}: the value must be one line`;
  if (value.length > MAX_VALUE) return `${name}: expected at most ${MAX_VALUE} characters`;
  try {
    parseTemplate(value);
  } catch (error) {
    return `${name}: ${(error as Error).message.split('\n')[0]}`;
  }
  return null;
}

/** `headers` of a sender or a campaign: name → Handlebars value; each refused header is an issue named after it. */
export const customHeadersSchema = z
  .record(z.string(), z.unknown(), { error: 'expected an object of header names and values' })
  .superRefine((headers, ctx) => {
    const names = Object.keys(headers);
    if (names.length > MAX_CUSTOM_HEADERS) ctx.addIssue({ code: 'custom', message: `at most ${MAX_CUSTOM_HEADERS} headers` });
    const seen = new Set<string>();
    for (const name of names) {
      const problem = customHeaderProblem(name, headers[name]);
      if (problem) ctx.addIssue({ code: 'custom', path: [name], message: problem });
      else if (seen.has(name.toLowerCase())) ctx.addIssue({ code: 'custom', path: [name], message: `${name} is given twice` });
      seen.add(name.toLowerCase());
    }
  })
  .transform((headers) => headers as Record<string, string>);

/** The stored headers of a row, whatever was written there (a row from SQL: only what still passes). */
export function storedCustomHeaders(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter(
      (entry): entry is [string, string] => customHeaderProblem(entry[0], entry[1]) === null,
    ),
  );
}

const compiled = new Map<string, ReturnType<typeof compileTemplate>>();

/**
 * The headers rendered for one message (one line each, whitespace runs folded to a space; an
 * empty value leaves its header out). A later source wins a name: the campaign's over the sender's.
 */
export function renderCustomHeaders(templates: Record<string, string>, context: RenderContext): Record<string, string> {
  const names = Object.keys(templates);
  if (!names.length) return {};
  const renderable = renderableContext(context);
  const state = renderData(renderable, undefined);
  const out: Record<string, string> = {};
  for (const name of names) {
    const source = templates[name];
    let fn = compiled.get(source);
    if (!fn) {
      if (compiled.size > 1000) compiled.clear();
      compiled.set(source, (fn = compileTemplate(source, { noEscape: true })));
    }
    let value: string;
    try {
      value = fn(renderable, state);
    } catch (error) {
      throw new Error(`custom header ${name} could not be rendered: ${(error as Error).message}`, { cause: error });
    }
    value = value.replace(/\s+/g, ' ').trim().slice(0, MAX_VALUE);
    if (value) out[name] = value;
  }
  return out;
}

/** The sender's headers with the campaign's over them (names compared without case). */
export function mergeCustomHeaders(...sources: Array<Record<string, string>>): Record<string, string> {
  const merged = new Map<string, [string, string]>();
  for (const source of sources) for (const [name, value] of Object.entries(source)) merged.set(name.toLowerCase(), [name, value]);
  return Object.fromEntries(merged.values());
}
