// Locale-aware formatting used by the helpers. Intl formatters are costly to build
// (tens of microseconds) and cheap to use, so each one is built once per
// (locale, time zone, style) and kept.

import type { DateInput, MoneyInput } from './render-context';

export const DEFAULT_LOCALE = 'ru';
export const DEFAULT_TIME_ZONE = 'Europe/Moscow';

export type DateStyle = 'short' | 'medium' | 'long' | 'dayMonth' | 'weekday' | 'datetime' | 'time' | 'monthYear' | 'year';

const DATE_STYLES: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  short: { day: '2-digit', month: '2-digit', year: 'numeric' },
  medium: { day: 'numeric', month: 'short', year: 'numeric' },
  long: { day: 'numeric', month: 'long', year: 'numeric' },
  dayMonth: { day: 'numeric', month: 'long' },
  weekday: { weekday: 'long', day: 'numeric', month: 'long' },
  datetime: { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' },
  time: { hour: '2-digit', minute: '2-digit' },
  monthYear: { month: 'long', year: 'numeric' },
  year: { year: 'numeric' },
};

export function isDateStyle(value: unknown): value is DateStyle {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(DATE_STYLES, value);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();
const MAX_CACHED_FORMATS = 2000; // bounds memory if customers carry many odd zones/locales

function remember<T>(cache: Map<string, T>, key: string, value: T, max = MAX_CACHED_FORMATS): T {
  if (cache.size >= max) cache.clear();
  cache.set(key, value);
  return value;
}

function isUsableLocale(locale: string): boolean {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0;
  } catch {
    return false; // malformed tag
  }
}

