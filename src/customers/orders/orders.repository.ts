import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service';
import type { Prisma } from '../../generated/prisma/client';
import type { OrderStatus } from '../../generated/prisma/enums';
import { LOCK_CUSTOMERS_SQL, RECOMPUTE_DERIVED_SQL } from './derived-fields.sql';
import type { OrderItemValues, OrderValues } from './order-input';

type Tx = Prisma.TransactionClient;

export interface OrderListFilter {
  customerId?: number;
  status?: OrderStatus;
  after?: number;
  limit: number;
}

const WITH_ITEMS = { items: { orderBy: { id: 'asc' } } } as const;

/**
 * Every write locks the customer first and recomputes its derived fields before committing,
 * so order count, sum and first/last order dates never drift from the orders.
 */
@Injectable()
export class OrdersRepository {
  constructor(private readonly prisma: PrismaService) {}

  get(id: number) {
    return this.prisma.order.findUnique({ where: { id }, include: WITH_ITEMS });
  }

  list(filter: OrderListFilter) {
    return this.prisma.order.findMany({
      where: { customerId: filter.customerId, status: filter.status, id: filter.after !== undefined ? { gt: filter.after } : undefined },
      orderBy: { id: 'asc' },
      take: filter.limit,
      include: WITH_ITEMS,
    });
  }

  /** A customer's latest orders, newest first (the (customer_id, ordered_at) index). */
  recentOf(customerId: number, limit: number) {
    return this.prisma.order.findMany({
      where: { customerId },
      orderBy: [{ orderedAt: 'desc' }, { id: 'desc' }],
      take: limit,
      select: { id: true, externalId: true, status: true, total: true, currency: true, orderedAt: true },
    });
  }

  findByExternalId(externalId: string) {
    return this.prisma.order.findUnique({ where: { externalId }, select: { id: true } });
  }

  create(customerId: number, externalId: string | null, values: OrderValues) {
    return this.withCustomerLocked([customerId], async (tx) => {
      const { items, attributes, ...fields } = values;
      return tx.order.create({
        data: {
          ...fields,
          customerId,
          externalId,
          attributes: (attributes ?? {}) as Prisma.InputJsonObject,
          items: { create: items ?? [] },
        },
        include: WITH_ITEMS,
      });
    });
  }

  update(id: number, customerId: number, values: OrderValues) {
    return this.withCustomerLocked([customerId], async (tx) => {
      const { items, attributes, ...fields } = values;
      if (items) await this.replaceItems(tx, id, items);
      return tx.order.update({
        where: { id },
        data: { ...fields, attributes: attributes as Prisma.InputJsonObject | undefined },
        include: WITH_ITEMS,
      });
    });
  }

  async delete(id: number, customerId: number): Promise<void> {
    await this.withCustomerLocked([customerId], (tx) => tx.order.delete({ where: { id } }));
  }

  private async replaceItems(tx: Tx, orderId: number, items: OrderItemValues[]): Promise<void> {
    await tx.orderItem.deleteMany({ where: { orderId } });
    await tx.orderItem.createMany({ data: items.map((item) => ({ ...item, orderId })) });
  }

  private async withCustomerLocked<T>(customerIds: number[], write: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$queryRawUnsafe(LOCK_CUSTOMERS_SQL, customerIds);
      const result = await write(tx);
      await tx.$executeRawUnsafe(RECOMPUTE_DERIVED_SQL, customerIds);
      return result;
    });
  }
}
