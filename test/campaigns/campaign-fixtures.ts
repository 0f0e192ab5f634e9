// Small factories for campaign tests: customers with consent, suppressions, a segment by tag.
import { createHash } from 'node:crypto';
import type { PrismaService } from '../../src/database/prisma.service';
import type { SmtpSink, SunkMessage } from '../support/smtp-sink';

export interface FixtureCustomer {
  id: number;
  email: string;
  firstName: string;
}

export async function makeCustomers(
  prisma: PrismaService,
  tag: string,
  count: number,
  options: { consent?: 'opted_in' | 'opted_out' | 'pending' | null; locale?: string; prefix?: string } = {},
): Promise<FixtureCustomer[]> {
  const consent = options.consent === undefined ? 'opted_in' : options.consent;
  const prefix = options.prefix ?? tag;
  const made: FixtureCustomer[] = [];
  for (let i = 0; i < count; i++) {
    const firstName = `Имя${i}`;
    const email = `${prefix}.${i}@example.com`;
    const row = await prisma.customer.create({
      data: { firstName, lastName: 'Тестов', email, tags: [tag], locale: options.locale ?? 'ru', timeZone: 'Europe/Moscow' },
      select: { id: true },
    });
    if (consent) await prisma.consent.create({ data: { customerId: row.id, channel: 'email', status: consent, source: 'test' } });
    made.push({ id: row.id, email, firstName });
  }
  return made;
}

/** Many customers at once (crash and load tests): one INSERT ... SELECT generate_series. */
export async function makeManyCustomers(prisma: PrismaService, tag: string, count: number): Promise<void> {
  await prisma.$executeRawUnsafe(
    `INSERT INTO customers (first_name, last_name, email, tags, locale, time_zone, updated_at)
     SELECT 'Имя' || g, 'Тестов', $1 || '.' || g || '@example.com', ARRAY[$1], 'ru', 'Europe/Moscow', now()
       FROM generate_series(1, $2::int) g`,
    tag,
    count,
  );
  await prisma.$executeRawUnsafe(
    `INSERT INTO consents (customer_id, channel, status, source) SELECT id, 'email', 'opted_in', 'test' FROM customers WHERE $1 = ANY(tags)`,
    tag,
  );
}

export async function suppress(
  prisma: PrismaService,
  address: string,
  reason: 'hard_bounce' | 'complaint' | 'unsubscribe' | 'manual' = 'unsubscribe',
) {
  await prisma.suppression.create({
    data: { channel: 'email', address, addressHash: createHash('sha256').update(address).digest('hex'), reason, source: 'test' },
  });
}

export async function segmentByTag(prisma: PrismaService, tag: string): Promise<number> {
  const segment = await prisma.segment.create({ data: { name: `tag ${tag}`, rules: { field: 'tags', op: 'has', value: tag } } });
  return segment.id;
}

export async function templateId(prisma: PrismaService, key: string, channel: 'email' | 'sms' = 'email'): Promise<number> {
  const template = await prisma.template.findFirst({ where: { key, channel }, select: { id: true } });
  if (!template) throw new Error(`template ${key} is not loaded`);
  return template.id;
}

/** What the sink received of the messages of a campaign or a run, matched by message id. */
export async function receivedAt(
  prisma: PrismaService,
  sink: SmtpSink,
  where: { campaignId: number } | { runId: number },
): Promise<SunkMessage[]> {
  const ids = new Set((await prisma.message.findMany({ where, select: { id: true } })).map((m) => String(m.id)));
  return sink.messages.filter((m) => m.otklikId !== null && ids.has(m.otklikId));
}
