// Turns the contact fields of a customer request into their stored form: the same normalisers
// as the CSV import, so a customer looks the same however it arrived. Pure: no Nest, no database.
import type { CountryCode } from 'libphonenumber-js';
import type { FieldIssue } from '../common/domain-error';
import { normaliseTag } from '../common/tags';
import { normaliseEmail, normaliseLocale, normalisePhone, normaliseTimeZone, parseBirthday } from './contact-normalise';
import type { CustomerFieldsBody } from './dto/customer.dto';
import { BIRTHDAY_REASONS, EMAIL_REASONS, LOCALE_REASONS, PHONE_REASONS, TIME_ZONE_REASONS } from './csv/issue-messages';

/** Undefined: leave the stored value alone; null: clear it. */
export interface CustomerFields {
  externalId?: string | null;
  kind?: 'person' | 'company';
  companyId?: number | null;
  position?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  patronymic?: string | null;
  companyName?: string | null;
  email?: string | null;
  phone?: string | null;
  /** Set with `phone`: the extension it carried ("доб. 12"), kept in attributes.phoneExtension. */
  phoneExtension?: string | null;
  /** Midnight UTC of the date (a DATE column). */
  birthday?: Date | null;
  timeZone?: string;
  locale?: string;
  source?: string | null;
  tags?: string[];
  attributes?: Record<string, unknown>;
  registeredAt?: Date;
}

export type FieldsResult = { ok: true; value: CustomerFields } | { ok: false; issues: FieldIssue[] };

export function normaliseCustomerFields(input: CustomerFieldsBody, options: { region: CountryCode; today?: Date }): FieldsResult {
  const issues: FieldIssue[] = [];
  const { email, phone, birthday, timeZone, locale, tags, registeredAt, ...plain } = input;
  const value: CustomerFields = { ...plain };

  if (email !== undefined) {
    if (email === null || email.trim() === '') value.email = null;
    else {
      const r = normaliseEmail(email);
      if (r.ok) value.email = r.value;
      else issues.push({ path: 'email', message: EMAIL_REASONS[r.reason] });
    }
  }
  if (phone !== undefined) {
    if (phone === null || phone.trim() === '') {
      value.phone = null;
      value.phoneExtension = null;
    } else {
      const r = normalisePhone(phone, options.region);
      if (r.ok) {
        value.phone = r.value.e164;
        value.phoneExtension = r.value.extension ?? null;
      } else {
        issues.push({ path: 'phone', message: PHONE_REASONS[r.reason] });
      }
    }
  }
  if (birthday !== undefined) {
    if (birthday === null || birthday.trim() === '') value.birthday = null;
    else {
      const r = parseBirthday(birthday, options.today);
      if (r.ok) value.birthday = new Date(`${r.value}T00:00:00Z`);
      else issues.push({ path: 'birthday', message: BIRTHDAY_REASONS[r.reason] });
    }
  }
  if (timeZone !== undefined) {
    const r = normaliseTimeZone(timeZone);
    if (r.ok) value.timeZone = r.value;
    else issues.push({ path: 'timeZone', message: TIME_ZONE_REASONS[r.reason] });
  }
  if (locale !== undefined) {
    const r = normaliseLocale(locale);
    if (r.ok) value.locale = r.value;
    else issues.push({ path: 'locale', message: LOCALE_REASONS[r.reason] });
  }
  if (tags !== undefined) value.tags = [...new Set(tags.map(normaliseTag))];
  if (registeredAt !== undefined) value.registeredAt = new Date(registeredAt);
  return issues.length ? { ok: false, issues } : { ok: true, value };
}

/** Attributes as stored: the phone extension, when the phone changed, goes in or out with it. */
export function withPhoneExtension(attributes: Record<string, unknown>, fields: CustomerFields): Record<string, unknown> {
  if (fields.phoneExtension === undefined) return attributes;
  const { phoneExtension: _dropped, ...rest } = attributes;
  return fields.phoneExtension === null ? rest : { ...rest, phoneExtension: fields.phoneExtension };
}
