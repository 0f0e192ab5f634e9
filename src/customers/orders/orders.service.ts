import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { CountryCode } from 'libphonenumber-js';
import { DomainError } from '../../common/domain-error';
import type { AppConfig } from '../../config/config.module';
import { normaliseEmail, normalisePhone, phoneRegion } from '../contact-normalise';
import { CustomersRepository } from '../customers.repository';
import type { CreateOrderBody, UpdateOrderBody } from '../dto/order.dto';
import { EMAIL_REASONS, PHONE_REASONS } from '../csv/issue-messages';
import { keysetPage } from '../keyset-page';
import { normaliseOrderValues, type OrderValues } from './order-input';
import { OrdersRepository, type OrderListFilter } from './orders.repository';

@Injectable()
export class OrdersService {
  private readonly region: CountryCode;

  constructor(
    private readonly orders: OrdersRepository,
    private readonly customers: CustomersRepository,
    @Inject(ConfigService) config: AppConfig,
  ) {
    this.region = phoneRegion(config.get('DEFAULT_PHONE_REGION', { infer: true }));
  }

  async get(id: number) {
    const order = await this.orders.get(id);
    if (!order) throw DomainError.notFound('Order', id);
    return order;
  }

  async list(filter: OrderListFilter) {
    const items = await this.orders.list(filter);
    return keysetPage(items, filter.limit);
  }

  /** A customer's latest orders, newest first (the customer card). */
  recentOf(customerId: number, limit = 10) {
    return this.orders.recentOf(customerId, limit);
  }

  async create(body: CreateOrderBody) {
    const customerId = await this.resolveCustomer(body);
    if (body.externalId !== undefined && (await this.orders.findByExternalId(body.externalId))) {
      throw new DomainError('conflict', `externalId: an order with external id ${body.externalId} exists`, [
        { path: 'externalId', message: 'already used' },
      ]);
    }
    return this.orders.create(customerId, body.externalId ?? null, this.values(body, true));
  }

  async update(id: number, body: UpdateOrderBody) {
    const order = await this.get(id);
    return this.orders.update(id, order.customerId, this.values(body, false));
  }

  async delete(id: number): Promise<void> {
    const order = await this.get(id);
    await this.orders.delete(id, order.customerId);
  }

  /**
   * The checks of create (`creating`) or update on an order's own fields, without writing: a
   * 400 naming each bad field. For callers that must know a request is good before they write
   * anything else (an order event creates its customer first).
   */
  checkFields(body: UpdateOrderBody, creating: boolean): void {
    this.values(body, creating);
  }

  private values(body: UpdateOrderBody, creating: boolean): OrderValues {
    const result = normaliseOrderValues(body, creating);
    if (!result.ok) throw DomainError.validation(result.issues);
    return result.value;
  }

  /** The one live customer the request names; a 400 naming the field when there is none or several. */
  private async resolveCustomer(body: CreateOrderBody): Promise<number> {
    const fail = (path: string, message: string) => DomainError.validation([{ path, message }]);
    if (body.customerId !== undefined) {
      const customer = await this.customers.head(body.customerId);
      if (!customer || customer.erasedAt) throw fail('customerId', `customer ${body.customerId} does not exist`);
      return customer.id;
    }
    let path: string;
    let key: { externalId?: string; email?: string; phone?: string };
    if (body.customerExternalId !== undefined) {
      path = 'customerExternalId';
      key = { externalId: body.customerExternalId };
    } else if (body.customerEmail !== undefined) {
      path = 'customerEmail';
      const r = normaliseEmail(body.customerEmail);
      if (!r.ok) throw fail(path, EMAIL_REASONS[r.reason]);
      key = { email: r.value };
    } else {
      path = 'customerPhone';
      const r = normalisePhone(body.customerPhone!, this.region);
      if (!r.ok) throw fail(path, PHONE_REASONS[r.reason]);
      key = { phone: r.value.e164 };
    }
    const found = await this.customers.findBy(key, 2);
    if (found.length === 0) throw fail(path, 'no customer has it');
    if (found.length > 1)
      throw fail(path, `several customers have it (${found.map((c) => c.id).join(', ')}); name the customer by customerId`);
    return found[0].id;
  }
}
