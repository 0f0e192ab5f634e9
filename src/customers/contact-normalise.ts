// Normalisation of the contact fields a customer row carries: email, phone, time zone, birthday,
// locale. Pure functions, no Nest, no database: used by the CSV import, the API DTOs and the
// feedback module (address changes, suppression look-ups).
//
// Email decision: the WHOLE address is lower-cased, not only the domain. RFC 5321 lets a server
// treat the local part case-sensitively, but no mailbox provider in use does, and matching,
// de-duplication and the suppression hash must treat "Ivan@X.ru" and "ivan@x.ru" as one address
// (invariant: suppression always wins). sha256 of the lower-cased address is also the usual
// "hashed email" format of suppression lists exchanged between systems.
// (schema.prisma's comment on Customer.email says "lower-case domain": this file is the rule.)
import { createHash } from 'node:crypto';
import { domainToASCII } from 'node:url';
import { type CountryCode, parsePhoneNumberFromString, validatePhoneNumberLength } from 'libphonenumber-js/max';
import { ownValue } from '../common/own-value';

export type Normalised<T, R extends string> = { ok: true; value: T } | { ok: false; reason: R };

// ───────────────────────────── email ─────────────────────────────

export type EmailRejectReason =
  | 'empty'
  | 'too_long' // more than 254 characters
  | 'whitespace' // space or control character inside the address
  | 'multiple_addresses' // "a@x.ru, b@y.ru" in one cell
  | 'no_at'
  | 'multiple_at'
  | 'local_part_empty'
  | 'local_part_too_long' // more than 64 characters
  | 'local_part_invalid' // character outside the RFC 5322 dot-atom, or a leading/trailing/double dot
  | 'local_part_non_ascii' // internationalised local part (SMTPUTF8) is not supported
  | 'domain_empty'
  | 'domain_literal' // user@[192.0.2.1]
  | 'domain_invalid' // bad label, bad IDN, empty label, leading/trailing hyphen
  | 'domain_no_dot'
  | 'domain_too_long'; // more than 253 characters

export const EMAIL_MAX_LENGTH = 254;
export const EMAIL_LOCAL_MAX_LENGTH = 64;

// Characters trimmed around any value: whitespace, NBSP and the zero-width characters that
// copy-paste from web pages and Excel leave behind.
const EDGE_JUNK = /^[\s\u200B-\u200D\u2060\uFEFF]+|[\s\u200B-\u200D\u2060\uFEFF]+$/g;
const LOCAL_DOT_ATOM = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const ALL_DIGITS = /^[0-9]+$/;
const INNER_SPACE_OR_CONTROL = /[\s\u0000-\u001F\u007F]/;
const NON_ASCII = /[^\u0000-\u007F]/;

/** Trims whitespace, NBSP and zero-width characters from both ends. */
export function cleanText(input: string): string {
  const text = input.trim(); // native and fast; covers \s, NBSP and the BOM
  if (text === '') return text;
  return isZeroWidth(text.charCodeAt(0)) || isZeroWidth(text.charCodeAt(text.length - 1)) ? text.replace(EDGE_JUNK, '') : text;
}

function isZeroWidth(c: number): boolean {
  return (c >= 0x200b && c <= 0x200d) || c === 0x2060;
}

