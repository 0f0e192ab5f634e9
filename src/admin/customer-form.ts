// The customer card's edit form: what it posts, read into the body the customers service takes
// (the API's PATCH body, so the page and the API share one set of rules), and what it shows again
// when it is refused. Attributes are key/value rows; a value keeps the type it had (a number stays a
// number) unless it was changed into something that type cannot hold. Pure: no Nest, no I/O.
import type { FieldIssue } from '../common/domain-error';
import { phoneForDisplay } from '../customers/contact-normalise';
import type { CustomerFieldsBody } from '../customers/dto/customer.dto';

/** The text fields of the form, in the order they are shown. */
export const PERSON_FIELDS = ['firstName', 'patronymic', 'lastName', 'email', 'phone', 'birthday', 'companyId', 'position'] as const;
export const COMPANY_FIELDS = ['companyName', 'email', 'phone'] as const;
export const COMMON_FIELDS = ['timeZone', 'locale', 'tags', 'externalId'] as const;
export type CustomerFormField = (typeof PERSON_FIELDS)[number] | (typeof COMPANY_FIELDS)[number] | (typeof COMMON_FIELDS)[number];

/** What the form shows: each field as text, and the attribute rows. */
export interface CustomerFormValues {
  fields: Partial<Record<CustomerFormField, string>>;
  attributes: Array<[key: string, value: string]>;
}

const MAX_ATTRIBUTE_ROWS = 200;

/** A stored attribute value as the text of its field: strings as they are, anything else as JSON. */
export function attributeText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The form's values for a stored customer. */
export function formValuesOf(customer: {
  kind: string;
  firstName: string | null;
  patronymic: string | null;
  lastName: string | null;
  companyName: string | null;
  companyId: number | null;
  position: string | null;
  email: string | null;
  phone: string | null;
  birthday: Date | null;
  timeZone: string;
  locale: string;
  tags: string[];
  externalId: string | null;
  attributes: unknown;
}): CustomerFormValues {
  const attributes = isRecord(customer.attributes) ? customer.attributes : {};
  return {
    fields: {
      firstName: customer.firstName ?? '',
      patronymic: customer.patronymic ?? '',
      lastName: customer.lastName ?? '',
      companyName: customer.companyName ?? '',
      companyId: customer.companyId === null ? '' : String(customer.companyId),
      position: customer.position ?? '',
      email: customer.email ?? '',
      phone: customer.phone ? phoneForDisplay(customer.phone) : '',
      birthday: customer.birthday ? customer.birthday.toISOString().slice(0, 10) : '',
      timeZone: customer.timeZone,
      locale: customer.locale,
      tags: customer.tags.join(', '),
      externalId: customer.externalId ?? '',
    },
    attributes: Object.entries(attributes).map(([key, value]) => [key, attributeText(value)]),
  };
}

/** What was posted, as the form shows it again (every field as typed, the rows in order). */
export function postedValues(form: Record<string, unknown>, kind: string): CustomerFormValues {
  const fields: CustomerFormValues['fields'] = {};
  for (const field of [...(kind === 'company' ? COMPANY_FIELDS : PERSON_FIELDS), ...COMMON_FIELDS]) {
    const value = form[field];
    fields[field] = typeof value === 'string' ? value : '';
  }
  const keys = list(form.attrKey);
  const values = list(form.attrValue);
  const attributes: CustomerFormValues['attributes'] = [];
  for (let i = 0; i < Math.min(Math.max(keys.length, values.length), MAX_ATTRIBUTE_ROWS); i++) {
    attributes.push([keys[i] ?? '', values[i] ?? '']);
  }
  return { fields, attributes };
}

export type BodyResult = { ok: true; body: CustomerFieldsBody } | { ok: false; issues: FieldIssue[] };

/**
 * The service's body from the posted values: text as typed (the service trims, normalises and
 * checks it; an empty field clears it), tags split at commas, the company by its card number,
 * attribute rows with an empty key and value dropped. `current` is what is stored, so a value
 * left as it was keeps its type.
 */
export function customerBody(values: CustomerFormValues, kind: string, current: Record<string, unknown>): BodyResult {
  const issues: FieldIssue[] = [];
  const f = values.fields;
  const body: CustomerFieldsBody = {};
  const textFields = kind === 'company' ? (['companyName'] as const) : (['firstName', 'patronymic', 'lastName', 'position'] as const);
  for (const field of textFields) body[field] = f[field] ?? '';
  body.email = f.email ?? '';
  body.phone = f.phone ?? '';
  if (kind !== 'company') {
    body.birthday = f.birthday ?? '';
    const company = (f.companyId ?? '').trim().replace(/^№\s*/, '');
    if (company === '') body.companyId = null;
    else if (/^\d{1,10}$/.test(company) && Number(company) > 0 && Number(company) <= 2_147_483_647) body.companyId = Number(company);
    else issues.push({ path: 'companyId', message: 'expected the number of a company card' });
  }
  body.timeZone = (f.timeZone ?? '').trim();
  body.locale = (f.locale ?? '').trim();
  body.externalId = f.externalId ?? '';
  body.tags = (f.tags ?? '')
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');

  const attributes: Record<string, unknown> = {};
  values.attributes.forEach(([rawKey, text], i) => {
    const key = rawKey.trim();
    if (key === '' && text.trim() === '') return;
    if (key === '') issues.push({ path: `attributes.${i + 1}`, message: 'a value needs a name' });
    else if (key.length > 100) issues.push({ path: `attributes.${key.slice(0, 100)}`, message: 'must be at most 100 characters' });
    else if (Object.hasOwn(attributes, key)) issues.push({ path: `attributes.${key}`, message: 'named twice' });
    else attributes[key] = attributeValue(Object.hasOwn(current, key) ? current[key] : undefined, text);
  });
  body.attributes = attributes;
  return issues.length ? { ok: false, issues } : { ok: true, body };
}

/** The value to store for an attribute's text, keeping the stored value's type where the text still fits it. */
export function attributeValue(stored: unknown, text: string): unknown {
  if (stored !== undefined && attributeText(stored) === text) return stored;
  const trimmed = text.trim();
  if (typeof stored === 'number' && /^-?\d+([.,]\d+)?$/.test(trimmed)) return Number(trimmed.replace(',', '.'));
  if (typeof stored === 'boolean' && (trimmed === 'true' || trimmed === 'false')) return trimmed === 'true';
  if (stored !== null && typeof stored === 'object') {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (parsed !== null && typeof parsed === 'object') return parsed;
    } catch {
      // Not JSON any more: kept as the text that was typed.
    }
  }
  return text;
}

function list(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v : '')) : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
