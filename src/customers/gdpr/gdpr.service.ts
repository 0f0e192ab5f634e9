// Personal-data requests: export everything about a customer as JSON, and erase (anonymise
// the personal fields, keep the aggregates, keep a hashed suppression entry so the erased
// address is never mailed again, even if the customer is imported again later).
import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/domain-error';
import type { Channel } from '../../generated/prisma/enums';
import { SuppressionService } from '../suppression/suppression.service';
import { GdprRepository, type ErasureKey } from './gdpr.repository';

@Injectable()
export class GdprService {
  constructor(
    private readonly gdpr: GdprRepository,
    private readonly suppressions: SuppressionService,
  ) {}

  async export(customerId: number) {
    const data = await this.gdpr.collect(customerId);
    if (!data.customer || data.customer.erasedAt) throw DomainError.notFound('Customer', customerId);
    const keys = this.keysOf(data.customer);
    const byAddress = await this.gdpr.suppressionsFor(keys);
    const suppressions = [...data.suppressions, ...byAddress.filter((s) => !data.suppressions.some((own) => own.id === s.id))];
    return { exportedAt: new Date().toISOString(), ...data, suppressions };
  }

  async erase(customerId: number) {
    const customer = await this.gdpr.contacts(customerId);
    if (!customer) throw DomainError.notFound('Customer', customerId);
    if (customer.erasedAt)
      throw new DomainError('invalid_state', `Customer ${customerId} was erased on ${customer.erasedAt.toISOString()}`);
    const keys = this.keysOf(customer);
    await this.gdpr.erase(
      customerId,
      keys,
      [customer.email, customer.phone].filter((a): a is string => !!a),
    );
    return { id: customerId, erased: true, suppressed: keys.map((k) => k.channel) };
  }

  private keysOf(customer: { email: string | null; phone: string | null }): ErasureKey[] {
    const keys: ErasureKey[] = [];
    for (const [channel, address] of [
      ['email', customer.email],
      ['sms', customer.phone],
    ] as [Channel, string | null][]) {
      const key = address ? this.suppressions.keyOf(channel, address) : null;
      if (key) keys.push({ channel, addressHash: key.hash });
    }
    return keys;
  }
}
