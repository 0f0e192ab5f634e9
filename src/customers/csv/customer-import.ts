// CSV import of customers: one line per customer.
//
// Duplicates inside the file: FIRST ROW WINS. A row's identity is the first present of
// external_id, email, phone (the order an upsert matches on). A row whose identity was already
// used by an earlier accepted row, as any of its keys, is dropped with a warning naming both
// lines; keeping the first lets rows stream straight to the database, and the later copy is
// usually the accidental one (a pasted block). An email is one live customer's (as the API
// keeps it, issue 21): a row whose email an earlier row already has is dropped the same way,
// even under another external id, so a file never makes two live customers with one email.
// Rows that only share a phone (colleagues on one office phone) are all kept, with a warning.
// Rows with errors claim no keys, so a later valid copy is imported.
import type { CountryCode } from 'libphonenumber-js';
import { cleanText, normaliseEmail, normaliseLocale, normalisePhone, normaliseTimeZone, parseBirthday } from '../contact-normalise';
import type { CsvRecord } from './csv-tokenizer';
import { parseConsent, parseDateTime, parseKind, parseTags, TAG_MAX_LENGTH } from './field-parsers';
import { CUSTOMER_HEADER, type CustomerField, type HeaderMapping } from './header-mapping';
import {
  ImportReader,
  readAttributes,
  recordShapeIssues,
  type AssemblerContext,
  type BatchCollector,
  type RowAssembler,
} from './import.runner';
import { CsvImportError, type CsvInput, type CustomerImportRow, type ImportIssue, type ImportOptions } from './import.types';
import { BIRTHDAY_REASONS, EMAIL_REASONS, LOCALE_REASONS, PHONE_REASONS, TIME_ZONE_REASONS } from './issue-messages';
import { KeyIndex } from './key-index';

export const TEXT_MAX_LENGTH = 255;
const INNER_WHITESPACE = /\s\s|[\t\n\r\u00A0]/;

/** Reads a customer CSV; see ImportReader for how to consume it. */
export function readCustomerCsv(input: CsvInput, options: ImportOptions = {}): ImportReader<CustomerImportRow> {
  return new ImportReader<CustomerImportRow>(
    'customers',
    input,
    options,
    CUSTOMER_HEADER,
    (context) => new CustomerAssembler(context as AssemblerContext<CustomerField>),
  );
}

const IDENTITY_FIELDS = ['external_id', 'email', 'phone'] as const;
type IdentityField = (typeof IDENTITY_FIELDS)[number];
/** The columns a customer file must have, each as its alternatives (checked below, shown by the admin mapping step). */
export const CUSTOMER_REQUIRED_COLUMNS: ReadonlyArray<readonly CustomerField[]> = [IDENTITY_FIELDS];
const KEY_KIND: Record<IdentityField, number> = { external_id: 1, email: 2, phone: 3 };

class CustomerAssembler implements RowAssembler<CustomerImportRow> {
  private readonly index: Partial<Record<CustomerField, number>>;
  private readonly mapping: HeaderMapping<CustomerField>;
  private readonly headers: string[];
  private readonly region: CountryCode;
  private readonly timeZone: string;
  private readonly today: Date;
  private readonly keys = new KeyIndex();

  constructor(context: AssemblerContext<CustomerField>) {
    this.mapping = context.mapping;
    this.index = context.mapping.fieldIndex;
    this.headers = context.headers;
    this.region = context.options.defaultPhoneRegion ?? 'RU';
    this.timeZone = context.options.timeZone ?? 'Europe/Moscow';
    this.today = context.options.today ?? new Date();
    if (IDENTITY_FIELDS.every((f) => this.index[f] === undefined)) {
      throw new CsvImportError(
        'missing_column',
        'the header has no email, phone or external_id column, so no row could be matched to a customer',
        context.headerLine,
      );
    }
  }

  // Per-line state, kept on the instance so a line costs no closures.
  private fields: string[] = [];
  private line = 0;
  private errors: ImportIssue[] = [];