export function normaliseEmail(input: string): Normalised<string, EmailRejectReason> {
  const text = cleanText(input);
  if (text === '') return { ok: false, reason: 'empty' };
  const at = text.indexOf('@');
  if (at !== -1 && text.indexOf('@', at + 1) !== -1) {
    // Two @ with a separator between them is two addresses pasted in one cell.
    return { ok: false, reason: /[,;\s]/.test(text) ? 'multiple_addresses' : 'multiple_at' };
  }
  if (INNER_SPACE_OR_CONTROL.test(text)) return { ok: false, reason: 'whitespace' };
  if (at === -1) return { ok: false, reason: 'no_at' };
  if (text.length > 1024) return { ok: false, reason: 'too_long' }; // spare the regexes

  const local = text.slice(0, at).toLowerCase();
  if (local === '') return { ok: false, reason: 'local_part_empty' };
  if (NON_ASCII.test(local)) return { ok: false, reason: 'local_part_non_ascii' };
  if (local.length > EMAIL_LOCAL_MAX_LENGTH) return { ok: false, reason: 'local_part_too_long' };
  if (!LOCAL_DOT_ATOM.test(local)) return { ok: false, reason: 'local_part_invalid' };

  const domain = normaliseDomain(text.slice(at + 1));
  if (!domain.ok) return domain;
  const address = `${local}@${domain.value}`;
  if (address.length > EMAIL_MAX_LENGTH) return { ok: false, reason: 'too_long' };
  return { ok: true, value: address };
}

type DomainRejectReason = 'domain_empty' | 'domain_literal' | 'domain_invalid' | 'domain_no_dot' | 'domain_too_long';

// Domains repeat (mail.ru, gmail.com): their verdicts are cached, bounded.
const domainCache = new Map<string, Normalised<string, DomainRejectReason>>();
const DOMAIN_CACHE_LIMIT = 50_000;

function normaliseDomain(raw: string): Normalised<string, DomainRejectReason> {
  let result = domainCache.get(raw);
  if (result === undefined) {
    result = Object.freeze(checkDomain(raw)); // shared between callers
    if (domainCache.size < DOMAIN_CACHE_LIMIT) domainCache.set(raw, result);
  }
  return result;
}

function checkDomain(raw: string): Normalised<string, DomainRejectReason> {
  if (raw === '') return { ok: false, reason: 'domain_empty' };
  if (raw.startsWith('[')) return { ok: false, reason: 'domain_literal' };
  let domain = raw.toLowerCase();
  if (NON_ASCII.test(domain)) {
    // IDN (почта.рф) → punycode (xn--80a1acny.xn--p1ai); '' when UTS #46 rejects it.
    domain = domainToASCII(domain);
    if (domain === '') return { ok: false, reason: 'domain_invalid' };
  }
  if (domain.length > 253) return { ok: false, reason: 'domain_too_long' };
  const labels = domain.split('.');
  if (labels.length < 2) return { ok: false, reason: 'domain_no_dot' };
  for (const label of labels) {
    if (!DOMAIN_LABEL.test(label)) return { ok: false, reason: 'domain_invalid' };
  }
  if (ALL_DIGITS.test(labels[labels.length - 1])) return { ok: false, reason: 'domain_invalid' };
  return { ok: true, value: domain };
}

// ───────────────────────────── phone ─────────────────────────────

export type PhoneRejectReason =
  | 'empty'
  | 'invalid_characters' // letters or symbols that are not part of a phone number
  | 'not_a_number' // libphonenumber found no number in it
  | 'too_short'
  | 'too_long'
  | 'wrong_length' // a digit count between two the country uses
  | 'invalid_country_code'
  | 'invalid'; // right shape, but not a number in any allocated range

export interface NormalisedPhone {
  /** E.164, e.g. +79123456789. */
  e164: string;
  /** Extension ("доб. 123", "ext. 12"), kept apart: E.164 has none. */
  extension?: string;
}

