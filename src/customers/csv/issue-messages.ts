// Words for the reason codes of the normalisers and parsers, as shown in an import report.
import type {
  BirthdayRejectReason,
  EmailRejectReason,
  LocaleRejectReason,
  PhoneRejectReason,
  TimeZoneRejectReason,
} from '../contact-normalise';
import type { MoneyRejectReason } from './field-parsers';

export const EMAIL_REASONS: Record<EmailRejectReason, string> = {
  empty: 'invalid email: empty',
  too_long: 'invalid email: longer than 254 characters',
  whitespace: 'invalid email: contains a space or a control character',
  multiple_addresses: 'invalid email: more than one address in one cell',
  no_at: 'invalid email: no @ sign',
  multiple_at: 'invalid email: more than one @ sign',
  local_part_empty: 'invalid email: nothing before the @',
  local_part_too_long: 'invalid email: more than 64 characters before the @',
  local_part_invalid: 'invalid email: a character not allowed before the @, or a misplaced dot',
  local_part_non_ascii: 'invalid email: non-Latin letters before the @ are not supported',
  domain_empty: 'invalid email: nothing after the @',
  domain_literal: 'invalid email: an IP address instead of a domain',
  domain_invalid: 'invalid email: the domain is not a valid host name',
  domain_no_dot: 'invalid email: the domain has no dot',
  domain_too_long: 'invalid email: the domain is longer than 253 characters',
};

export const PHONE_REASONS: Record<PhoneRejectReason, string> = {
  empty: 'invalid phone: empty',
  invalid_characters: 'invalid phone: contains letters or symbols',
  not_a_number: 'invalid phone: no number found',
  too_short: 'invalid phone: too few digits',
  too_long: 'invalid phone: too many digits',
  wrong_length: 'invalid phone: wrong number of digits',
  invalid_country_code: 'invalid phone: unknown country code',
  invalid: 'invalid phone: not a number in use in its country',
};

export const BIRTHDAY_REASONS: Record<BirthdayRejectReason, string> = {
  empty: 'invalid birthday: empty',
  format: 'invalid birthday: expected DD.MM.YYYY or YYYY-MM-DD',
  impossible_date: 'invalid birthday: no such date',
  out_of_range: 'invalid birthday: before 1900 or in the future',
};

export const TIME_ZONE_REASONS: Record<TimeZoneRejectReason, string> = {
  empty: 'invalid time zone: empty',
  not_iana: 'invalid time zone: expected an IANA name such as Europe/Moscow',
  unknown: 'invalid time zone: unknown zone',
};

export const LOCALE_REASONS: Record<LocaleRejectReason, string> = {
  empty: 'invalid locale: empty',
  invalid: 'invalid locale: expected a language code such as ru or en',
};

export const MONEY_REASONS: Record<MoneyRejectReason, string> = {
  format: 'not an amount',
  negative: 'negative amount',
  too_many_decimals: 'more than two decimal places',
  too_large: 'amount too large',
};

/** The words for a rejected email or phone, whichever channel it was read for. */
export function addressRejection(channel: 'email' | 'sms', reason: EmailRejectReason | PhoneRejectReason): string {
  return channel === 'email' ? EMAIL_REASONS[reason as EmailRejectReason] : PHONE_REASONS[reason as PhoneRejectReason];
}
