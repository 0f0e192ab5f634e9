import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service';
import type { Channel } from '../../generated/prisma/enums';

export interface ErasureKey {
  channel: Channel;
  addressHash: string;
}

// What erasure does to each table that can hold personal data about the customer ($1). The
// customer row stays, anonymised, with its aggregates (order count and sum, dates, scores), so
// reports keep adding up; orders and their items stay as anonymous sales.
const ANONYMISE_SQL = [
  `UPDATE customers SET external_id = NULL, first_name = NULL, patronymic = NULL, last_name = NULL, company_name = NULL,
          position = NULL, email = NULL, email_valid = false, phone = NULL, phone_valid = false, birthday = NULL,
          source = NULL, tags = '{}', attributes = '{}', erased_at = now(), updated_at = now()
    WHERE id = $1`,
  'DELETE FROM consents WHERE customer_id = $1',
  'DELETE FROM consent_events WHERE customer_id = $1',
  `UPDATE orders SET tracking_number = NULL, attributes = '{}' WHERE customer_id = $1`,
  'UPDATE messages SET to_address = NULL, data = NULL WHERE customer_id = $1',
  'UPDATE tracking_events SET ip = NULL, user_agent = NULL WHERE customer_id = $1',
  'UPDATE bounces SET address = NULL, diagnostic = NULL WHERE customer_id = $1',
  `UPDATE inbound_messages SET raw = ''::bytea, raw_size = 0, envelope_from = NULL, envelope_to = NULL, from_address = NULL,
          subject = NULL, classification = NULL, error = NULL
    WHERE customer_id = $1`,
  'UPDATE leads SET from_address = NULL, subject = NULL, text = NULL WHERE customer_id = $1',
  'UPDATE complaints SET text = NULL WHERE customer_id = $1',
  `UPDATE cleanup_log SET address = NULL, details = '{}' WHERE customer_id = $1`,
  `UPDATE customer_events SET properties = '{}' WHERE customer_id = $1`,
  'UPDATE suppressions SET address = NULL WHERE customer_id = $1',
];

@Injectable()
export class GdprRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Everything stored about one customer, for a subject access request. */
  async collect(customerId: number) {
    const p = this.prisma;
    const where = { customerId };
    const [
      customer,
      consents,
      consentHistory,
      orders,
      messages,
      trackingEvents,
      bounces,
      complaints,
      inbound,
      leads,
      events,
      cleanup,
      suppressions,
    ] = await Promise.all([
      p.customer.findUnique({ where: { id: customerId }, include: { company: { select: { id: true, companyName: true } } } }),
      p.consent.findMany({ where }),
      p.consentEvent.findMany({ where, orderBy: { at: 'asc' } }),
      p.order.findMany({ where, orderBy: { orderedAt: 'asc' }, include: { items: true } }),
      p.message.findMany({ where, orderBy: { id: 'asc' } }),
      p.trackingEvent.findMany({ where, orderBy: { at: 'asc' } }),
      p.bounce.findMany({ where, orderBy: { at: 'asc' } }),
      p.complaint.findMany({ where, orderBy: { createdAt: 'asc' } }),
      p.inboundMessage.findMany({ where, orderBy: { receivedAt: 'asc' }, omit: { raw: true } }),
      p.lead.findMany({ where, orderBy: { createdAt: 'asc' } }),
      p.customerEvent.findMany({ where, orderBy: { at: 'asc' } }),
      p.cleanupLogEntry.findMany({ where, orderBy: { createdAt: 'asc' } }),
      p.suppression.findMany({ where, orderBy: { createdAt: 'asc' } }),
    ]);
    return {
      customer,
      consents,
      consentHistory,
      orders,
      messages,
      trackingEvents,
      bounces,
      complaints,
      inbound,
      leads,
      events,
      cleanup,
      suppressions,
    };
  }

  /** What erasure needs to know first. */
  contacts(customerId: number) {
    return this.prisma.customer.findUnique({ where: { id: customerId }, select: { email: true, phone: true, erasedAt: true } });
  }

  /** Suppression entries held for these addresses (any customer), by hash. */
  suppressionsFor(keys: ErasureKey[]) {
    if (keys.length === 0) return Promise.resolve([]);
    return this.prisma.suppression.findMany({ where: { OR: keys.map((k) => ({ channel: k.channel, addressHash: k.addressHash })) } });
  }

  /**
   * Anonymises the customer everywhere and keeps each of its addresses on the suppression list
   * as a hash only, in one transaction. The customer row is locked first.
   */
  async erase(customerId: number, keys: ErasureKey[], outboxAddresses: string[]): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.$queryRawUnsafe('SELECT id FROM customers WHERE id = $1 FOR UPDATE', customerId);
      for (const key of keys) {
        await tx.$executeRawUnsafe(
          `INSERT INTO suppressions (channel, address_hash, address, reason, source, customer_id)
           VALUES ($1::"Channel", $2, NULL, 'erased', 'erasure request', $3)
           ON CONFLICT (channel, address_hash) DO UPDATE SET address = NULL`,
          key.channel,
          key.addressHash,
          customerId,
        );
      }
      // Captured copies of messages to this customer hold whole letters: they go.
      if (outboxAddresses.length)
        await tx.$executeRawUnsafe('DELETE FROM outbox_messages WHERE to_address = ANY($1::text[])', outboxAddresses);
      for (const sql of ANONYMISE_SQL) await tx.$executeRawUnsafe(sql, customerId);
    });
  }
}
