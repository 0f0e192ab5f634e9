// The admin UI's one way to say something: `t(locale, key, params)` over the message catalogue
// (ru.ts, the default, and en.ts, which must have every key), with Russian plural forms
// (one/few/many) chosen by Intl.PluralRules, and `word` for codes shown to people
// (campaign statuses, roles, bounce reasons…). Pure: no Nest, no I/O.
import { en } from './en';
import { ru, type Message } from './ru';

export const LOCALES = ['ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'ru';
export type MessageKey = keyof typeof ru;
export type Params = Record<string, string | number>;

const CATALOGUES: Record<Locale, Record<MessageKey, Message>> = { ru, en };
const plurals = new Map<Locale, Intl.PluralRules>();
const numbers = new Map<Locale, Intl.NumberFormat>();

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The locale to use for a stored or posted value; anything unknown is the default (Russian). */
export function localeOf(value: unknown): Locale {
  return isLocale(value) ? value : DEFAULT_LOCALE;
}

/**
 * The message `key` in `locale`, with `{name}` placeholders filled from `params` (numbers in the
 * locale's digits). A plural message picks its form by `params.n`.
 */
export function t(locale: Locale, key: MessageKey, params: Params = {}): string {
  const message = CATALOGUES[locale][key];
  let text: string;
  if (typeof message === 'string') text = message;
  else {
    const n = params.n;
    if (typeof n !== 'number') throw new Error(`message ${key} is a plural and needs a number n`);
    text = message[pluralRules(locale).select(n) as keyof typeof message] ?? message.other;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? numberFormat(locale).format(value) : value;
  });
}

/** Whether the catalogue has `key` (for codes that arrive from data, such as a bounce reason). */
export function hasKey(key: string): key is MessageKey {
  return Object.hasOwn(ru, key);
}

/**
 * A code from the data shown as a word: `word('ru', 'campaignStatus', 'draft')` → «черновик».
 * A code the catalogue does not know is shown as it is, so a new value is never hidden.
 */
export function word(locale: Locale, group: string, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '—';
  const key = `${group}.${code}`;
  return hasKey(key) ? t(locale, key) : code;
}

function pluralRules(locale: Locale): Intl.PluralRules {
  let rules = plurals.get(locale);
  if (!rules) plurals.set(locale, (rules = new Intl.PluralRules(locale)));
  return rules;
}

function numberFormat(locale: Locale): Intl.NumberFormat {
  let format = numbers.get(locale);
  if (!format) numbers.set(locale, (format = new Intl.NumberFormat(locale)));
  return format;
}
