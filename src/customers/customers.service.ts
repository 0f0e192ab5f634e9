import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { CustomerListFilter, CustomersRepository } from './customers.repository';

@Injectable()
export class CustomersService {
  constructor(private readonly customers: CustomersRepository) {}

  async list(filter: CustomerListFilter) {
    const items = await this.customers.list(filter);
    const last = items[items.length - 1];
    return { items, next: items.length === filter.limit && last ? String(last.id) : null };
  }

  async get(id: number) {
    const customer = await this.customers.get(id);
    if (!customer || customer.erasedAt) throw DomainError.notFound('Customer', id);
    return customer;
  }
}
