// Parsers for the cells of an import file that are not contacts: consent flags, tags, money,
// quantities, timestamps, order status, currency. Each returns a value or a reason code.
import { ownValue } from '../../common/own-value';
import { normaliseTag } from '../../common/tags';
import type { ConsentStatus, CustomerKind, OrderStatus } from '../../generated/prisma/enums';
import { daysInMonth, type Normalised } from '../contact-normalise';
import { zonedTimeToUtc } from './zone-time';

const norm = (text: string) => text.trim().toLowerCase().replace(/ё/g, 'е');

/**
 * Caches a parser of cells that take few distinct values (да/нет, a status, a tag list), so a
 * million rows cost a million Map look-ups rather than a million normalisations. Bounded.
 */
function memo<T>(parse: (text: string) => T, limit = 10_000): (text: string) => T {
  const cache = new Map<string, T>();
  return (text) => {
    let result = cache.get(text);
    if (result === undefined) {
      result = Object.freeze(parse(text)); // shared between callers
      if (cache.size < limit) cache.set(text, result);
    }
    return result;
  };
}

// ───────────────────────────── consent ─────────────────────────────

const CONSENT_VALUES: Record<string, ConsentStatus> = {};
for (const v of [
  'yes',
  'y',
  'true',
  '1',
  '+',
  'on',
  'opted_in',
  'opt-in',
  'opt in',
  'subscribed',
  'да',
  'д',
  'есть',
  'подписан',
  'подписана',
  'согласен',
  'согласна',
  'согласие',
]) {
  CONSENT_VALUES[v] = 'opted_in';
}
for (const v of [
  'no',
  'n',
  'false',
  '0',
  '-',
  'off',
  'opted_out',
  'opt-out',
  'opt out',
  'unsubscribed',
  'нет',
  'н',
  'отписан',
  'отписана',
  'отказ',
  'не согласен',
]) {
  CONSENT_VALUES[v] = 'opted_out';
}
for (const v of ['pending', 'unconfirmed', 'ожидает', 'не подтвержден', 'не подтверждено']) {
  CONSENT_VALUES[v] = 'pending';
}

export const parseConsent = memo((text: string): Normalised<ConsentStatus, 'unknown_value'> => {
  const value = ownValue(CONSENT_VALUES, norm(text));
  return value ? { ok: true, value } : { ok: false, reason: 'unknown_value' };
});

// ───────────────────────────── kind ─────────────────────────────

const KIND_VALUES: Record<string, CustomerKind> = {
  person: 'person',
  individual: 'person',
  b2c: 'person',
  физ: 'person',
  физлицо: 'person',
  'физ лицо': 'person',
  'физическое лицо': 'person',
  company: 'company',
  organisation: 'company',
  organization: 'company',
  b2b: 'company',
  юр: 'company',
  юрлицо: 'company',
  'юр лицо': 'company',
  'юридическое лицо': 'company',
  компания: 'company',
  организация: 'company',
};

export const parseKind = memo((text: string): Normalised<CustomerKind, 'unknown_value'> => {
  const value = ownValue(KIND_VALUES, norm(text).replace(/[.-]+/g, ' ').replace(/\s+/g, ' ').trim());
  return value ? { ok: true, value } : { ok: false, reason: 'unknown_value' };
});

// ───────────────────────────── tags ─────────────────────────────

export const TAG_MAX_LENGTH = 64;

/** "VIP, опт; b2b|VIP" → ["vip", "опт", "b2b"]: split on , ; |, trimmed, lower-case, unique. */
export function parseTags(text: string): Normalised<string[], 'tag_too_long'> {
  const result = cachedTags(text);
  // Each row gets its own array: a caller may push to it.
  return result.ok ? { ok: true, value: result.value.slice() } : result;
}

const cachedTags = memo(splitTags);

