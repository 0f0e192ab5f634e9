// Placeholders in a gateway's request template. Values are inserted raw and the result is then
// serialised by JSON.stringify or URLSearchParams, so quotes, newlines, Cyrillic text and the
// '+' of a phone number come out correctly escaped for the body's format. (Handlebars would
// HTML-escape them, which is wrong for an SMS.) Substitution is one pass: a text that itself
// contains "{{to}}" is sent as written.
import type { OutgoingSms } from '../transports/sms-provider';
import { SmsSendError } from './sms-send-error';

export const PLACEHOLDERS = ['to', 'toDigits', 'from', 'text', 'messageId'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type TemplateValues = Record<Placeholder, string>;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

const PLACEHOLDER_PATTERN = /\{\{\s*([A-Za-z_]+)\s*\}\}/g;

const E164 = /^\+[1-9]\d{6,14}$/;

/** The number without its '+', as most gateways want it; a malformed number never will be sent. */
export function e164Digits(to: string): string {
  if (!E164.test(to)) throw SmsSendError.permanent(`to: expected an E.164 number such as +79161234567, got "${to}"`);
  return to.slice(1);
}

export function templateValues(sms: OutgoingSms, defaultFrom = ''): TemplateValues {
  return {
    to: sms.to,
    toDigits: e164Digits(sms.to),
    from: sms.from ?? defaultFrom,
    text: sms.text,
    messageId: sms.otklikMessageId === undefined ? '' : String(sms.otklikMessageId),
  };
}

export function usedPlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER_PATTERN)].map((m) => m[1]);
}

/** Names used in `template` that are not placeholders, for a config error. */
export function unknownPlaceholders(template: string): string[] {
  const known = new Set<string>(PLACEHOLDERS);
  return usedPlaceholders(template).filter((name) => !known.has(name));
}

export function fillPlaceholders(template: string, values: TemplateValues): string {
  return template.replace(PLACEHOLDER_PATTERN, (_whole, name: string) => values[name as Placeholder] ?? '');
}

/** Fills every string (keys too) of a JSON template, then serialises it. */
export function renderJsonBody(template: JsonValue, values: TemplateValues): string {
  return JSON.stringify(fillJson(template, values));
}

/** Fills a form (or query) template; URLSearchParams percent-encodes it ('+' becomes %2B). */
export function renderForm(template: Record<string, string>, values: TemplateValues): URLSearchParams {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(template)) form.append(fillPlaceholders(key, values), fillPlaceholders(value, values));
  return form;
}

function fillJson(template: JsonValue, values: TemplateValues): JsonValue {
  if (typeof template === 'string') return fillPlaceholders(template, values);
  if (Array.isArray(template)) return template.map((item) => fillJson(item, values));
  if (template !== null && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([key, value]) => [fillPlaceholders(key, values), fillJson(value, values)]));
  }
  return template;
}

/** Every string in a JSON template with its path, to report unknown placeholders by field. */
export function* templateStrings(template: JsonValue, path: Array<string | number> = []): Generator<[Array<string | number>, string]> {
  if (typeof template === 'string') yield [path, template];
  else if (Array.isArray(template)) for (const [i, item] of template.entries()) yield* templateStrings(item, [...path, i]);
  else if (template !== null && typeof template === 'object') {
    for (const [key, value] of Object.entries(template)) {
      yield [[...path, key], key];
      yield* templateStrings(value, [...path, key]);
    }
  }
}
