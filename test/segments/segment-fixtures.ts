// A fixed little customer base for segment tests: each customer is there to sit on one edge
// (time zones, 29 February, consent, suppression, cancelled orders, bots, erased rows...).
// Times are relative to NOW, which the tests pin when they evaluate rules.
import { createHash } from 'node:crypto';
import type { PrismaService } from '../../src/database/prisma.service';

/** Sunday 14 March 2027, 20:30 UTC: already Monday 15 March 06:30 in Vladivostok, still 22:30 on the 14th in Kaliningrad. */
export const NOW = new Date('2027-03-14T20:30:00Z');
const DAY = 86_400_000;
const daysAgo = (n: number, from = NOW) => new Date(from.getTime() - n * DAY);
const hash = (address: string) => createHash('sha256').update(address, 'utf8').digest('hex');

type Consent = 'opted_in' | 'opted_out' | 'pending';

interface Spec {
  timeZone?: string;
  locale?: string;
  kind?: 'person' | 'company';
  companyOf?: string;
  firstName?: string;
  companyName?: string;
  email?: string | null;
  emailValid?: boolean;
  phone?: string | null;
  birthday?: string | null;
  tags?: string[];
  attributes?: Record<string, unknown>;
  registeredDaysAgo?: number;
  emailConsent?: Consent;
  smsConsent?: Consent;
  erased?: boolean;
  scores?: { rfmGroup: string; rfmCell: string; abc: string; xyz: string | null; rating: string };
}

/** Keys of the customers, in insertion (id) order. */
export const CUSTOMERS = {
  vlad_bday15: { timeZone: 'Asia/Vladivostok', birthday: '1990-03-15', emailConsent: 'opted_in', registeredDaysAgo: 800 },
  kali_bday15: { timeZone: 'Europe/Kaliningrad', birthday: '1990-03-15', emailConsent: 'opted_in', registeredDaysAgo: 800 },
  kali_bday14: { timeZone: 'Europe/Kaliningrad', birthday: '1985-03-14', registeredDaysAgo: 800 },
  vlad_bday14: { timeZone: 'Asia/Vladivostok', birthday: '1985-03-14', registeredDaysAgo: 800 },
  leap_msk: { timeZone: 'Europe/Moscow', birthday: '1996-02-29', registeredDaysAgo: 800 },
  leap_vlad: { timeZone: 'Asia/Vladivostok', birthday: '2000-02-29', registeredDaysAgo: 800 },
  feb28: { timeZone: 'Europe/Moscow', birthday: '1990-02-28', registeredDaysAgo: 800 },
  ru_vip: {
    tags: ['vip', 'newsletter'],
    attributes: { city: 'Омск', level: 3, vip: true },
    emailConsent: 'opted_in',
    smsConsent: 'opted_out',
    phone: '+79990000008',
    registeredDaysAgo: 500,
    scores: { rfmGroup: 'champions', rfmCell: '554', abc: 'A', xyz: 'X', rating: 'A' },
  },
  en_plain: {
    locale: 'en',
    timeZone: 'Europe/London',
    attributes: { city: 'London', level: '3' },
    emailConsent: 'pending',
    registeredDaysAgo: 30,
    scores: { rfmGroup: 'lost', rfmCell: '111', abc: 'C', xyz: 'Z', rating: 'E' },
  },
  company: {
    kind: 'company',
    companyName: 'ООО «Вектор»',
    firstName: undefined,
    tags: ['b2b'],
    emailConsent: 'opted_in',
    registeredDaysAgo: 100,
    scores: { rfmGroup: 'at_risk', rfmCell: '245', abc: 'A', xyz: 'Y', rating: 'C' },
  },
  contact: { companyOf: 'company', tags: ['b2b'], phone: '+79990000011', emailConsent: 'opted_in', registeredDaysAgo: 100 },
  suppressed: { emailConsent: 'opted_in', registeredDaysAgo: 10 },
  invalid: { emailValid: false, emailConsent: 'opted_in', registeredDaysAgo: 10 },
  erased: { tags: ['vip'], emailConsent: 'opted_in', erased: true, registeredDaysAgo: 10 },
  no_email: { email: null, phone: '+79990000015', smsConsent: 'opted_in', registeredDaysAgo: 5 },
  hostile: { firstName: "O'Brien'; DROP TABLE customers; --", attributes: { note: "x' OR '1'='1" }, registeredDaysAgo: 365 },
} satisfies Record<string, Spec>;

export type Key = keyof typeof CUSTOMERS;
export type Ids = Record<Key, number>;

