// Dates, numbers, money and percentages on admin pages, all through Intl in the user's locale
// and time zone (the user's own or the installation's DEFAULT_TIME_ZONE): one formatter per
// page, so a page never mixes UTC with local time. Pure: no Nest, no I/O.
import { DateTime } from 'luxon';
import type { Locale } from './t';

export interface Formatter {
  readonly locale: Locale;
  readonly timeZone: string;
  /** «7 дек. 2026 г., 18:30» / "Dec 7, 2026, 6:30 PM" in the time zone. */
  dateTime(date: Date): string;
  /** «7 дек. 2026 г.» in the time zone. */
  date(date: Date): string;
  /** A calendar day given as YYYY-MM-DD (already in the zone), short: «7 дек.». */
  day(isoDay: string): string;
  number(value: number | bigint): string;
  /** An amount (number or decimal text) with its ISO currency: «50 000,00 ₽». */
  money(amount: number | string, currency: string): string;
  /** part / whole as a percentage with one decimal, or «—» when the whole is 0. */
  percent(part: number, whole: number): string;
}

const cache = new Map<string, Formatter>();

export function formatter(locale: Locale, timeZone: string): Formatter {
  const cacheKey = `${locale} ${timeZone}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const tag = locale === 'ru' ? 'ru-RU' : 'en-GB';
  const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short', timeZone });
  const date = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeZone });
  const day = new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const number = new Intl.NumberFormat(tag);
  const percent = new Intl.NumberFormat(tag, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const money = new Map<string, Intl.NumberFormat>();
  const made: Formatter = {
    locale,
    timeZone,
    dateTime: (d) => dateTime.format(d),
    date: (d) => date.format(d),
    day: (isoDay) => day.format(new Date(`${isoDay}T00:00:00Z`)),
    number: (value) => number.format(value),
    money(amount, currency) {
      let format = money.get(currency);
      if (!format) {
        try {
          format = new Intl.NumberFormat(tag, { style: 'currency', currency });
        } catch {
          // Not an ISO currency code: the amount with the code written after it.
          return `${number.format(Number(amount))} ${currency}`;
        }
        money.set(currency, format);
      }
      return format.format(Number(amount));
    },
    percent: (part, whole) => (whole > 0 ? percent.format(part / whole) : '—'),
  };
  cache.set(cacheKey, made);
  return made;
}

/** The last `count` calendar days in `timeZone` ending with today, as YYYY-MM-DD. */
export function lastDaysIn(now: Date, count: number, timeZone: string): string[] {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  const base = Date.parse(`${today}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => new Date(base - (count - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

/**
 * A `datetime-local` field's value (`2026-12-01T10:00`, a wall-clock time with no zone) read in
 * `timeZone`, as the instant it names; null when it is not such a value. A value with its own
 * offset or Z keeps it.
 */
export function wallClockToDate(value: string, timeZone: string): Date | null {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?$/.test(value)) return null;
  const parsed = DateTime.fromISO(value, { zone: timeZone, setZone: false });
  return parsed.isValid ? parsed.toJSDate() : null;
}

/** An instant as the `datetime-local` value of a field, in `timeZone`. */
export function dateToWallClock(date: Date, timeZone: string): string {
  return DateTime.fromJSDate(date, { zone: timeZone }).toFormat("yyyy-LL-dd'T'HH:mm");
}
