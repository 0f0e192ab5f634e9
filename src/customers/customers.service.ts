import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { CountryCode } from 'libphonenumber-js';
import { DomainError } from '../common/domain-error';
import type { AppConfig } from '../config/config.module';
import type { Prisma } from '../generated/prisma/client';
import type { Channel } from '../generated/prisma/enums';
import { ConsentService } from './consent/consent.service';
import { normaliseEmail, normalisePhone, phoneRegion } from './contact-normalise';
import { normaliseCustomerFields, withPhoneExtension, type CustomerFields } from './customer-input';
import { customerSearch } from './customer-search';
import { CustomersRepository, type NewConsent } from './customers.repository';
import type { CreateCustomerBody, CustomerFieldsBody, CustomerListQuery } from './dto/customer.dto';
import { EMAIL_REASONS, PHONE_REASONS } from './csv/issue-messages';
import { keysetPage } from './keyset-page';
import { SuppressionService } from './suppression/suppression.service';

@Injectable()
export class CustomersService {
  private readonly region: CountryCode;
  private readonly defaults: { timeZone: string; locale: string };

  constructor(
    private readonly customers: CustomersRepository,
    private readonly consent: ConsentService,
    private readonly suppressions: SuppressionService,
    @Inject(ConfigService) config: AppConfig,
  ) {
    this.region = phoneRegion(config.get('DEFAULT_PHONE_REGION', { infer: true }));
    this.defaults = { timeZone: config.get('DEFAULT_TIME_ZONE', { infer: true }), locale: config.get('DEFAULT_LOCALE', { infer: true }) };
  }

  /** `q` (or its older name `search`): see customer-search.ts for what it matches. */
  async list(query: CustomerListQuery) {
    const { q, search, ...filter } = query;
    const text = q ?? search;
    const items = await this.customers.list({
      ...filter,
      ...this.normalisedKeys(filter, 'query'),
      search: text === undefined ? undefined : customerSearch(text, this.region),
    });
    return keysetPage(items, filter.limit);
  }

  /** One customer with its consents, contacts (for a company) and suppression state per channel. */
  async get(id: number) {
    const customer = await this.customers.get(id);
    if (!customer || customer.erasedAt) throw DomainError.notFound('Customer', id);
    const [email, sms] = await Promise.all([
      customer.email ? this.suppressions.suppressionOf('email', customer.email) : null,
      customer.phone ? this.suppressions.suppressionOf('sms', customer.phone) : null,
    ]);
    return { ...customer, suppressed: { email: email?.reason ?? null, sms: sms?.reason ?? null } };
  }

  /** Live customers with this email, phone or external id, written in any form. */
  async lookup(key: { email?: string; phone?: string; externalId?: string }) {
    const normalised = this.normalisedKeys(key, 'query');
    return { items: await this.customers.findBy({ externalId: key.externalId, ...normalised }) };
  }

  async create(body: CreateCustomerBody, source: string) {
    const { consents, ...input } = body;
    const fields = this.normalise(input);
    const kind = fields.kind ?? 'person';
    if (kind === 'company' && !fields.companyName)
      throw DomainError.validation([{ path: 'companyName', message: 'a company needs a name' }]);
    if (kind === 'person' && !fields.email && !fields.phone && !fields.externalId) {
      throw DomainError.validation([{ path: '(body)', message: 'a customer needs an email, a phone or an externalId' }]);
    }
    await this.checkCompany(fields.companyId, kind);
    await this.checkUnique(fields);
    const consentRows = this.consentRows(consents, fields, source);
    const { phoneExtension: _extension, ...data } = fields;
    const created = await this.customers.create(
      {
        ...data,
        kind,
        timeZone: fields.timeZone ?? this.defaults.timeZone,
        locale: fields.locale ?? this.defaults.locale,
        source: fields.source ?? null,
        attributes: withPhoneExtension(fields.attributes ?? {}, fields) as Prisma.InputJsonObject,
      },
      consentRows,
    );
    // A new customer has one pending event at most: 0 stands in for its id in the job id.
    if (consentRows.some((c) => c.channel === 'email' && c.status === 'pending')) await this.consent.enqueueConfirmation(created.id, 0);
    return this.get(created.id);
  }