function dateFormat(locale: string, timeZone: string, style: DateStyle): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${style}`;
  const hit = dateFormats.get(key);
  if (hit) return hit;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat(locale, { ...DATE_STYLES[style], timeZone });
  } catch {
    // a malformed locale or an unknown zone on a customer must not break the send
    const safeLocale = isUsableLocale(locale) ? locale : DEFAULT_LOCALE;
    try {
      format = new Intl.DateTimeFormat(safeLocale, { ...DATE_STYLES[style], timeZone });
    } catch {
      format = new Intl.DateTimeFormat(safeLocale, { ...DATE_STYLES[style], timeZone: DEFAULT_TIME_ZONE });
    }
  }
  return remember(dateFormats, key, format);
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A date-only string ("1990-05-17", e.g. a birthday) is a calendar date: it is shown as is,
 * in UTC, whatever the customer's zone. Any other value is an instant shown in the zone.
 */
export function toDate(value: DateInput | null | undefined): { date: Date; calendar: boolean } | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : { date: value, calendar: false };
  if (typeof value === 'string' && DATE_ONLY.test(value)) {
    const date = new Date(`${value}T00:00:00Z`);
    return Number.isNaN(date.getTime()) ? undefined : { date, calendar: true };
  }
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : { date, calendar: false };
}

type ValueKey = string | number;

function valueKey(value: unknown): ValueKey | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string' || typeof value === 'number') return value;
  return undefined;
}

function lookup<K>(outer: Map<string, Map<K, string>>, bucket: string, key: K): string | undefined {
  return outer.get(bucket)?.get(key);
}

function store<K>(outer: Map<string, Map<K, string>>, bucket: string, key: K, text: string): string {
  let inner = outer.get(bucket);
  if (!inner) {
    inner = new Map<K, string>();
    outer.set(bucket, inner);
  }
  if (inner.size >= MAX_CACHED_RESULTS) inner.clear();
  inner.set(key, text);
  return text;
}

const MAX_CACHED_RESULTS = 5000;

/**
 * Formatting for one locale and time zone. Intl's format() costs microseconds and most
 * values repeat across the recipients of a campaign (the offer's end date, product
 * prices), so results are kept, per style, keyed by the value itself.
 */
export class Formats {
  private readonly dates = new Map<string, Map<ValueKey, string>>();
  private readonly ranges = new Map<string, Map<string, string>>();
  private readonly amounts = new Map<string, Map<number, string>>();

  constructor(
    readonly locale: string,
    readonly timeZone: string,
  ) {}

  date(value: DateInput | null | undefined, style: DateStyle = 'long'): string {
    if (value === null || value === undefined || value === '') return '';
    const key = valueKey(value);
    if (key === undefined) return '';
    const hit = lookup(this.dates, style, key);
    if (hit !== undefined) return hit;
    const parsed = toDate(value);
    const text = parsed ? dateFormat(this.locale, parsed.calendar ? 'UTC' : this.timeZone, style).format(parsed.date) : '';
    return store(this.dates, style, key, text);
  }

  /** "12–14 марта", "March 12 – 14"; one bound alone is shown as a date. */
  dateRange(from: DateInput | null | undefined, to: DateInput | null | undefined, style: DateStyle = 'dayMonth'): string {
    const a = valueKey(from);
    const b = valueKey(to);
    if (a === undefined && b === undefined) return '';
    const key = `${typeof a}:${a ?? ''}|${typeof b}:${b ?? ''}`;
    const hit = lookup(this.ranges, style, key);
    if (hit !== undefined) return hit;
    const x = toDate(from);
    const y = toDate(to);
    let text = '';
    if (x && y) {
      const format = dateFormat(this.locale, x.calendar && y.calendar ? 'UTC' : this.timeZone, style);
      text = x.date.getTime() > y.date.getTime() ? format.formatRange(y.date, x.date) : format.formatRange(x.date, y.date);
    } else if (x || y) {
      text = this.date((x ?? y)!.date, style);
    }
    return store(this.ranges, style, key, text);
  }

  /** A number, or money when `currency` is given: "1 234,50 ₽" (ru, RUB); kopecks are dropped from whole amounts. */
  amount(value: MoneyInput | null | undefined, currency?: string, decimals?: number): string {
    const n = toNumber(value);
    if (n === undefined) return '';
    const bucket = decimals === undefined ? (currency ?? '') : `${currency ?? ''}|${decimals}`;
    const hit = lookup(this.amounts, bucket, n);
    if (hit !== undefined) return hit;
    return store(this.amounts, bucket, n, numberFormat(this.locale, currency, decimals).format(n));
  }
}

const formatSets = new Map<string, Formats>();

/** The shared Formats of a locale and zone (a render looks it up once). */
export function formatsFor(locale: string, timeZone: string): Formats {
  const key = `${locale}|${timeZone}`;
  const hit = formatSets.get(key);
  if (hit) return hit;
  return remember(formatSets, key, new Formats(locale, timeZone), 500);
}

export function formatDate(value: DateInput | null | undefined, locale: string, timeZone: string, style: DateStyle = 'long'): string {
  return formatsFor(locale, timeZone).date(value, style);
}

export function formatDateRange(
  from: DateInput | null | undefined,
  to: DateInput | null | undefined,
  locale: string,
  timeZone: string,
  style: DateStyle = 'dayMonth',
): string {
  return formatsFor(locale, timeZone).dateRange(from, to, style);
}

export function toNumber(value: MoneyInput | null | undefined): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(String(value));
  return Number.isFinite(n) ? n : undefined;
}

function numberFormat(locale: string, currency: string | undefined, decimals: number | undefined): Intl.NumberFormat {
  const key = `${locale}|${currency ?? ''}|${decimals ?? ''}`;
  const hit = numberFormats.get(key);
  if (hit) return hit;
  const options: Intl.NumberFormatOptions = currency
    ? { style: 'currency', currency, trailingZeroDisplay: 'stripIfInteger' }
    : { maximumFractionDigits: 2 };
  if (decimals !== undefined) {
    options.minimumFractionDigits = decimals;
    options.maximumFractionDigits = decimals;
    delete options.trailingZeroDisplay;
  }
  let format: Intl.NumberFormat;
  try {
    format = new Intl.NumberFormat(locale, options);
  } catch {
    try {
      format = new Intl.NumberFormat(DEFAULT_LOCALE, options);
    } catch {
      format = new Intl.NumberFormat(DEFAULT_LOCALE, { maximumFractionDigits: 2 }); // unknown currency code
    }
  }
  return remember(numberFormats, key, format);
}

export function formatNumber(value: MoneyInput | null | undefined, locale: string, decimals?: number): string {
  return formatsFor(locale, DEFAULT_TIME_ZONE).amount(value, undefined, decimals);
}

/** "1 234,50 ₽" (ru, RUB), "RUB 1,234.50" (en); kopecks are dropped from whole amounts. */
export function formatMoney(value: MoneyInput | null | undefined, locale: string, currency = 'RUB', decimals?: number): string {
  return formatsFor(locale, DEFAULT_TIME_ZONE).amount(value, currency.toUpperCase(), decimals);
}

/**
 * Plural form by the number of forms given: three forms follow Russian rules
 * (1 товар, 2 товара, 5 товаров, 21 товар, 11 товаров, 1,5 товара), two forms English
 * (1 item, 2 items, 0 items).
 */
export function pluralForm(count: MoneyInput | null | undefined, forms: readonly string[]): string {
  if (forms.length === 0) return '';
  const n = toNumber(count) ?? 0;
  if (forms.length < 3) return Math.abs(n) === 1 ? forms[0] : (forms[1] ?? forms[0]);
  if (!Number.isInteger(n)) return forms[1];
  const abs = Math.abs(n);
  const mod10 = abs % 10;
  const mod100 = abs % 100;
  if (mod10 === 1 && mod100 !== 11) return forms[0];
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return forms[1];
  return forms[2];
}

/** Language part of a BCP 47 tag: "en-GB" → "en". */
export function languageOf(locale: string | null | undefined): string {
  return (locale ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
}

/**
 * The locale to format with: the template variant's language, refined by the customer's
 * region when the customer speaks that language ("en" template + "en-GB" customer → "en-GB").
 */
export function formatLocale(templateLocale: string | undefined, customerLocale: string | null | undefined): string {
  const customer = (customerLocale ?? '').trim().replace('_', '-');
  if (!templateLocale) return customer || DEFAULT_LOCALE;
  if (customer && languageOf(customer) === languageOf(templateLocale)) return customer;
  return templateLocale;
}
