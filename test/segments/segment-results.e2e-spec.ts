// Rules evaluated by the real PostgreSQL against a fixed base, compared with the customers each
// rule must select: operators, nesting, time-zone and 29 February edges, orders, engagement,
// reachability, built-ins, and keyset streaming.
import { PrismaService } from '../../src/database/prisma.service';
import { AudienceService } from '../../src/segments/audience.service';
import { BUILTIN_SEGMENTS } from '../../src/segments/dsl/builtin-segments';
import type { SegmentRule } from '../../src/segments/dsl/segment-rules';
import { startTestApp, type TestApp } from '../support/test-app';
import { CUSTOMERS, NOW, seedSegmentBase, type Ids, type Key } from './segment-fixtures';

describe('segment results on a fixed base', () => {
  let t: TestApp;
  let audience: AudienceService;
  let ids: Ids;
  let campaigns: [number, number];
  const keyOf = new Map<number, Key>();

  beforeAll(async () => {
    t = await startTestApp();
    audience = t.app.get(AudienceService);
    ({ ids, campaigns } = await seedSegmentBase(t.app.get(PrismaService)));
    for (const [key, id] of Object.entries(ids)) keyOf.set(id, key as Key);
  });
  afterAll(async () => {
    await t.close();
  });

  /** The keys a rule selects at `now`, checked against the count of the same rule. */
  async function members(rules: SegmentRule, now = NOW): Promise<Key[]> {
    const rows = await audience.sample({ rules }, { limit: 1000, now });
    const keys = rows.map((r) => keyOf.get(r.id as number)!).sort();
    expect(await audience.count({ rules }, { now })).toBe(keys.length);
    return keys;
  }
  const sorted = (keys: Key[]) => [...keys].sort();
  const live = (Object.keys(CUSTOMERS) as Key[]).filter((k) => k !== 'erased');
  const except = (...out: Key[]) => sorted(live.filter((k) => !out.includes(k)));

  describe('customer fields, attributes and tags', () => {
    it.each<[string, SegmentRule, Key[]]>([
      ['text eq', { field: 'locale', op: 'eq', value: 'en' }, ['en_plain']],
      ['text neq keeps every other row', { field: 'locale', op: 'neq', value: 'ru' }, ['en_plain']],
      [
        'text in',
        { field: 'time_zone', op: 'in', value: ['Asia/Vladivostok', 'Europe/London'] },
        ['en_plain', 'leap_vlad', 'vlad_bday14', 'vlad_bday15'],
      ],
      ['contains ignores case', { field: 'company_name', op: 'contains', value: 'вектор' }, ['company']],
      ['starts_with treats % as a character', { field: 'first_name', op: 'starts_with', value: '%' }, []],
      ['email is_not_set', { field: 'email', op: 'is_not_set' }, ['no_email']],
      ['enum eq (kind)', { field: 'kind', op: 'eq', value: 'company' }, ['company']],
      ['company contacts', { field: 'company_id', op: 'is_set' }, ['contact']],
      ['bool is_false', { field: 'email_valid', op: 'is_false' }, ['invalid']],
      ['tags has', { field: 'tags', op: 'has', value: 'vip' }, ['ru_vip']],
      ['tags has, whatever the case of the rule (tags are stored lower-case)', { field: 'tags', op: 'has', value: 'VIP' }, ['ru_vip']],
      ['tags has_all, mixed case', { field: 'tags', op: 'has_all', value: ['Vip', 'NewsLetter'] }, ['ru_vip']],
      ['tags has_none, mixed case', { field: 'tags', op: 'has_none', value: ['VIP', 'B2B'] }, except('ru_vip', 'company', 'contact')],
      ['tags has_any', { field: 'tags', op: 'has_any', value: ['newsletter', 'b2b'] }, ['company', 'contact', 'ru_vip']],
      ['tags has_all', { field: 'tags', op: 'has_all', value: ['vip', 'newsletter'] }, ['ru_vip']],
      ['tags has_none', { field: 'tags', op: 'has_none', value: ['vip', 'b2b'] }, except('ru_vip', 'company', 'contact')],
      ['attribute number eq (3 is not "3")', { field: 'attributes.level', op: 'eq', value: 3 }, ['ru_vip']],
      ['attribute string eq', { field: 'attributes.level', op: 'eq', value: '3' }, ['en_plain']],
      ['attribute gte skips strings', { field: 'attributes.level', op: 'gte', value: 2 }, ['ru_vip']],
      ['attribute in', { field: 'attributes.city', op: 'in', value: ['Омск', 'London'] }, ['en_plain', 'ru_vip']],
      ['attribute is_true', { field: 'attributes.vip', op: 'is_true' }, ['ru_vip']],
      ['attribute is_set', { field: 'attributes.city', op: 'is_set' }, ['en_plain', 'ru_vip']],
      ['attribute neq keeps rows without it', { field: 'attributes.city', op: 'neq', value: 'Омск' }, except('ru_vip')],
    ])('%s', async (_name, rules, expected) => {
      expect(await members(rules)).toEqual(sorted(expected));
    });
  });

  describe('groups', () => {
    it.each<[string, SegmentRule, Key[]]>([
      ['empty all is everyone alive (never the erased customer)', { all: [] }, live],
      [
        'all',
        {
          all: [
            { field: 'tags', op: 'has', value: 'b2b' },
            { field: 'kind', op: 'eq', value: 'person' },
          ],
        },
        ['contact'],
      ],
      [
        'any',
        {
          any: [
            { field: 'locale', op: 'eq', value: 'en' },
            { field: 'kind', op: 'eq', value: 'company' },
          ],
        },
        ['company', 'en_plain'],
      ],
      ['not', { not: { field: 'email', op: 'is_set' } }, ['no_email']],
      [
        'not of a NULL-able comparison is exact',
        { not: { field: 'birthday', op: 'before', value: '1990-01-01' } },
        except('kali_bday14', 'vlad_bday14'),
      ],
      [
        'nested',
        {
          any: [
            { all: [{ field: 'tags', op: 'has', value: 'b2b' }, { not: { field: 'kind', op: 'eq', value: 'company' } }] },
            { field: 'attributes.vip', op: 'is_true' },
          ],
        },
        ['contact', 'ru_vip'],
      ],
    ])('%s', async (_name, rules, expected) => {
      expect(await members(rules)).toEqual(sorted(expected));
    });
  });

  describe('birthdays in the customer’s own time zone', () => {
    const today: SegmentRule = { field: 'birthday', op: 'in_days', value: 0 };
    const tomorrow: SegmentRule = { field: 'birthday', op: 'in_days', value: 1 };
    it.each<[string, SegmentRule, string, Key[]]>([
      // 20:30 UTC on 14 March: Monday the 15th in Vladivostok, still Sunday the 14th in Kaliningrad.
      ['today: the 15th in Vladivostok, the 14th in Kaliningrad', today, '2027-03-14T20:30:00Z', ['kali_bday14', 'vlad_bday15']],
      ['tomorrow: the 15th only where today is the 14th', tomorrow, '2027-03-14T20:30:00Z', ['kali_bday15']],
      [
        'an hour earlier Vladivostok is still on the 15th, Kaliningrad on the 14th',
        today,
        '2027-03-14T19:30:00Z',
        ['kali_bday14', 'vlad_bday15'],
      ],
      ['at 13:30 UTC both are on the 14th', today, '2027-03-14T13:30:00Z', ['kali_bday14', 'vlad_bday14']],
      ['29 February counts on 28 February in a common year', today, '2027-02-28T09:00:00Z', ['feb28', 'leap_msk', 'leap_vlad']],
      ['… and not on 1 March', today, '2027-03-01T09:00:00Z', []],
      ['in a leap year 28 February is only the 28th', today, '2028-02-28T09:00:00Z', ['feb28']],
      ['in a leap year 29 February is the day', today, '2028-02-29T09:00:00Z', ['leap_msk', 'leap_vlad']],
      ['28 February reaches Vladivostok first', today, '2027-02-27T20:00:00Z', ['leap_vlad']],
      ['in one day: the Moscow 29 February birthday, seen on the 27th', tomorrow, '2027-02-27T20:00:00Z', ['feb28', 'leap_msk']],
      // «в ближайшие N дней»: one condition, today included, each in its own zone
      [
        'in the next 1 day: the 15th in Vladivostok; the 14th and 15th in Kaliningrad',
        { field: 'birthday', op: 'in_next_days', value: 1 },
        '2027-03-14T20:30:00Z',
        ['kali_bday14', 'kali_bday15', 'vlad_bday15'],
      ],
      [
        'in the next 1 day on 27 February: 28 February and the 29th (on the 28th in a common year)',
        { field: 'birthday', op: 'in_next_days', value: 1 },
        '2027-02-27T20:00:00Z',
        ['feb28', 'leap_msk', 'leap_vlad'],
      ],
      [
        'in the next 75 days from 29 December: across the new year, up to 13 March',
        { field: 'birthday', op: 'in_next_days', value: 75 },
        '2027-12-29T09:00:00Z',
        ['feb28', 'leap_msk', 'leap_vlad'],
      ],
      // «в этом месяце»: the month of today in the customer's zone
      [
        'this month on the evening of 28 February: already March in Vladivostok',
        { field: 'birthday', op: 'this_month' },
        '2027-02-28T20:30:00Z',
        ['feb28', 'leap_msk', 'vlad_bday14', 'vlad_bday15'],
      ],
      [
        'this month in mid-March',
        { field: 'birthday', op: 'this_month' },
        '2027-03-10T12:00:00Z',
        ['kali_bday14', 'kali_bday15', 'vlad_bday14', 'vlad_bday15'],
      ],
    ])('%s', async (_name, rules, at, expected) => {
      expect(await members(rules, new Date(at))).toEqual(sorted(expected));
    });

    it('the built-in "birthday today" agrees', async () => {
      const builtin = BUILTIN_SEGMENTS.find((s) => s.key === 'birthday_today')!;
      expect(await members(builtin.rules)).toEqual(['kali_bday14', 'vlad_bday15']);
    });
  });

  describe('dates relative to today', () => {
    it.each<[string, SegmentRule, Key[]]>([
      ['registered exactly 30 days ago (London calendar)', { field: 'registered_at', op: 'days_ago', value: 30 }, ['en_plain']],
      ['registered within 10 days', { field: 'registered_at', op: 'within_last_days', value: 10 }, ['invalid', 'no_email', 'suppressed']],
      [
        'registered 800 days ago, in each own zone',
        { field: 'registered_at', op: 'days_ago', value: 800 },
        ['feb28', 'kali_bday14', 'kali_bday15', 'leap_msk', 'leap_vlad', 'vlad_bday14', 'vlad_bday15'],
      ],
      [
        'no order for 15 days (stored last order, cancelled ones included)',
        { field: 'last_order_at', op: 'more_than_days_ago', value: 15 },
        ['company', 'en_plain'],
      ],
      [
        'registered before a date',
        { field: 'registered_at', op: 'before', value: '2026-01-01' },
        ['feb28', 'kali_bday14', 'kali_bday15', 'leap_msk', 'leap_vlad', 'ru_vip', 'vlad_bday14', 'vlad_bday15'],
      ],
    ])('%s', async (_name, rules, expected) => {
      expect(await members(rules)).toEqual(sorted(expected));
    });
  });

  describe('orders (cancelled ones never count)', () => {
    it.each<[string, SegmentRule, Key[]]>([
      ['ordered in the last 7 days (the 5-day-old order was cancelled)', { field: 'orders.count', op: 'gte', value: 1, days: 7 }, []],
      ['ordered in the last 30 days', { field: 'orders.count', op: 'gte', value: 1, days: 30 }, ['company', 'ru_vip']],
      ['two or more orders in 30 days', { field: 'orders.count', op: 'gte', value: 2, days: 30 }, ['company']],
      ['spent over 3000 in 90 days', { field: 'orders.sum', op: 'gt', value: 3000, days: 90 }, ['company', 'ru_vip']],
      [
        'spent under 3000 in 90 days includes customers without orders',
        { field: 'orders.sum', op: 'lt', value: 3000, days: 90 },
        except('company', 'ru_vip'),
      ],
      ['ever ordered (only-cancelled does not count)', { field: 'orders.count', op: 'gte', value: 1 }, ['company', 'en_plain', 'ru_vip']],
      ['all-time sum', { field: 'orders.sum', op: 'between', value: [4000, 6000] }, ['ru_vip']],
      ['stored order_count counts the cancelled one too', { field: 'order_count', op: 'gte', value: 4 }, ['ru_vip']],
      ['bought SKU-2', { field: 'orders.product', op: 'eq', value: 'SKU-2' }, ['ru_vip']],
      ['bought SKU-1 in the last 100 days', { field: 'orders.product', op: 'eq', value: 'SKU-1', days: 100 }, ['ru_vip']],
      ['bought SKU-9 (only in a cancelled order)', { field: 'orders.product', op: 'in', value: ['SKU-9'] }, []],
    ])('%s', async (_name, rules, expected) => {
      expect(await members(rules)).toEqual(sorted(expected));
    });

    it('the built-ins agree', async () => {
      const rules = (key: string) => BUILTIN_SEGMENTS.find((s) => s.key === key)!.rules;
      expect(await members(rules('active_base'))).toEqual(['company', 'en_plain', 'ru_vip']);
      expect(await members(rules('inactive_180'))).toEqual(['en_plain']);
      expect(await members(rules('new_leads'))).toEqual(['invalid', 'no_email', 'suppressed']);
      expect(await members(rules('b2b_companies'))).toEqual(['company', 'contact']);
    });
  });

  describe('engagement', () => {
    it('received / opened / clicked / replied, by campaign and window', async () => {
      const [spring, sms] = campaigns;
      expect(await members({ field: 'engagement.received', op: 'is_true', campaignId: spring })).toEqual(['contact', 'en_plain', 'ru_vip']);
      expect(await members({ field: 'engagement.received', op: 'is_true', channel: 'sms' })).toEqual(['en_plain']);
      expect(await members({ field: 'engagement.received', op: 'is_true', campaignId: sms, days: 30 })).toEqual([]);
      expect(await members({ field: 'engagement.opened', op: 'is_true', days: 7 })).toEqual(['contact', 'ru_vip']);
      expect(await members({ field: 'engagement.clicked', op: 'is_true', campaignId: spring })).toEqual(['contact']);
      expect(await members({ field: 'engagement.replied', op: 'is_true', days: 7 })).toEqual(['company']);
      expect(
        await members({
          all: [
            { field: 'engagement.received', op: 'is_true', campaignId: spring },
            { field: 'engagement.opened', op: 'is_false' },
          ],
        }),
      ).toEqual(['en_plain']);
    });
  });

  describe('consent, reachability and scoring classes', () => {
    it.each<[string, SegmentRule, Key[]]>([
      ['consent eq', { field: 'consent.email', op: 'eq', value: 'pending' }, ['en_plain']],
      ['consent neq keeps customers without a consent row', { field: 'consent.sms', op: 'neq', value: 'opted_out' }, except('ru_vip')],
      ['consent is_not_set', { field: 'consent.sms', op: 'is_not_set' }, except('ru_vip', 'no_email')],
      [
        'reachable by email: not suppressed, valid, has one',
        { field: 'reachable.email', op: 'is_true' },
        except('suppressed', 'invalid', 'no_email'),
      ],
      ['reachable by SMS: a hash-only suppression still wins', { field: 'reachable.sms', op: 'is_true' }, ['contact', 'ru_vip']],
      ['RFM group', { field: 'rfm_group', op: 'in', value: ['champions', 'at_risk'] }, ['company', 'ru_vip']],
      ['RFM cell', { field: 'rfm_cell', op: 'eq', value: '111' }, ['en_plain']],
      [
        'ABC-XYZ cell AX',
        {
          all: [
            { field: 'abc_class', op: 'eq', value: 'A' },
            { field: 'xyz_class', op: 'eq', value: 'X' },
          ],
        },
        ['ru_vip'],
      ],
      ['rating', { field: 'rating', op: 'in', value: ['A', 'C'] }, ['company', 'ru_vip']],
    ])('%s', async (_name, rules, expected) => {
      expect(await members(rules)).toEqual(sorted(expected));
    });
  });

  describe('hostile values stay values', () => {
    it('matches a name that looks like SQL exactly, and only it', async () => {
      expect(await members({ field: 'first_name', op: 'eq', value: "O'Brien'; DROP TABLE customers; --" })).toEqual(['hostile']);
      expect(await members({ field: 'attributes.note', op: 'eq', value: "x' OR '1'='1" })).toEqual(['hostile']);
      expect(await members({ field: 'first_name', op: 'eq', value: "x' OR '1'='1" })).toEqual([]);
      expect(await members({ field: 'orders.product', op: 'eq', value: "SKU-'x" })).toEqual([]);
      expect(await audience.count({ rules: { all: [] } })).toBe(live.length);
    });
  });

  describe('audiences per channel, streamed in keyset batches', () => {
    async function stream(rules: SegmentRule, channel: 'email' | 'sms', batchSize: number, consent?: 'opted_in' | 'not_opted_out') {
      const batches: number[][] = [];
      for await (const batch of audience.streamAudience({ rules }, { channel, batchSize, consent, now: NOW })) batches.push(batch);
      return batches;
    }

    it('email bulk: opted in, valid, not suppressed, never erased; ascending ids, each once', async () => {
      const batches = await stream({ all: [] }, 'email', 2);
      const all = batches.flat();
      expect(batches.every((b) => b.length <= 2)).toBe(true);
      expect(all).toEqual([...all].sort((a, b) => a - b));
      expect(new Set(all).size).toBe(all.length);
      expect(all.map((id) => keyOf.get(id)!).sort()).toEqual(['company', 'contact', 'kali_bday15', 'ru_vip', 'vlad_bday15']);
      expect(await audience.count({ rules: { all: [] } }, { channel: 'email', now: NOW })).toBe(all.length);
    });

    it('a batch size that divides the audience ends without an empty batch', async () => {
      const batches = await stream({ all: [] }, 'email', 5);
      expect(batches.map((b) => b.length)).toEqual([5]);
    });

    it('sms "not opted out" lets customers without a consent row through; bulk needs the opt-in', async () => {
      // ru_vip opted out; no_email opted in, but its number is suppressed; contact has no SMS consent row.
      expect((await stream({ all: [] }, 'sms', 10, 'not_opted_out')).flat()).toEqual([ids.contact]);
      expect((await stream({ all: [] }, 'sms', 10)).flat()).toEqual([]);
    });

    it('streams a saved segment by id and refuses unknown ones and bad rules with paths', async () => {
      const prisma = t.app.get(PrismaService);
      const saved = await prisma.segment.create({ data: { name: 'b2b', rules: { field: 'tags', op: 'has', value: 'b2b' } } });
      const got: number[] = [];
      for await (const batch of audience.streamAudience({ segmentId: saved.id }, { channel: 'email', batchSize: 1 })) got.push(...batch);
      expect(got).toEqual([ids.company, ids.contact]);
      await expect(audience.count({ segmentId: 999999 })).rejects.toMatchObject({ code: 'not_found' });
      await expect(audience.count({ rules: { any: [{ field: 'order_count', op: 'gte', value: 'x' }] } })).rejects.toMatchObject({
        code: 'validation_failed',
        issues: [{ path: 'rules.any[0].value', message: 'expected a number' }],
      });
      const iterator = audience.streamAudience({ rules: { all: [] } }, { channel: 'email', batchSize: 0 });
      await expect(iterator.next()).rejects.toMatchObject({ code: 'validation_failed', issues: [{ path: 'batchSize' }] });
    });
  });
});