  async update(id: number, body: CustomerFieldsBody) {
    const current = await this.customers.head(id);
    if (!current || current.erasedAt) throw DomainError.notFound('Customer', id);
    const fields = this.normalise(body);
    if (fields.kind === 'person' && current.kind === 'company' && current._count.contacts > 0) {
      throw new DomainError('invalid_state', `Customer ${id} is a company with ${current._count.contacts} contacts; move them first`);
    }
    if (fields.companyId === id) throw DomainError.validation([{ path: 'companyId', message: 'a customer cannot be its own company' }]);
    await this.checkCompany(fields.companyId, fields.kind ?? current.kind);
    await this.checkUnique(fields, id);
    const { phoneExtension: _extension, attributes, ...data } = fields;
    const nextAttributes = withPhoneExtension(attributes ?? (current.attributes as Record<string, unknown>), fields);
    // An address that changes has not bounced yet.
    const validity = {
      ...(data.email !== undefined && data.email !== current.email ? { emailValid: true } : {}),
      ...(data.phone !== undefined && data.phone !== current.phone ? { phoneValid: true } : {}),
    };
    await this.customers.update(id, { ...data, ...validity, attributes: nextAttributes as Prisma.InputJsonObject });
    return this.get(id);
  }

  async delete(id: number): Promise<void> {
    if (!(await this.customers.delete(id))) throw DomainError.notFound('Customer', id);
  }

  async contacts(companyId: number) {
    await this.company(companyId);
    return { items: await this.customers.contactsOf(companyId) };
  }

  async createContact(companyId: number, body: CreateCustomerBody, source: string) {
    await this.company(companyId);
    if (body.kind === 'company') throw DomainError.validation([{ path: 'kind', message: 'a contact is a person' }]);
    return this.create({ ...body, kind: 'person', companyId }, source);
  }

  private async company(id: number) {
    const company = await this.customers.head(id);
    if (!company || company.erasedAt) throw DomainError.notFound('Customer', id);
    if (company.kind !== 'company') throw new DomainError('invalid_state', `Customer ${id} is a person, not a company`);
    return company;
  }

  private normalise(body: CustomerFieldsBody): CustomerFields {
    const result = normaliseCustomerFields(body, { region: this.region });
    if (!result.ok) throw DomainError.validation(result.issues);
    return result.value;
  }

  /** Email and phone filters in the stored form; a value that is no address is a 400 naming it. */
  private normalisedKeys(key: { email?: string; phone?: string }, root: string): { email?: string; phone?: string } {
    const out: { email?: string; phone?: string } = {};
    if (key.email !== undefined) {
      const r = normaliseEmail(key.email);
      if (!r.ok) throw DomainError.validation([{ path: `${root}.email`, message: EMAIL_REASONS[r.reason] }]);
      out.email = r.value;
    }
    if (key.phone !== undefined) {
      const r = normalisePhone(key.phone, this.region);
      if (!r.ok) throw DomainError.validation([{ path: `${root}.phone`, message: PHONE_REASONS[r.reason] }]);
      out.phone = r.value.e164;
    }
    return out;
  }

  private async checkCompany(companyId: number | null | undefined, kind: string): Promise<void> {
    if (companyId === undefined || companyId === null) return;
    if (kind === 'company') throw DomainError.validation([{ path: 'companyId', message: 'a company cannot belong to another company' }]);
    const company = await this.customers.head(companyId);
    if (!company || company.erasedAt)
      throw DomainError.validation([{ path: 'companyId', message: `customer ${companyId} does not exist` }]);
    if (company.kind !== 'company')
      throw DomainError.validation([{ path: 'companyId', message: `customer ${companyId} is a person, not a company` }]);
  }

  /** External ids are unique; so are emails among live customers (a second one would be a duplicate). */
  private async checkUnique(fields: CustomerFields, exceptId?: number): Promise<void> {
    for (const field of ['externalId', 'email'] as const) {
      const value = fields[field];
      if (!value) continue;
      const holder = await this.customers.findHolder(field, value, exceptId);
      if (holder !== null) {
        throw new DomainError(
          'conflict',
          `${field}: customer ${holder} already has ${field === 'email' ? 'this email' : `external id ${value}`}`,
          [{ path: field, message: `already used by customer ${holder}` }],
        );
      }
    }
  }

  private consentRows(consents: CreateCustomerBody['consents'], fields: CustomerFields, source: string): NewConsent[] {
    const rows: NewConsent[] = [];
    for (const channel of ['email', 'sms'] as const satisfies readonly Channel[]) {
      const input = consents?.[channel];
      if (!input) continue;
      if (!(channel === 'email' ? fields.email : fields.phone)) {
        throw DomainError.validation([{ path: `consents.${channel}`, message: `needs ${channel === 'email' ? 'an email' : 'a phone'}` }]);
      }
      if (channel === 'sms' && input.status === 'pending') {
        throw DomainError.validation([{ path: 'consents.sms.status', message: 'pending (double opt-in) is only available for email' }]);
      }
      rows.push({
        channel,
        status: input.status,
        source: input.source ?? source,
        proofIp: input.proofIp ?? null,
        proofForm: input.proofForm ?? null,
      });
    }
    return rows;
  }
}