function splitTags(text: string): Normalised<string[], 'tag_too_long'> {
  const tags: string[] = [];
  for (const part of text.split(/[,;|]/)) {
    const tag = normaliseTag(part);
    if (tag === '') continue;
    if (tag.length > TAG_MAX_LENGTH) return { ok: false, reason: 'tag_too_long' };
    if (!tags.includes(tag)) tags.push(tag);
  }
  return { ok: true, value: tags };
}

// ───────────────────────────── money and quantity ─────────────────────────────

export type MoneyRejectReason = 'format' | 'negative' | 'too_many_decimals' | 'too_large';

const MONEY_NOISE = /[\s\u00A0\u202F']|₽|руб\.?|р\.|rub|€|\$|usd|eur/gi;
/** The largest amount a money column holds, in minor units: Decimal(14, 2). */
export const MAX_MONEY_MINOR = 99_999_999_999_999;

/**
 * A money amount as a decimal string with two places: "1 234,5" → "1234.50",
 * "1,234.50" → "1234.50", "990 ₽" → "990.00". Digits past the second decimal place must be
 * zeros (Excel's "1234.5000"), otherwise the cell is rejected rather than rounded.
 */
export function parseMoney(text: string): Normalised<string, MoneyRejectReason> {
  const minor = parseMoneyMinor(text);
  return minor.ok ? { ok: true, value: formatMinor(minor.value) } : minor;
}

const PLAIN_MONEY = /^(\d{1,12})(?:[.,](\d{1,2}))?$/;

/** Same as parseMoney, in minor units (kopecks), for sums. */
export function parseMoneyMinor(text: string): Normalised<number, MoneyRejectReason> {
  // Most cells are plain ("1500", "99.90"): no noise to strip, no thousands to find.
  const plain = PLAIN_MONEY.exec(text);
  if (plain)
    return {
      ok: true,
      value: Number(plain[1]) * 100 + (plain[2] === undefined ? 0 : Number(plain[2].length === 1 ? `${plain[2]}0` : plain[2])),
    };
  let s = text.replace(MONEY_NOISE, '');
  let negative = false;
  if (s.startsWith('-')) {
    negative = true;
    s = s.slice(1);
  }
  // The last of "," and "." is the decimal separator, the other one groups thousands. So an
  // ambiguous "1,234" reads as 1.234 and is rejected for its third decimal, not taken as 1234.
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  let intPart: string;
  let fracPart: string;
  if (lastComma === -1 && lastDot === -1) {
    intPart = s;
    fracPart = '';
  } else {
    const decimalAt = Math.max(lastComma, lastDot);
    const thousands = decimalAt === lastComma ? '.' : ',';
    intPart = s.slice(0, decimalAt).split(thousands).join('');
    fracPart = s.slice(decimalAt + 1);
  }
  if (!/^\d+$/.test(intPart) || !/^\d*$/.test(fracPart)) return { ok: false, reason: 'format' };
  if (negative) return { ok: false, reason: 'negative' };
  if (/[1-9]/.test(fracPart.slice(2))) return { ok: false, reason: 'too_many_decimals' };
  const minor = Number(intPart) * 100 + Number((fracPart + '00').slice(0, 2));
  if (!Number.isSafeInteger(minor) || minor > MAX_MONEY_MINOR) return { ok: false, reason: 'too_large' };
  return { ok: true, value: minor };
}

export function formatMinor(minor: number): string {
  const units = Math.floor(minor / 100);
  const cents = minor % 100;
  return `${units}.${cents < 10 ? '0' : ''}${cents}`;
}

export function parseQuantity(text: string): Normalised<number, 'format' | 'not_whole' | 'not_positive' | 'too_large'> {
  const s = text.replace(/[\s\u00A0]/g, '').replace(/(?:шт|pcs)\.?$/i, '');
  const m = /^(-?\d+)(?:[.,](\d+))?$/.exec(s);
  if (!m) return { ok: false, reason: 'format' };
  if (m[2] !== undefined && /[1-9]/.test(m[2])) return { ok: false, reason: 'not_whole' };
  const n = Number(m[1]);
  if (n <= 0) return { ok: false, reason: 'not_positive' };
  if (n > 1_000_000) return { ok: false, reason: 'too_large' };
  return { ok: true, value: n };
}

// ───────────────────────────── timestamps ─────────────────────────────

const DATE_TIME =
  /^(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})\.(\d{1,2})\.(\d{4}))(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * A point in time: ISO 8601 ("2024-03-01", "2024-03-01T10:00:00+03:00", "2024-03-01 10:00") or
 * Russian ("01.03.2024", "01.03.2024 10:00:05"). Without an offset the time is read in
 * `timeZone` (the import's zone, Europe/Moscow by default); a date alone means its midnight.
 */
export function parseDateTime(text: string, timeZone: string): Normalised<Date, 'format' | 'impossible_date'> {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return { ok: false, reason: 'format' };
  const year = Number(m[1] ?? m[6]);
  const month = Number(m[2] ?? m[5]);
  const day = Number(m[3] ?? m[4]);
  const hour = m[7] === undefined ? 0 : Number(m[7]);
  const minute = m[8] === undefined ? 0 : Number(m[8]);
  const second = m[9] === undefined ? 0 : Number(m[9]);
  const millisecond = m[10] === undefined ? 0 : Number(m[10].padEnd(3, '0').slice(0, 3));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    return { ok: false, reason: 'impossible_date' };
  }
  const offset = m[11];
  if (offset !== undefined) {
    let offsetMinutes = 0;
    if (offset.toUpperCase() !== 'Z') {
      const digits = offset.slice(1).replace(':', '');
      offsetMinutes = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0')) * (offset[0] === '-' ? -1 : 1);
    }
    const utc = Date.UTC(year, month - 1, day, hour, minute, second, millisecond) - offsetMinutes * 60_000;
    return { ok: true, value: new Date(utc) };
  }
  const utc = zonedTimeToUtc(timeZone, year, month, day, hour, minute, second, millisecond);
  return utc === null ? { ok: false, reason: 'impossible_date' } : { ok: true, value: new Date(utc) };
}

// ───────────────────────────── order status and currency ─────────────────────────────

const STATUS_VALUES: Record<string, OrderStatus> = {};
const statusAliases: Record<OrderStatus, string[]> = {
  created: ['created', 'new', 'pending', 'placed', 'создан', 'новый', 'оформлен', 'принят'],
  paid: ['paid', 'оплачен'],
  shipped: ['shipped', 'sent', 'in transit', 'отправлен', 'отгружен', 'в пути', 'передан в доставку'],
  delivered: ['delivered', 'completed', 'complete', 'done', 'доставлен', 'выполнен', 'получен', 'вручен', 'завершен'],
  cancelled: ['cancelled', 'canceled', 'отменен', 'отмена', 'отказ'],
};
for (const [status, aliases] of Object.entries(statusAliases) as [OrderStatus, string[]][]) {
  for (const alias of aliases) STATUS_VALUES[alias] = status;
}

export const parseOrderStatus = memo((text: string): Normalised<OrderStatus, 'unknown_value'> => {
  const value = ownValue(STATUS_VALUES, norm(text));
  return value ? { ok: true, value } : { ok: false, reason: 'unknown_value' };
});

const CURRENCY_ALIASES: Record<string, string> = {
  '₽': 'RUB',
  р: 'RUB',
  'р.': 'RUB',
  руб: 'RUB',
  'руб.': 'RUB',
  рубль: 'RUB',
  рубли: 'RUB',
  rur: 'RUB',
  $: 'USD',
  '€': 'EUR',
};

export const parseCurrency = memo((text: string): Normalised<string, 'unknown_value'> => {
  const t = norm(text);
  const alias = ownValue(CURRENCY_ALIASES, t);
  if (alias) return { ok: true, value: alias };
  return /^[a-z]{3}$/.test(t) ? { ok: true, value: t.toUpperCase() } : { ok: false, reason: 'unknown_value' };
});