// What a human writes in a phone cell besides digits: separators, +, and an extension marker.
const PHONE_ALLOWED = /^[+0-9\s().\u2010-\u2015\-/]*(?:(?:доб|ext|extension|x|#)\.?\s*[0-9]+)?$/i;

/**
 * Normalises a phone number to E.164. Russian habits are handled: "8 (912) 345-67-89",
 * "+7 912 345 67 89", "79123456789" and a bare "9123456789" all give +79123456789.
 * Foreign numbers need a leading + (or `defaultRegion` set to their country).
 */
export function normalisePhone(input: string, defaultRegion: CountryCode = 'RU'): Normalised<NormalisedPhone, PhoneRejectReason> {
  const text = cleanText(input);
  if (text === '') return { ok: false, reason: 'empty' };
  const fast = fastRussianPhone(text, defaultRegion);
  if (fast !== undefined) return fast;
  if (!PHONE_ALLOWED.test(text)) return { ok: false, reason: 'invalid_characters' };
  return libPhone(text, defaultRegion);
}

/** A stored (E.164) phone as people write it: "+79161234567" → "+7 916 123 45 67"; anything else as it is. */
export function phoneForDisplay(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

/** DEFAULT_PHONE_REGION (validated as two capital letters by the environment schema) as libphonenumber's type. */
export function phoneRegion(code: string): CountryCode {
  return code as CountryCode;
}

function libPhone(text: string, region: CountryCode): Normalised<NormalisedPhone, PhoneRejectReason> {
  const parsed = parsePhoneNumberFromString(text, region);
  if (parsed === undefined || !parsed.isValid()) {
    switch (validatePhoneNumberLength(text, region)) {
      case 'NOT_A_NUMBER':
        return { ok: false, reason: 'not_a_number' };
      case 'TOO_SHORT':
        return { ok: false, reason: 'too_short' };
      case 'TOO_LONG':
        return { ok: false, reason: 'too_long' };
      case 'INVALID_LENGTH':
        return { ok: false, reason: 'wrong_length' };
      case 'INVALID_COUNTRY':
        return { ok: false, reason: 'invalid_country_code' };
      default:
        return { ok: false, reason: 'invalid' };
    }
  }
  const value: NormalisedPhone = { e164: parsed.number };
  if (parsed.ext) value.extension = parsed.ext;
  return { ok: true, value };
}

// Fast path. libphonenumber costs 12–30 µs per number, which alone would cap an import at
// ~50,000 rows/s. Most numbers in a Russian base have one of four shapes around ten national
// digits: "+7 …", "7 …", "8 …" (the Russian trunk prefix) or a bare ten digits; all of them mean
// +7 and those ten digits. Whether +7XXXXXXXXXX is VALID is still libphonenumber's answer: it is
// asked for the first number of each six-digit national prefix and the verdict is cached,
// because under +7 (RU and KZ) libphonenumber's patterns for ten-digit numbers are decided by at
// most the first six digits. Only "valid" is answered from the cache: a number whose prefix is
// invalid goes to libphonenumber as typed (a bare "810…" is an international call prefix, say).
// The spec checks the fast path against libphonenumber on random numbers of every shape.
// Verdict per six-digit national prefix: 0 not asked yet, 1 valid, 2 invalid. 1 MB.
const prefixVerdicts = new Uint8Array(1_000_000);

function fastRussianPhone(text: string, region: CountryCode): Normalised<NormalisedPhone, PhoneRejectReason> | undefined {
  const n = text.length;
  const plus = text.charCodeAt(0) === 43; /* + */
  let digits = '';
  for (let i = plus ? 1 : 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits.length === 11) return undefined;
      digits += text[i];
    } else if (!isPhoneSeparator(c)) {
      return undefined;
    }
  }
  let national: string;
  if (digits.length === 11 && (digits.charCodeAt(0) === 55 /* 7 */ || (!plus && digits.charCodeAt(0) === 56)) /* 8 */) {
    if (!plus && region !== 'RU') return undefined;
    national = digits.slice(1);
  } else if (!plus && digits.length === 10 && region === 'RU') {
    national = digits;
  } else {
    return undefined;
  }
  const e164 = `+7${national}`;
  const prefix = Number(national.slice(0, 6));
  let verdict = prefixVerdicts[prefix];
  if (verdict === 0) {
    verdict = parsePhoneNumberFromString(e164)?.isValid() === true ? 1 : 2;
    prefixVerdicts[prefix] = verdict;
  }
  return verdict === 1 ? { ok: true, value: { e164 } } : undefined;
}

/** Space, tab, NBSP, ( ) . - / and the Unicode dashes: what people put between digits. */
function isPhoneSeparator(c: number): boolean {
  return (
    c === 32 ||
    c === 40 ||
    c === 41 ||
    c === 45 ||
    c === 46 ||
    c === 47 ||
    c === 9 ||
    c === 0xa0 ||
    c === 0x202f ||
    (c >= 0x2010 && c <= 0x2015)
  );
}

// ───────────────────────────── suppression hash ─────────────────────────────

export type ContactChannel = 'email' | 'sms';

/**
 * The normalised address of a channel: an email for 'email', an E.164 number for 'sms' (an
 * extension is dropped: it cannot receive an SMS). The suppression list is keyed by this form.
 */
export function normaliseAddress(
  channel: ContactChannel,
  address: string,
  defaultRegion: CountryCode = 'RU',
): Normalised<string, EmailRejectReason | PhoneRejectReason> {
  if (channel === 'email') return normaliseEmail(address);
  const phone = normalisePhone(address, defaultRegion);
  return phone.ok ? { ok: true, value: phone.value.e164 } : phone;
}

const E164 = /^\+[1-9][0-9]{6,14}$/;

/**
 * sha256 hex of a normalised address, the key of the suppression list. The preimage is the
 * address alone (UTF-8); the channel is its own column. Throws when the address is not in the
 * normalised form of its channel, because hashing "Ivan@X.ru" would silently miss the entry
 * for "ivan@x.ru" and let a suppressed address through.
 */
export function hashAddress(channel: ContactChannel, normalisedAddress: string): string {
  if (channel === 'email') {
    const check = normaliseEmail(normalisedAddress);
    if (!check.ok || check.value !== normalisedAddress) {
      throw new Error('hashAddress: email is not normalised; call normaliseEmail first');
    }
  } else if (!E164.test(normalisedAddress)) {
    throw new Error('hashAddress: phone is not in E.164; call normalisePhone first');
  }
  return createHash('sha256').update(normalisedAddress, 'utf8').digest('hex');
}

// ───────────────────────────── time zone ─────────────────────────────

export type TimeZoneRejectReason = 'empty' | 'not_iana' | 'unknown';

const TIME_ZONE_ALIASES: Record<string, string> = {
  msk: 'Europe/Moscow',
  мск: 'Europe/Moscow',
  moscow: 'Europe/Moscow',
  москва: 'Europe/Moscow',
  utc: 'UTC',
  gmt: 'UTC',
};
const timeZoneCache = new Map<string, Normalised<string, TimeZoneRejectReason>>();

/** A valid IANA zone name in its canonical case ("europe/moscow" → "Europe/Moscow"). */
export function normaliseTimeZone(input: string): Normalised<string, TimeZoneRejectReason> {
  const text = cleanText(input);
  if (text === '') return { ok: false, reason: 'empty' };
  const cached = timeZoneCache.get(text);
  if (cached) return cached;
  const result = Object.freeze(resolveTimeZone(text));
  if (timeZoneCache.size < 1000) timeZoneCache.set(text, result);
  return result;
}

function resolveTimeZone(text: string): Normalised<string, TimeZoneRejectReason> {
  const alias = ownValue(TIME_ZONE_ALIASES, text.toLowerCase());
  if (alias) return { ok: true, value: alias };
  // Intl also accepts offsets ("+03:00") and legacy names without a slash ("EST5EDT"): an
  // offset does not follow daylight saving, so only Area/Location names (and UTC) are taken.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)+$/.test(text)) return { ok: false, reason: 'not_iana' };
  try {
    return { ok: true, value: new Intl.DateTimeFormat('en', { timeZone: text }).resolvedOptions().timeZone };
  } catch {
    return { ok: false, reason: 'unknown' };
  }
}

// ───────────────────────────── birthday ─────────────────────────────

export type BirthdayRejectReason = 'empty' | 'format' | 'impossible_date' | 'out_of_range';

const MIN_BIRTH_YEAR = 1900;

/**
 * Accepts YYYY-MM-DD and DD.MM.YYYY (day and month may have one digit, as Excel shows them).
 * Returns YYYY-MM-DD. Rejects impossible dates (31.04, 29.02 outside leap years), years before
 * 1900 and dates after `today` (UTC date; injectable for tests).
 */
export function parseBirthday(input: string, today: Date = new Date()): Normalised<string, BirthdayRejectReason> {
  const text = cleanText(input);
  if (text === '') return { ok: false, reason: 'empty' };
  let year: number;
  let month: number;
  let day: number;
  // Hand-parsed (no regex): this runs once per row of a large import.
  if (text.length === 10 && text.charCodeAt(4) === 45 /* - */ && text.charCodeAt(7) === 45) {
    year = digits(text, 0, 4);
    month = digits(text, 5, 7);
    day = digits(text, 8, 10);
  } else {
    const dot1 = text.indexOf('.');
    const dot2 = text.indexOf('.', dot1 + 1);
    if (dot1 < 1 || dot1 > 2 || dot2 - dot1 < 2 || dot2 - dot1 > 3 || text.length - dot2 !== 5) {
      return { ok: false, reason: 'format' };
    }
    day = digits(text, 0, dot1);
    month = digits(text, dot1 + 1, dot2);
    year = digits(text, dot2 + 1, text.length);
  }
  if (year < 0 || month < 0 || day < 0) return { ok: false, reason: 'format' };
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, reason: 'impossible_date' };
  }
  const iso = `${year}-${pad2(month)}-${pad2(day)}`;
  if (year < MIN_BIRTH_YEAR || iso > isoDay(today)) return { ok: false, reason: 'out_of_range' };
  return { ok: true, value: iso };
}