  private cell(field: CustomerField): string {
    const i = this.index[field];
    return i === undefined || i >= this.fields.length ? '' : cleanText(this.fields[i]);
  }

  private fail(field: string, code: string, reason: string): void {
    this.errors.push({ line: this.line, field, code, reason });
  }

  /** A free-text cell: inner whitespace runs become one space; null when empty. */
  private text(field: CustomerField): string | null {
    let value = this.cell(field);
    if (value === '') return null;
    if (INNER_WHITESPACE.test(value)) value = value.replace(/\s+/g, ' ');
    if (value.length > TEXT_MAX_LENGTH) {
      this.fail(field, `${field}.too_long`, `longer than ${TEXT_MAX_LENGTH} characters`);
      return null;
    }
    return value;
  }

  private consent(field: 'consent_email' | 'consent_sms'): CustomerImportRow['consentEmail'] {
    const raw = this.cell(field);
    if (raw === '') return null;
    const r = parseConsent(raw);
    if (r.ok) return r.value;
    this.fail(field, `${field}.unknown_value`, 'unknown consent value: expected yes/no (да/нет, 1/0) or pending');
    return null;
  }

  add(record: CsvRecord, out: BatchCollector<CustomerImportRow>): void {
    const line = record.line;
    this.line = line;
    this.fields = record.fields;
    const errors = this.errors;
    errors.length = 0; // reused: most lines have no issue, and no array is allocated for them
    recordShapeIssues(record, this.headers, errors);

    const externalId = this.text('external_id');

    let email: string | null = null;
    const rawEmail = this.cell('email');
    if (rawEmail !== '') {
      const r = normaliseEmail(rawEmail);
      if (r.ok) email = r.value;
      else this.fail('email', `email.${r.reason}`, EMAIL_REASONS[r.reason]);
    }

    let phone: string | null = null;
    let phoneExtension: string | null = null;
    const rawPhone = this.cell('phone');
    if (rawPhone !== '') {
      const r = normalisePhone(rawPhone, this.region);
      if (r.ok) {
        phone = r.value.e164;
        phoneExtension = r.value.extension ?? null;
      } else {
        this.fail('phone', `phone.${r.reason}`, PHONE_REASONS[r.reason]);
      }
    }

    let firstName = this.text('first_name');
    let lastName = this.text('last_name');
    let patronymic = this.text('patronymic');
    const fullName = this.text('full_name');
    if (fullName !== null && firstName === null && lastName === null && patronymic === null) {
      ({ firstName, lastName, patronymic } = splitFullName(fullName));
    }
    const companyName = this.text('company');
    const position = this.text('position');

    let kind: CustomerImportRow['kind'] = firstName === null && lastName === null && companyName !== null ? 'company' : 'person';
    const rawKind = this.cell('kind');
    if (rawKind !== '') {
      const r = parseKind(rawKind);
      if (r.ok) kind = r.value;
      else this.fail('kind', 'kind.unknown_value', 'unknown customer type: expected person or company (физлицо/юрлицо)');
    }

    let birthday: string | null = null;
    const rawBirthday = this.cell('birthday');
    if (rawBirthday !== '') {
      const r = parseBirthday(rawBirthday, this.today);
      if (r.ok) birthday = r.value;
      else this.fail('birthday', `birthday.${r.reason}`, BIRTHDAY_REASONS[r.reason]);
    }

    let timeZone: string | null = null;
    const rawZone = this.cell('time_zone');
    if (rawZone !== '') {
      const r = normaliseTimeZone(rawZone);
      if (r.ok) timeZone = r.value;
      else this.fail('time_zone', `time_zone.${r.reason}`, TIME_ZONE_REASONS[r.reason]);
    }

    let locale: string | null = null;
    const rawLocale = this.cell('locale');
    if (rawLocale !== '') {
      const r = normaliseLocale(rawLocale);
      if (r.ok) locale = r.value;
      else this.fail('locale', `locale.${r.reason}`, LOCALE_REASONS[r.reason]);
    }

    let tags: string[] | null = null;
    const rawTags = this.cell('tags');
    if (rawTags !== '') {
      const r = parseTags(rawTags);
      if (r.ok) tags = r.value.length > 0 ? r.value : null;
      else this.fail('tags', 'tags.tag_too_long', `a tag is longer than ${TAG_MAX_LENGTH} characters`);
    }

    const consentEmail = this.consent('consent_email');
    const consentSms = this.consent('consent_sms');

    const source = this.text('source');
    let registeredAt: Date | null = null;
    const rawRegistered = this.cell('registered_at');
    if (rawRegistered !== '') {
      const r = parseDateTime(rawRegistered, this.timeZone);
      if (r.ok) registeredAt = r.value;
      else this.fail('registered_at', `registered_at.${r.reason}`, 'invalid date: expected DD.MM.YYYY [HH:MM] or ISO 8601');
    }

    if (errors.length === 0 && externalId === null && email === null && phone === null) {
      this.fail('row', 'row.no_identifier', 'the line has no email, phone or external_id');
    }
    if (errors.length > 0) {
      for (const e of errors) out.error(e);
      out.rejected++;
      return;
    }

    // In-file duplicates (see the top of this file).
    if (!this.claimKeys(line, externalId, email, phone, out)) return;

    out.accept({
      line,
      externalId,
      kind,
      kindGiven: rawKind !== '',
      firstName,
      lastName,
      patronymic,
      companyName,
      position,
      email,
      phone,
      phoneExtension,
      birthday,
      timeZone,
      locale,
      tags,
      consentEmail,
      consentSms,
      source,
      registeredAt,
      attributes: readAttributes(record, this.mapping),
    });
  }

