import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Prisma } from '../generated/prisma/client';
import type { CustomerKind } from '../generated/prisma/enums';

export interface CustomerListFilter {
  after?: number;
  limit: number;
  kind?: CustomerKind;
  email?: string;
  phone?: string;
  externalId?: string;
  tag?: string;
  companyId?: number;
  search?: string;
}

@Injectable()
export class CustomersRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Keyset pagination by id: stable and fast at any depth, unlike OFFSET. */
  list(filter: CustomerListFilter) {
    const where: Prisma.CustomerWhereInput = {
      erasedAt: null,
      id: filter.after !== undefined ? { gt: filter.after } : undefined,
      kind: filter.kind,
      email: filter.email,
      phone: filter.phone,
      externalId: filter.externalId,
      companyId: filter.companyId,
      tags: filter.tag ? { has: filter.tag } : undefined,
    };
    if (filter.search) {
      const contains = { contains: filter.search, mode: 'insensitive' as const };
      where.OR = [{ lastName: contains }, { firstName: contains }, { companyName: contains }, { email: contains }];
    }
    return this.prisma.customer.findMany({ where, orderBy: { id: 'asc' }, take: filter.limit });
  }

  get(id: number) {
    return this.prisma.customer.findUnique({
      where: { id },
      include: { consents: true, contacts: { select: { id: true, firstName: true, lastName: true, email: true, phone: true, position: true } } },
    });
  }
}