/** The decimal number in text[from, to), or -1 when a character is not a digit. */
function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

let lastDay = { time: NaN, iso: '' };

/** YYYY-MM-DD of a Date in UTC, memoised for the one "today" an import uses. */
function isoDay(date: Date): string {
  const time = date.getTime();
  if (time !== lastDay.time) lastDay = { time, iso: date.toISOString().slice(0, 10) };
  return lastDay.iso;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

// ───────────────────────────── locale ─────────────────────────────

export type LocaleRejectReason = 'empty' | 'invalid';

const LANGUAGE_NAMES: Record<string, string> = {
  russian: 'ru',
  русский: 'ru',
  рус: 'ru',
  english: 'en',
  английский: 'en',
  англ: 'en',
};

const LANGUAGE_DISPLAY = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

/**
 * The language subtag of a locale, lower-case: "ru", "RU", "ru_RU", "ru-RU", "Русский" → "ru";
 * "en-GB" → "en". Templates are chosen per language, so the region is dropped.
 */
const localeCache = new Map<string, Normalised<string, LocaleRejectReason>>();

export function normaliseLocale(input: string): Normalised<string, LocaleRejectReason> {
  const cached = localeCache.get(input);
  if (cached) return cached;
  const result = Object.freeze(resolveLocale(cleanText(input)));
  if (localeCache.size < 1000) localeCache.set(input, result);
  return result;
}

function resolveLocale(text: string): Normalised<string, LocaleRejectReason> {
  if (text === '') return { ok: false, reason: 'empty' };
  const named = ownValue(LANGUAGE_NAMES, text.toLowerCase());
  if (named) return { ok: true, value: named };
  const tag = text.replace(/_/g, '-');
  if (!/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/.test(tag)) return { ok: false, reason: 'invalid' };
  try {
    const language = Intl.getCanonicalLocales(tag)[0].split('-')[0];
    // Well-formed is not enough ("xx"): the language must be one ICU knows.
    if (LANGUAGE_DISPLAY.of(language) === undefined) return { ok: false, reason: 'invalid' };
    return { ok: true, value: language };
  } catch {
    return { ok: false, reason: 'invalid' };
  }
}