  /**
   * Registers the row's keys. False when its identity (the first of external_id, email, phone
   * it has) was used by an earlier row: the row is then a duplicate and claims nothing.
   */
  private claimKeys(
    line: number,
    externalId: string | null,
    email: string | null,
    phone: string | null,
    out: BatchCollector<CustomerImportRow>,
  ): boolean {
    const identity: IdentityField = externalId !== null ? 'external_id' : email !== null ? 'email' : 'phone';
    // An email already on an earlier row makes this row a copy whatever its identity.
    const emailLine = identity === 'external_id' && email !== null ? this.keys.get(email, KEY_KIND.email) : undefined;
    const firstLine = emailLine ?? this.keys.add((externalId ?? email ?? phone)!, line, KEY_KIND[identity]);
    if (firstLine !== line) {
      const field = emailLine !== undefined ? 'email' : identity;
      out.warning({
        line,
        field,
        code: 'duplicate',
        reason: `duplicate of line ${firstLine} (same ${field}); the first one is kept, this line is not imported`,
        otherLine: firstLine,
      });
      out.duplicates++;
      return false;
    }
    if (identity === 'external_id' && email !== null) this.keys.add(email, line, KEY_KIND.email);
    if (identity !== 'phone' && phone !== null) this.claimSecondary(line, 'phone', phone, out);
    return true;
  }

  private claimSecondary(line: number, field: IdentityField, value: string, out: BatchCollector<CustomerImportRow>): void {
    const holder = this.keys.add(value, line, KEY_KIND[field]);
    if (holder !== line) {
      out.warning({
        line,
        field,
        code: 'shared_contact',
        reason: `the same ${field} is on line ${holder}, a different customer`,
        otherLine: holder,
      });
    }
  }

  finish(): void {
    // Nothing is held back: every line is a whole customer.
  }
}

/**
 * Splits "Фамилия Имя Отчество" (the Russian ФИО order). Two words are last and first name;
 * one word is a first name; words past the third stay in the patronymic ("Гусейн оглы").
 */
export function splitFullName(fullName: string): { firstName: string | null; lastName: string | null; patronymic: string | null } {
  const words = fullName.split(' ').filter((w) => w !== '');
  if (words.length === 1) return { firstName: words[0], lastName: null, patronymic: null };
  return {
    lastName: words[0],
    firstName: words[1] ?? null,
    patronymic: words.length > 2 ? words.slice(2).join(' ') : null,
  };
}
