import { Injectable } from '@nestjs/common';
import { escapeLike } from '../common/like-pattern';
import { PrismaService } from '../database/prisma.service';
import type { Prisma } from '../generated/prisma/client';
import type { Channel, ConsentStatus, CustomerKind } from '../generated/prisma/enums';
import type { CustomerSearch } from './customer-search';

export interface CustomerListFilter {
  after?: number;
  limit: number;
  kind?: CustomerKind;
  email?: string;
  phone?: string;
  externalId?: string;
  tag?: string;
  companyId?: number;
  search?: CustomerSearch;
}

const NAME_FIELDS = ['firstName', 'lastName', 'patronymic', 'companyName'] as const;

export interface NewConsent {
  channel: Channel;
  status: ConsentStatus;
  source: string | null;
  proofIp: string | null;
  proofForm: string | null;
}

const CONTACT_FIELDS = { id: true, firstName: true, lastName: true, patronymic: true, email: true, phone: true, position: true } as const;
const LIVE = { erasedAt: null } as const;

@Injectable()
export class CustomersRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Keyset pagination by id: stable and fast at any depth, unlike OFFSET. */
  list(filter: CustomerListFilter) {
    const where: Prisma.CustomerWhereInput = {
      ...LIVE,
      id: filter.after !== undefined ? { gt: filter.after } : undefined,
      kind: filter.kind,
      email: filter.email,
      phone: filter.phone,
      externalId: filter.externalId,
      companyId: filter.companyId,
      tags: filter.tag ? { has: filter.tag } : undefined,
    };
    if (filter.search) where.OR = searchConditions(filter.search);
    return this.prisma.customer.findMany({
      where,
      orderBy: { id: 'asc' },
      take: filter.limit,
      // A contact's company by name, for lists that show it.
      include: { company: { select: { id: true, companyName: true } } },
    });
  }

  get(id: number) {
    return this.prisma.customer.findUnique({
      where: { id },
      include: {
        consents: { omit: { customerId: true } },
        company: { select: { id: true, companyName: true, erasedAt: true } },
        contacts: { where: LIVE, select: CONTACT_FIELDS, orderBy: { id: 'asc' } },
      },
    });
  }

  /** Kind and state of a customer, for checks (is it a company, is it erased). */
  head(id: number) {
    return this.prisma.customer.findUnique({
      where: { id },
      select: { id: true, kind: true, erasedAt: true, email: true, phone: true, attributes: true, _count: { select: { contacts: true } } },
    });
  }

  /** Live customers with this normalised email, phone or external id (lookup). */
  findBy(key: { email?: string; phone?: string; externalId?: string }, limit = 100) {
    return this.prisma.customer.findMany({ where: { ...LIVE, ...key }, orderBy: { id: 'asc' }, take: limit });
  }

  /** The first customer other than `exceptId` holding this external id or (live) email. */
  async findHolder(field: 'externalId' | 'email', value: string, exceptId?: number): Promise<number | null> {
    const where: Prisma.CustomerWhereInput = field === 'externalId' ? { externalId: value } : { ...LIVE, email: value };
    if (exceptId !== undefined) where.id = { not: exceptId };
    const found = await this.prisma.customer.findFirst({ where, select: { id: true }, orderBy: { id: 'asc' } });
    return found?.id ?? null;
  }

  /** The customer and its first consents in one transaction, each consent with its history event. */
  create(data: Prisma.CustomerUncheckedCreateInput, consents: NewConsent[]) {
    const at = new Date();
    return this.prisma.customer.create({
      data: {
        ...data,
        consents: { create: consents.map((c) => ({ ...c, at })) },
        consentEvents: { create: consents.map((c) => ({ ...c, at })) },
      },
    });
  }

  update(id: number, data: Prisma.CustomerUncheckedUpdateInput) {
    return this.prisma.customer.update({ where: { id }, data });
  }

  /** Deletes the row; its orders and consents go with it, messages and events keep a null customer. */
  async delete(id: number): Promise<boolean> {
    const result = await this.prisma.customer.deleteMany({ where: { id } });
    return result.count > 0;
  }

  contactsOf(companyId: number) {
    return this.prisma.customer.findMany({ where: { ...LIVE, companyId }, orderBy: { id: 'asc' } });
  }
}

/**
 * See customer-search.ts; each ILIKE has a trigram index (prisma/schema.prisma), the external id
 * its unique one. A word may also match the name of the company a contact belongs to (the
 * company row's trigram index, then the contacts' company_id index).
 */
function searchConditions(search: CustomerSearch): Prisma.CustomerWhereInput[] {
  const contains = (text: string) => ({ contains: escapeLike(text), mode: 'insensitive' as const });
  const or: Prisma.CustomerWhereInput[] = [{ externalId: search.text }];
  if (search.words.length > 0) {
    or.push({
      AND: search.words.map((word) => ({
        OR: [...NAME_FIELDS.map((field) => ({ [field]: contains(word) })), { company: { companyName: contains(word) } }],
      })),
    });
    if (search.words.length === 1) or.push({ email: contains(search.text) });
  }
  if (search.phone) or.push({ phone: search.phone });
  for (const digits of search.phoneDigits) or.push({ phone: { contains: digits } });
  return or;
}