/** Inserts the base; returns each key's customer id plus the two campaign ids. */
export async function seedSegmentBase(prisma: PrismaService): Promise<{ ids: Ids; campaigns: [number, number] }> {
  const ids = {} as Ids;
  for (const [key, raw] of Object.entries(CUSTOMERS) as Array<[Key, Spec]>) {
    const spec = raw;
    const email = spec.email === undefined ? `${key}@example.com` : spec.email;
    const row = await prisma.customer.create({
      data: {
        kind: spec.kind ?? 'person',
        companyId: spec.companyOf ? ids[spec.companyOf as Key] : null,
        firstName: 'firstName' in spec ? spec.firstName : key,
        companyName: spec.companyName,
        email,
        emailValid: spec.emailValid ?? true,
        phone: spec.phone ?? null,
        birthday: spec.birthday ? new Date(`${spec.birthday}T00:00:00Z`) : null,
        timeZone: spec.timeZone ?? 'Europe/Moscow',
        locale: spec.locale ?? 'ru',
        tags: spec.tags ?? [],
        attributes: (spec.attributes ?? {}) as object,
        registeredAt: daysAgo(spec.registeredDaysAgo ?? 100),
        erasedAt: spec.erased ? daysAgo(1) : null,
        ...(spec.scores
          ? {
              rfmGroup: spec.scores.rfmGroup,
              rfmCell: spec.scores.rfmCell,
              abcClass: spec.scores.abc,
              xyzClass: spec.scores.xyz,
              rating: spec.scores.rating,
            }
          : {}),
      },
      select: { id: true },
    });
    ids[key] = row.id;
    if (spec.emailConsent) await prisma.consent.create({ data: { customerId: row.id, channel: 'email', status: spec.emailConsent } });
    if (spec.smsConsent) await prisma.consent.create({ data: { customerId: row.id, channel: 'sms', status: spec.smsConsent } });
  }
  await prisma.suppression.create({
    data: { channel: 'email', address: 'suppressed@example.com', addressHash: hash('suppressed@example.com'), reason: 'hard_bounce' },
  });
  // An erased customer's address stays suppressed by its hash alone.
  await prisma.suppression.create({ data: { channel: 'sms', address: null, addressHash: hash('+79990000015'), reason: 'erased' } });

  const order = (key: Key, days: number, total: number, products: string[], status: 'delivered' | 'cancelled' = 'delivered') =>
    prisma.order.create({
      data: {
        customerId: ids[key],
        total,
        status,
        orderedAt: daysAgo(days),
        items: { create: products.map((productId) => ({ productId, price: total / products.length })) },
      },
    });
  await order('ru_vip', 10, 1500, ['SKU-1']);
  await order('ru_vip', 40, 2500, ['SKU-2', 'SKU-3']);
  await order('ru_vip', 400, 1000, ['SKU-2']);
  await order('ru_vip', 5, 9999, ['SKU-9'], 'cancelled');
  await order('en_plain', 200, 500, ['SKU-1']);
  await order('company', 20, 10000, ['SKU-5']);
  await order('company', 25, 10000, ['SKU-5']);
  await order('hostile', 3, 10, ["SKU-'x"], 'cancelled');
  // Derived fields as the customers module keeps them: every order counts, cancelled ones too.
  await prisma.$executeRawUnsafe(`
    UPDATE customers c SET order_count = a.n, order_sum = a.s, first_order_at = a.f, last_order_at = a.l
      FROM (SELECT customer_id, count(*)::int AS n, sum(total) AS s, min(ordered_at) AS f, max(ordered_at) AS l FROM orders GROUP BY customer_id) a
     WHERE c.id = a.customer_id`);

  const template = await prisma.template.create({ data: { key: `segments-test-${Date.now()}`, name: 'Segments test', channel: 'email' } });
  const c1 = await prisma.campaign.create({ data: { name: 'Spring sale', channel: 'email', templateId: template.id } });
  const c2 = await prisma.campaign.create({ data: { name: 'SMS promo', channel: 'sms', templateId: template.id } });
  const message = (key: Key, campaignId: number, channel: 'email' | 'sms', status: 'delivered' | 'sent' | 'failed', days: number) =>
    prisma.message.create({ data: { customerId: ids[key], campaignId, channel, status, sentAt: daysAgo(days) }, select: { id: true } });
  const vipMessage = await message('ru_vip', c1.id, 'email', 'delivered', 3);
  await message('en_plain', c2.id, 'sms', 'sent', 50);
  await message('company', c1.id, 'email', 'failed', 3);
  const contactMessage = await message('contact', c1.id, 'email', 'delivered', 3);
  const enMessage = await message('en_plain', c1.id, 'email', 'delivered', 3);
  const track = (key: Key, messageId: bigint, type: 'open' | 'click', isBot: boolean) =>
    prisma.trackingEvent.create({ data: { type, messageId, customerId: ids[key], campaignId: c1.id, isBot, at: daysAgo(2) } });
  await track('ru_vip', vipMessage.id, 'open', false);
  await track('contact', contactMessage.id, 'click', false);
  await track('en_plain', enMessage.id, 'open', true); // a mail scanner's prefetch: not an open
  await prisma.inboundMessage.create({
    data: {
      source: 'smtp',
      status: 'applied',
      kind: 'reply',
      raw: Buffer.from('Subject: Re: Spring sale\r\n\r\nPrice list please'),
      rawSize: 45,
      customerId: ids.company,
      campaignId: c1.id,
      receivedAt: daysAgo(2),
    },
  });
  return { ids, campaigns: [c1.id, c2.id] };
}
