import { compileSegment, compileSegmentWhere, MAX_BATCH, type CompiledQuery } from './compile-segment';
import { escapeLike } from '../../common/like-pattern';
import { CUSTOMER_FIELDS, opsFor, resolveField, type ConditionOp, type FieldDef } from './fields';
import { SegmentRulesError, type SegmentCondition, type SegmentRule } from './segment-rules';

const LIVE = 'c.erased_at IS NULL';
/** The rule's own fragment, without the erased_at guard. */
function fragment(rule: SegmentRule, plan: 'set' | 'per_row' = 'per_row'): CompiledQuery {
  const q = compileSegmentWhere(rule, { plan });
  expect(q.sql.startsWith(`${LIVE} AND (`) && q.sql.endsWith(')')).toBe(true);
  return { sql: q.sql.slice(`${LIVE} AND (`.length, -1), params: q.params };
}

/** Every $n in the SQL, in order of first use. */
function placeholders(sql: string): number[] {
  return [...new Set([...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])))];
}

// Pieces repeated by date expressions.
const UTC_TODAY = `(now() AT TIME ZONE 'UTC')::date`;
const TODAY = `(now() AT TIME ZONE c.time_zone)::date`;
const local = (col: string) => `((${col} AT TIME ZONE 'UTC') AT TIME ZONE c.time_zone)::date`;
const since = (col: string, n: string) =>
  `${col} >= ${UTC_TODAY} - (${n} + 2) AND (${col} >= ${UTC_TODAY} - ${n} + 2 OR ${local(col)} >= ${TODAY} - ${n})`;
const ORDERS = `seg_o.customer_id = c.id AND seg_o.status <> 'cancelled'`;
const mmdd = (e: string) => `to_char((${e})::timestamp, 'MMDD')`;

describe('compileSegment: one operator each', () => {
  it.each<[string, SegmentCondition, string, unknown[]]>([
    // text
    ['text eq, not null column', { field: 'locale', op: 'eq', value: 'ru' }, 'c.locale = $1::text', ['ru']],
    ['text eq, nullable column', { field: 'email', op: 'eq', value: 'a@b.c' }, '(c.email IS NOT NULL AND c.email = $1::text)', ['a@b.c']],
    ['text neq keeps empty fields', { field: 'email', op: 'neq', value: 'a@b.c' }, 'c.email IS DISTINCT FROM $1::text', ['a@b.c']],
    ['text neq, not null column', { field: 'locale', op: 'neq', value: 'ru' }, 'c.locale <> $1::text', ['ru']],
    [
      'text in',
      { field: 'source', op: 'in', value: ['web', 'crm'] },
      '(c.source IS NOT NULL AND c.source = ANY($1::text[]))',
      [['web', 'crm']],
    ],
    [
      'text not_in keeps empty fields',
      { field: 'source', op: 'not_in', value: ['web'] },
      '(c.source IS NULL OR c.source <> ALL($1::text[]))',
      [['web']],
    ],
    [
      'contains escapes LIKE wildcards',
      { field: 'first_name', op: 'contains', value: '50%_off\\' },
      '(c.first_name IS NOT NULL AND c.first_name ILIKE $1::text)',
      ['%50\\%\\_off\\\\%'],
    ],
    [
      'starts_with',
      { field: 'first_name', op: 'starts_with', value: 'An' },
      '(c.first_name IS NOT NULL AND c.first_name ILIKE $1::text)',
      ['An%'],
    ],
    [
      'ends_with',
      { field: 'first_name', op: 'ends_with', value: 'na' },
      '(c.first_name IS NOT NULL AND c.first_name ILIKE $1::text)',
      ['%na'],
    ],
    ['text is_set excludes empty strings', { field: 'first_name', op: 'is_set' }, "(c.first_name IS NOT NULL AND c.first_name <> '')", []],
    ['text is_not_set', { field: 'first_name', op: 'is_not_set' }, "(c.first_name IS NULL OR c.first_name = '')", []],
    // numbers, enums, booleans
    ['int is_set', { field: 'company_id', op: 'is_set' }, 'c.company_id IS NOT NULL', []],
    ['int gte', { field: 'order_count', op: 'gte', value: 3 }, 'c.order_count >= $1::int', [3]],
    ['int gt', { field: 'order_count', op: 'gt', value: 3 }, 'c.order_count > $1::int', [3]],
    ['int lte', { field: 'order_count', op: 'lte', value: 3 }, 'c.order_count <= $1::int', [3]],
    ['int eq', { field: 'order_count', op: 'eq', value: 0 }, 'c.order_count = $1::int', [0]],
    ['int neq', { field: 'order_count', op: 'neq', value: 0 }, 'c.order_count <> $1::int', [0]],
    [
      'numeric between',
      { field: 'order_sum', op: 'between', value: [100, 200.5] },
      'c.order_sum BETWEEN $1::numeric AND $2::numeric',
      [100, 200.5],
    ],
    ['nullable int lt', { field: 'rfm_recency', op: 'lt', value: 3 }, '(c.rfm_recency IS NOT NULL AND c.rfm_recency < $1::int)', [3]],
    ['pg enum eq compares as text', { field: 'kind', op: 'eq', value: 'company' }, 'c.kind::text = $1::text', ['company']],
    ['pg enum not_in', { field: 'kind', op: 'not_in', value: ['company'] }, 'c.kind::text <> ALL($1::text[])', [['company']]],
    [
      'class in compares char(1) as char',
      { field: 'abc_class', op: 'in', value: ['A', 'B'] },
      '(c.abc_class IS NOT NULL AND c.abc_class = ANY($1::bpchar[]))',
      [['A', 'B']],
    ],
    [
      'rfm group eq',
      { field: 'rfm_group', op: 'eq', value: 'champions' },
      '(c.rfm_group IS NOT NULL AND c.rfm_group = $1::text)',
      ['champions'],
    ],
    ['bool is_true', { field: 'email_valid', op: 'is_true' }, 'c.email_valid', []],
    ['bool is_false', { field: 'phone_valid', op: 'is_false' }, 'NOT c.phone_valid', []],
    // dates on UTC timestamps, compared as customer-local days
    [
      'before',
      { field: 'registered_at', op: 'before', value: '2026-01-01' },
      `(c.registered_at < $1::date + 1 AND ${local('c.registered_at')} < $1::date)`,
      ['2026-01-01'],
    ],
    [
      'after',
      { field: 'registered_at', op: 'after', value: '2026-01-01' },
      `(c.registered_at >= $1::date AND ${local('c.registered_at')} > $1::date)`,
      ['2026-01-01'],
    ],
    [
      'on',
      { field: 'registered_at', op: 'on', value: '2026-01-01' },
      `(c.registered_at >= $1::date - 1 AND c.registered_at < $1::date + 2 AND ${local('c.registered_at')} = $1::date)`,
      ['2026-01-01'],
    ],
    [
      'between dates on a nullable column',
      { field: 'last_order_at', op: 'between', value: ['2026-01-01', '2026-01-31'] },
      `(c.last_order_at IS NOT NULL AND c.last_order_at >= $1::date - 1 AND c.last_order_at < $2::date + 2 AND ${local('c.last_order_at')} BETWEEN $1::date AND $2::date)`,
      ['2026-01-01', '2026-01-31'],
    ],
    ['within_last_days', { field: 'registered_at', op: 'within_last_days', value: 30 }, `(${since('c.registered_at', '$1::int')})`, [30]],
    [
      'more_than_days_ago',
      { field: 'last_order_at', op: 'more_than_days_ago', value: 180 },
      `(c.last_order_at IS NOT NULL AND c.last_order_at < ${UTC_TODAY} - $1::int + 2 AND (c.last_order_at < ${UTC_TODAY} - ($1::int + 2) OR ${local('c.last_order_at')} < ${TODAY} - $1::int))`,
      [180],
    ],
    [
      'days_ago',
      { field: 'registered_at', op: 'days_ago', value: 7 },
      `(c.registered_at >= ${UTC_TODAY} - ($1::int + 2) AND c.registered_at < ${UTC_TODAY} - $1::int + 2 AND ${local('c.registered_at')} = ${TODAY} - $1::int)`,
      [7],
    ],
    [
      'birthday in_days, 29 Feb on 28 Feb in other years',
      { field: 'birthday', op: 'in_days', value: 3 },
      `(c.birthday IS NOT NULL AND (${mmdd('c.birthday')} = ${mmdd(`${TODAY} + $1::int`)} OR (${mmdd('c.birthday')} = '0229' AND ${mmdd(`${TODAY} + $1::int`)} = '0228' AND ${mmdd(`${TODAY} + $1::int + 1`)} = '0301')))`,
      [3],
    ],
    [
      'birthday in_next_days: one condition for "in the next N days", this year\'s anniversary or next year\'s',
      { field: 'birthday', op: 'in_next_days', value: 7 },
      `(c.birthday IS NOT NULL AND ((c.birthday + make_interval(years => (date_part('year', ${TODAY}) - date_part('year', c.birthday))::int))::date BETWEEN ${TODAY} AND ${TODAY} + $1::int OR (c.birthday + make_interval(years => (date_part('year', ${TODAY}) - date_part('year', c.birthday))::int + 1))::date BETWEEN ${TODAY} AND ${TODAY} + $1::int))`,
      [7],
    ],
    [
      "birthday this_month: one condition, not one per day; the month of today in the customer's zone",
      { field: 'birthday', op: 'this_month' },
      `(c.birthday IS NOT NULL AND date_part('month', c.birthday) = date_part('month', ${TODAY}))`,
      [],
    ],
    [
      'birthday before',
      { field: 'birthday', op: 'before', value: '2000-01-01' },
      '(c.birthday IS NOT NULL AND c.birthday < $1::date)',
      ['2000-01-01'],
    ],
    [
      'birthday on',
      { field: 'birthday', op: 'on', value: '2000-01-01' },
      '(c.birthday IS NOT NULL AND c.birthday = $1::date)',
      ['2000-01-01'],
    ],
    // JSON attributes: the key is a parameter too
    [
      'attribute eq number',
      { field: 'attributes.level', op: 'eq', value: 3 },
      "coalesce(CASE WHEN jsonb_typeof(c.attributes -> $1::text) = 'number' THEN (c.attributes ->> $1::text)::numeric = $2::numeric ELSE false END, false)",
      ['level', 3],
    ],
    [
      'attribute eq string compares text of a JSON string',
      { field: 'attributes.city', op: 'eq', value: 'Omsk' },
      "coalesce((c.attributes ->> $1::text = $2::text AND jsonb_typeof(c.attributes -> $1::text) = 'string'), false)",
      ['city', 'Omsk'],
    ],
    [
      'attribute neq',
      { field: 'attributes.vip', op: 'neq', value: true },
      "NOT coalesce((c.attributes ->> $1::text = $2::text AND jsonb_typeof(c.attributes -> $1::text) = 'boolean'), false)",
      ['vip', 'true'],
    ],
    [
      'attribute in, strings and numbers',
      { field: 'attributes.city', op: 'in', value: ['Omsk', 7, 'Tver'] },
      "coalesce((c.attributes ->> $1::text = ANY($2::text[]) AND jsonb_typeof(c.attributes -> $1::text) = 'string') OR " +
        "CASE WHEN jsonb_typeof(c.attributes -> $1::text) = 'number' THEN (c.attributes ->> $1::text)::numeric = $3::numeric ELSE false END, false)",
      ['city', ['Omsk', 'Tver'], 7],
    ],
    [
      'attribute not_in',
      { field: 'attributes.city', op: 'not_in', value: ['Omsk'] },
      "NOT coalesce((c.attributes ->> $1::text = $2::text AND jsonb_typeof(c.attributes -> $1::text) = 'string'), false)",
      ['city', 'Omsk'],
    ],
    [
      'attribute gt skips non-numbers',
      { field: 'attributes.level', op: 'gt', value: 2 },
      "CASE WHEN jsonb_typeof(c.attributes -> $1::text) = 'number' THEN (c.attributes ->> $1::text)::numeric > $2::numeric ELSE false END",
      ['level', 2],
    ],
    [
      'attribute between',
      { field: 'attributes.level', op: 'between', value: [1, 2] },
      "CASE WHEN jsonb_typeof(c.attributes -> $1::text) = 'number' THEN (c.attributes ->> $1::text)::numeric BETWEEN $2::numeric AND $3::numeric ELSE false END",
      ['level', 1, 2],
    ],
    [
      'attribute starts_with',
      { field: 'attributes.city', op: 'starts_with', value: 'M_' },
      "CASE WHEN jsonb_typeof(c.attributes -> $1::text) = 'string' THEN c.attributes ->> $1::text ILIKE $2::text ELSE false END",
      ['city', 'M\\_%'],
    ],
    [
      'attribute is_true',
      { field: 'attributes.vip', op: 'is_true' },
      "(c.attributes -> $1::text IS NOT NULL AND c.attributes -> $1::text = 'true'::jsonb)",
      ['vip'],
    ],
    [
      'attribute is_false',
      { field: 'attributes.vip', op: 'is_false' },
      "(c.attributes -> $1::text IS NOT NULL AND c.attributes -> $1::text = 'false'::jsonb)",
      ['vip'],
    ],
    [
      'attribute is_set (JSON null is unset)',
      { field: 'attributes.vip', op: 'is_set' },
      "(c.attributes -> $1::text IS NOT NULL AND c.attributes -> $1::text <> 'null'::jsonb)",
      ['vip'],
    ],
    [
      'attribute is_not_set',
      { field: 'attributes.vip', op: 'is_not_set' },
      "(c.attributes -> $1::text IS NULL OR c.attributes -> $1::text = 'null'::jsonb)",
      ['vip'],
    ],
    // tags
    ['tags has', { field: 'tags', op: 'has', value: 'vip' }, '(c.tags IS NOT NULL AND c.tags @> ARRAY[$1::text])', ['vip']],
    ['tags has_any', { field: 'tags', op: 'has_any', value: ['a', 'b'] }, '(c.tags IS NOT NULL AND c.tags && $1::text[])', [['a', 'b']]],
    ['tags has_all', { field: 'tags', op: 'has_all', value: ['a', 'b'] }, '(c.tags IS NOT NULL AND c.tags @> $1::text[])', [['a', 'b']]],
    ['tags has_none', { field: 'tags', op: 'has_none', value: ['a'] }, '(c.tags IS NULL OR NOT (c.tags && $1::text[]))', [['a']]],
    // tags are stored lower-case (common/tags.ts): the literal is normalised the same way, or "SyncA" finds nobody
    [
      'tags has, mixed case',
      { field: 'tags', op: 'has', value: ' SyncA ' },
      '(c.tags IS NOT NULL AND c.tags @> ARRAY[$1::text])',
      ['synca'],
    ],
    [
      'tags has_any, mixed case and repeats',
      { field: 'tags', op: 'has_any', value: ['VIP', 'vip', 'Опт'] },
      '(c.tags IS NOT NULL AND c.tags && $1::text[])',
      [['vip', 'опт']],
    ],
    [
      'tags has_all, mixed case',
      { field: 'tags', op: 'has_all', value: ['B2B'] },
      '(c.tags IS NOT NULL AND c.tags @> $1::text[])',
      [['b2b']],
    ],
    [
      'tags has_none, mixed case',
      { field: 'tags', op: 'has_none', value: ['SyncA'] },
      '(c.tags IS NULL OR NOT (c.tags && $1::text[]))',
      [['synca']],
    ],
    // consent and reachability
    [
      'consent eq',
      { field: 'consent.email', op: 'eq', value: 'opted_in' },
      'EXISTS (SELECT 1 FROM consents seg_cs WHERE seg_cs.customer_id = c.id AND seg_cs.channel = \'email\' AND seg_cs.status = $1::"ConsentStatus")',
      ['opted_in'],
    ],
    [
      'consent neq (no row counts)',
      { field: 'consent.sms', op: 'neq', value: 'opted_out' },
      'NOT EXISTS (SELECT 1 FROM consents seg_cs WHERE seg_cs.customer_id = c.id AND seg_cs.channel = \'sms\' AND seg_cs.status = $1::"ConsentStatus")',
      ['opted_out'],
    ],
    [
      'consent in',
      { field: 'consent.email', op: 'in', value: ['opted_in', 'pending'] },
      'EXISTS (SELECT 1 FROM consents seg_cs WHERE seg_cs.customer_id = c.id AND seg_cs.channel = \'email\' AND seg_cs.status = ANY($1::"ConsentStatus"[]))',
      [['opted_in', 'pending']],
    ],
    [
      'consent not_in',
      { field: 'consent.sms', op: 'not_in', value: ['opted_out', 'pending'] },
      'NOT EXISTS (SELECT 1 FROM consents seg_cs WHERE seg_cs.customer_id = c.id AND seg_cs.channel = \'sms\' AND seg_cs.status = ANY($1::"ConsentStatus"[]))',
      [['opted_out', 'pending']],
    ],
    [
      'consent is_set',
      { field: 'consent.email', op: 'is_set' },
      "EXISTS (SELECT 1 FROM consents seg_cs WHERE seg_cs.customer_id = c.id AND seg_cs.channel = 'email')",
      [],
    ],
    [
      'consent is_not_set',
      { field: 'consent.email', op: 'is_not_set' },
      "NOT EXISTS (SELECT 1 FROM consents seg_cs WHERE seg_cs.customer_id = c.id AND seg_cs.channel = 'email')",
      [],
    ],
    [
      'reachable email: valid and not suppressed by hash',
      { field: 'reachable.email', op: 'is_true' },
      "(c.email IS NOT NULL AND c.email <> '' AND c.email_valid AND NOT EXISTS (SELECT 1 FROM suppressions seg_s WHERE seg_s.channel = 'email' AND seg_s.address_hash = encode(sha256(convert_to(c.email, 'UTF8')), 'hex')))",
      [],
    ],
    [
      'unreachable sms',
      { field: 'reachable.sms', op: 'is_false' },
      "NOT (c.phone IS NOT NULL AND c.phone <> '' AND c.phone_valid AND NOT EXISTS (SELECT 1 FROM suppressions seg_s WHERE seg_s.channel = 'sms' AND seg_s.address_hash = encode(sha256(convert_to(c.phone, 'UTF8')), 'hex')))",
      [],
    ],
    // orders
    [
      'order count, all time, leaves cancelled orders out (unlike order_count)',
      { field: 'orders.count', op: 'gte', value: 2 },
      `(SELECT count(*) FROM orders seg_o WHERE ${ORDERS}) >= $1::int`,
      [2],
    ],
    [
      'order sum, all time',
      { field: 'orders.sum', op: 'gt', value: 1000 },
      `(SELECT coalesce(sum(seg_o.total), 0) FROM orders seg_o WHERE ${ORDERS}) > $1::numeric`,
      [1000],
    ],
    [
      'ever ordered is a semi-join',
      { field: 'orders.count', op: 'gte', value: 1 },
      `EXISTS (SELECT 1 FROM orders seg_o WHERE ${ORDERS})`,
      [],
    ],
    [
      'never ordered is an anti-join',
      { field: 'orders.count', op: 'lt', value: 1 },
      `NOT EXISTS (SELECT 1 FROM orders seg_o WHERE ${ORDERS})`,
      [],
    ],
    [
      'at least one order in a window is a semi-join',
      { field: 'orders.count', op: 'gte', value: 1, days: 30 },
      `EXISTS (SELECT 1 FROM orders seg_o WHERE ${ORDERS} AND ${since('seg_o.ordered_at', '$1::int')})`,
      [30],
    ],
    [
      'count > 0 in a window is the same semi-join',
      { field: 'orders.count', op: 'gt', value: 0, days: 30 },
      `EXISTS (SELECT 1 FROM orders seg_o WHERE ${ORDERS} AND ${since('seg_o.ordered_at', '$1::int')})`,
      [30],
    ],
    [
      'no order for N days is an anti-join',
      { field: 'orders.count', op: 'eq', value: 0, days: 180 },
      `NOT EXISTS (SELECT 1 FROM orders seg_o WHERE ${ORDERS} AND ${since('seg_o.ordered_at', '$1::int')})`,
      [180],
    ],
    [
      'count >= 3 in a window, per customer',
      { field: 'orders.count', op: 'gte', value: 3, days: 365 },
      `(SELECT count(*) FROM orders seg_o WHERE ${ORDERS} AND ${since('seg_o.ordered_at', '$1::int')}) >= $2::int`,
      [365, 3],
    ],
    [
      'sum between in a window, per customer',
      { field: 'orders.sum', op: 'between', value: [10, 20], days: 7 },
      `(SELECT coalesce(sum(seg_o.total), 0) FROM orders seg_o WHERE ${ORDERS} AND ${since('seg_o.ordered_at', '$1::int')}) BETWEEN $2::numeric AND $3::numeric`,
      [7, 10, 20],
    ],
    [
      'bought a product',
      { field: 'orders.product', op: 'eq', value: 'P1' },
      `EXISTS (SELECT 1 FROM orders seg_o JOIN order_items seg_oi ON seg_oi.order_id = seg_o.id WHERE ${ORDERS} AND seg_oi.product_id = $1::text)`,
      ['P1'],
    ],
    [
      'bought any of products in a window',
      { field: 'orders.product', op: 'in', value: ['P1', 'P2'], days: 90 },
      `EXISTS (SELECT 1 FROM orders seg_o JOIN order_items seg_oi ON seg_oi.order_id = seg_o.id WHERE ${ORDERS} AND seg_oi.product_id = ANY($1::text[]) AND ${since('seg_o.ordered_at', '$2::int')})`,
      [['P1', 'P2'], 90],
    ],
    // engagement
    [
      'received a campaign on a channel',
      { field: 'engagement.received', op: 'is_true', campaignId: 12, channel: 'sms' },
      "EXISTS (SELECT 1 FROM messages seg_m WHERE seg_m.customer_id = c.id AND seg_m.status IN ('sent', 'delivered', 'complained') AND seg_m.channel::text = $1::text AND seg_m.campaign_id = $2::int)",
      ['sms', 12],
    ],
    [
      'received anything in a window',
      { field: 'engagement.received', op: 'is_true', days: 3 },
      `EXISTS (SELECT 1 FROM messages seg_m WHERE seg_m.customer_id = c.id AND seg_m.status IN ('sent', 'delivered', 'complained') AND ${since('seg_m.sent_at', '$1::int')})`,
      [3],
    ],
    [
      'not opened in 90 days (clicks count as opens, bots do not)',
      { field: 'engagement.opened', op: 'is_false', days: 90 },
      `NOT EXISTS (SELECT 1 FROM tracking_events seg_t WHERE seg_t.customer_id = c.id AND seg_t.type IN ('open', 'click') AND NOT seg_t.is_bot AND ${since('seg_t.at', '$1::int')})`,
      [90],
    ],
    [
      'clicked a campaign',
      { field: 'engagement.clicked', op: 'is_true', campaignId: 5 },
      "EXISTS (SELECT 1 FROM tracking_events seg_t WHERE seg_t.customer_id = c.id AND seg_t.type = 'click' AND NOT seg_t.is_bot AND seg_t.campaign_id = $1::int)",
      [5],
    ],
    [
      'replied',
      { field: 'engagement.replied', op: 'is_true', days: 14 },
      `EXISTS (SELECT 1 FROM inbound_messages seg_im WHERE seg_im.customer_id = c.id AND seg_im.kind = 'reply' AND ${since('seg_im.received_at', '$1::int')})`,
      [14],
    ],
  ])('%s', (_name, rule, sql, params) => {
    expect(fragment(rule)).toEqual({ sql, params });
  });
});

describe('compileSegment: windowed order totals, set plan', () => {
  const zone = '(SELECT seg_z.time_zone FROM customers seg_z WHERE seg_z.id = seg_o.customer_id)';
  const window = (n: string) =>
    `seg_o.ordered_at >= ${UTC_TODAY} - (${n} + 2) AND (seg_o.ordered_at >= ${UTC_TODAY} - ${n} + 2 OR ` +
    `((seg_o.ordered_at AT TIME ZONE 'UTC') AT TIME ZONE ${zone})::date >= (now() AT TIME ZONE ${zone})::date - ${n})`;
  const grouped = (having: string) =>
    `SELECT seg_o.customer_id FROM orders seg_o WHERE seg_o.status <> 'cancelled' AND ${window('$1::int')} GROUP BY seg_o.customer_id HAVING ${having}`;

  it.each<[string, SegmentCondition, string, unknown[]]>([
    [
      'count >= 3: customers whose total passes',
      { field: 'orders.count', op: 'gte', value: 3, days: 365 },
      `EXISTS (SELECT 1 FROM (${grouped('count(*) >= $2::int')}) seg_x WHERE seg_x.customer_id = c.id)`,
      [365, 3],
    ],
    [
      'sum < 10: zero passes, so not among those whose total fails',
      { field: 'orders.sum', op: 'lt', value: 10, days: 30 },
      `NOT EXISTS (SELECT 1 FROM (${grouped('NOT (coalesce(sum(seg_o.total), 0) < $2::numeric)')}) seg_x WHERE seg_x.customer_id = c.id)`,
      [30, 10],
    ],
    [
      'count between 0 and 2',
      { field: 'orders.count', op: 'between', value: [0, 2], days: 30 },
      `NOT EXISTS (SELECT 1 FROM (${grouped('NOT (count(*) BETWEEN $2::int AND $3::int)')}) seg_x WHERE seg_x.customer_id = c.id)`,
      [30, 0, 2],
    ],
    [
      'count neq 1',
      { field: 'orders.count', op: 'neq', value: 1, days: 30 },
      `NOT EXISTS (SELECT 1 FROM (${grouped('NOT (count(*) <> $2::int)')}) seg_x WHERE seg_x.customer_id = c.id)`,
      [30, 1],
    ],
    [
      'sum eq 0 holds for no orders',
      { field: 'orders.sum', op: 'eq', value: 0, days: 30 },
      `NOT EXISTS (SELECT 1 FROM (${grouped('NOT (coalesce(sum(seg_o.total), 0) = $2::numeric)')}) seg_x WHERE seg_x.customer_id = c.id)`,
      [30, 0],
    ],
    [
      'all-time sum: every order but cancelled ones, no window',
      { field: 'orders.sum', op: 'gte', value: 5000 },
      "EXISTS (SELECT 1 FROM (SELECT seg_o.customer_id FROM orders seg_o WHERE seg_o.status <> 'cancelled' GROUP BY seg_o.customer_id " +
        'HAVING coalesce(sum(seg_o.total), 0) >= $1::numeric) seg_x WHERE seg_x.customer_id = c.id)',
      [5000],
    ],
  ])('%s', (_name, rule, sql, params) => {
    expect(fragment(rule, 'set')).toEqual({ sql, params });
  });

  it('semi-join forms do not depend on the plan', () => {
    const rule: SegmentCondition = { field: 'orders.count', op: 'gte', value: 1, days: 30 };
    expect(fragment(rule, 'set')).toEqual(fragment(rule, 'per_row'));
  });
});

describe('compileSegment: groups', () => {
  const A: SegmentCondition = { field: 'order_count', op: 'gte', value: 1 };
  const B: SegmentCondition = { field: 'locale', op: 'eq', value: 'ru' };
  const C: SegmentCondition = { field: 'tags', op: 'has', value: 'vip' };
  it.each<[string, SegmentRule, string, unknown[]]>([
    ['all', { all: [A, B] }, '(c.order_count >= $1::int AND c.locale = $2::text)', [1, 'ru']],
    ['any', { any: [A, B] }, '(c.order_count >= $1::int OR c.locale = $2::text)', [1, 'ru']],
    ['not', { not: A }, 'NOT (c.order_count >= $1::int)', [1]],
    ['a one-rule group is just the rule', { any: [{ all: [B] }] }, 'c.locale = $1::text', ['ru']],
    [
      'nesting keeps precedence',
      { any: [{ all: [A, { not: B }] }, C] },
      '((c.order_count >= $1::int AND NOT (c.locale = $2::text)) OR (c.tags IS NOT NULL AND c.tags @> ARRAY[$3::text]))',
      [1, 'ru', 'vip'],
    ],
    [
      'not of a group',
      { not: { any: [A, C] } },
      'NOT ((c.order_count >= $1::int OR (c.tags IS NOT NULL AND c.tags @> ARRAY[$2::text])))',
      [1, 'vip'],
    ],
    ['empty all inside any is true', { any: [{ all: [] }, A] }, '(TRUE OR c.order_count >= $1::int)', [1]],
  ])('%s', (_name, rule, sql, params) => {
    expect(fragment(rule)).toEqual({ sql, params });
  });

  it('an empty all at the top selects every live customer', () => {
    expect(compileSegmentWhere({ all: [] })).toEqual({ sql: LIVE, params: [] });
  });
});

describe('compileSegment: query shapes', () => {
  const rule: SegmentRule = { field: 'locale', op: 'eq', value: 'ru' };
  it('count', () => {
    expect(compileSegment(rule, { mode: 'count' })).toEqual({
      sql: `SELECT count(*) AS count FROM customers c WHERE ${LIVE} AND (c.locale = $1::text)`,
      params: ['ru'],
    });
  });
  it('sample with the default preview columns', () => {
    expect(compileSegment(rule, { mode: 'sample', limit: 20 })).toEqual({
      sql:
        'SELECT c.id, c.kind, c.first_name, c.last_name, c.company_name, c.email, c.phone, c.locale, c.time_zone FROM customers c ' +
        `WHERE ${LIVE} AND (c.locale = $1::text) ORDER BY c.id LIMIT $2::int`,
      params: ['ru', 20],
    });
  });
  it('keyset batch repeats the id bound inside subqueries', () => {
    const q = compileSegment({ all: [rule, { field: 'engagement.opened', op: 'is_true' }] }, { mode: 'batch', afterId: 1000, limit: 500 });
    expect(q).toEqual({
      sql:
        `SELECT c.id FROM customers c WHERE ${LIVE} AND c.id > $1::int AND ((c.locale = $2::text AND EXISTS (SELECT 1 FROM tracking_events seg_t ` +
        `WHERE seg_t.customer_id = c.id AND seg_t.customer_id > $1::int AND seg_t.type IN ('open', 'click') AND NOT seg_t.is_bot))) ORDER BY c.id LIMIT $3::int`,
      params: [1000, 'ru', 500],
    });
  });
  it('batch with chosen columns', () => {
    const q = compileSegment(rule, { mode: 'batch', afterId: 0, limit: 2, columns: ['id', 'email', 'attributes'] });
    expect(q.sql.startsWith('SELECT c.id, c.email, c.attributes FROM customers c WHERE')).toBe(true);
  });
  it('pins now to one shared parameter', () => {
    const now = new Date('2027-02-28T21:30:00Z');
    const q = compileSegment(
      {
        all: [
          { field: 'birthday', op: 'in_days', value: 0 },
          { field: 'registered_at', op: 'days_ago', value: 1 },
        ],
      },
      { mode: 'count', now },
    );
    expect(q.sql).not.toContain('now()');
    expect(q.params).toEqual(['2027-02-28T21:30:00.000Z', 0, 1]);
    expect(q.sql).toContain(`($1::timestamptz AT TIME ZONE c.time_zone)::date + $2::int`);
    expect(q.sql).toContain(`($1::timestamptz AT TIME ZONE 'UTC')::date - ($3::int + 2)`);
    expect(q.sql.match(/\$1::timestamptz/g)?.length).toBeGreaterThan(3);
  });
  it('counts use the set plan and batches the per-customer plan', () => {
    const windowed: SegmentRule = { field: 'orders.sum', op: 'gt', value: 5, days: 30 };
    expect(compileSegment(windowed, { mode: 'count' }).sql).toContain('GROUP BY seg_o.customer_id HAVING');
    expect(compileSegment(windowed, { mode: 'sample', limit: 5 }).sql).toContain(
      '(SELECT coalesce(sum(seg_o.total), 0) FROM orders seg_o WHERE',
    );
    expect(compileSegment(windowed, { mode: 'batch', afterId: 0, limit: 5 }).sql).toContain(
      '(SELECT coalesce(sum(seg_o.total), 0) FROM orders seg_o WHERE',
    );
  });

  it.each<[string, () => unknown, string]>([
    ['a zero limit', () => compileSegment(rule, { mode: 'sample', limit: 0 }), 'limit must be an integer in 1..1000, got 0'],
    [
      'a huge batch',
      () => compileSegment(rule, { mode: 'batch', afterId: 0, limit: MAX_BATCH + 1 }),
      `limit must be an integer in 1..${MAX_BATCH}`,
    ],
    ['a fractional afterId', () => compileSegment(rule, { mode: 'batch', afterId: 1.5, limit: 1 }), 'afterId must be an integer'],
    [
      'an unknown column',
      () => compileSegment(rule, { mode: 'sample', limit: 1, columns: ['id', 'password_hash'] }),
      'unknown column "password_hash"',
    ],
    ['a column expression', () => compileSegment(rule, { mode: 'sample', limit: 1, columns: ['id, (SELECT 1)'] }), 'unknown column'],
    ['a bad alias', () => compileSegmentWhere(rule, { alias: 'c; DROP TABLE x' }), 'invalid customers alias'],
    ['an alias clashing with subqueries', () => compileSegmentWhere(rule, { alias: 'seg_o' }), 'invalid customers alias'],
    ['a negative offset', () => compileSegmentWhere(rule, { paramOffset: -1 }), 'paramOffset must be a non-negative integer'],
  ])('rejects %s', (_name, call, message) => {
    expect(call).toThrow(RangeError);
    expect(call).toThrow(message);
  });

  it('validates rules again and throws the domain error', () => {
    expect(() => compileSegment({ field: 'password_hash', op: 'eq', value: 'x' }, { mode: 'count' })).toThrow(SegmentRulesError);
    expect(() => compileSegmentWhere({ field: 'order_count', op: 'gte', value: '1; DROP TABLE customers' })).toThrow(
      'invalid segment rules: rules.value: expected a number',
    );
  });
});

describe('compileSegmentWhere: embedding', () => {
  it('numbers placeholders after the offset and uses the alias everywhere', () => {
    const q = compileSegmentWhere(
      {
        all: [
          { field: 'locale', op: 'eq', value: 'ru' },
          { field: 'consent.email', op: 'eq', value: 'opted_in' },
          { field: 'birthday', op: 'in_days', value: 0 },
        ],
      },
      { paramOffset: 3, alias: 'cu' },
    );
    expect(q.params).toEqual(['ru', 'opted_in', 0]);
    expect(placeholders(q.sql)).toEqual([4, 5, 6]);
    expect(q.sql.startsWith('cu.erased_at IS NULL AND ((cu.locale = $4::text AND')).toBe(true);
    expect(q.sql).toContain('seg_cs.customer_id = cu.id');
    expect(q.sql).toContain('AT TIME ZONE cu.time_zone');
    expect(q.sql).not.toMatch(/\bc\./);
  });

  it('adds the keyset bound with afterId', () => {
    const q = compileSegmentWhere({ field: 'engagement.replied', op: 'is_true' }, { afterId: 7, paramOffset: 1 });
    expect(q).toEqual({
      sql: `${LIVE} AND c.id > $2::int AND (EXISTS (SELECT 1 FROM inbound_messages seg_im WHERE seg_im.customer_id = c.id AND seg_im.customer_id > $2::int AND seg_im.kind = 'reply'))`,
      params: [7],
    });
  });
});

describe('compileSegment: hostile values stay in parameters', () => {
  const HOSTILE = "'; DROP TABLE customers; --";
  it.each<[string, SegmentCondition]>([
    ['text eq', { field: 'first_name', op: 'eq', value: HOSTILE }],
    ['text in', { field: 'first_name', op: 'in', value: [HOSTILE, 'x'] }],
    ['contains', { field: 'first_name', op: 'contains', value: HOSTILE }],
    ['attribute eq', { field: 'attributes.note', op: 'eq', value: HOSTILE }],
    ['attribute contains', { field: 'attributes.note', op: 'contains', value: HOSTILE }],
    ['tag (lower-cased like stored tags, still a parameter)', { field: 'tags', op: 'has', value: HOSTILE.toLowerCase() }],
    ['product', { field: 'orders.product', op: 'in', value: [HOSTILE] }],
    ['rfm group', { field: 'rfm_group', op: 'neq', value: 'lost' }],
  ])('%s', (_name, rule) => {
    for (const q of [compileSegment(rule, { mode: 'count' }), compileSegment(rule, { mode: 'batch', afterId: 0, limit: 10 })]) {
      expect(q.sql).not.toContain('DROP');
      expect(q.sql).not.toContain("';");
      expect(JSON.stringify(q.params).toUpperCase()).toContain(rule.op === 'neq' ? 'LOST' : 'DROP TABLE CUSTOMERS');
    }
  });
});

describe('compileSegment: every allow-listed field and operator', () => {
  function sampleValue(def: FieldDef, op: ConditionOp): unknown {
    if (['is_set', 'is_not_set', 'is_true', 'is_false', 'this_month'].includes(op)) return undefined;
    const many = op === 'in' || op === 'not_in' || op === 'has_any' || op === 'has_all' || op === 'has_none';
    const one = (): unknown => {
      if (def.kind === 'column') {
        if (def.values) return def.values[0];
        if (def.pattern) return def.name === 'rfm_cell' ? '555' : 'loyal';
        if (def.type === 'timestamp' || def.type === 'date') {
          if (op === 'between') return ['2026-01-01', '2026-02-01'];
          return ['before', 'after', 'on'].includes(op) ? '2026-01-01' : 5;
        }
        if (def.type === 'text') return 'Sample';
        return op === 'between' ? [1, 5] : 4;
      }
      if (def.kind === 'consent') return 'pending';
      if (def.kind === 'orders' && def.metric !== 'product') return op === 'between' ? [1, 5] : 4;
      if (def.kind === 'attribute') return op === 'between' ? [1, 5] : ['gt', 'gte', 'lt', 'lte'].includes(op) ? 4 : 'Sample';
      return 'Sample';
    };
    return many ? [one()] : one();
  }

  const fields = [
    ...Object.keys(CUSTOMER_FIELDS),
    'attributes.some_key',
    'tags',
    'consent.email',
    'consent.sms',
    'reachable.email',
    'reachable.sms',
    'orders.count',
    'orders.sum',
    'orders.product',
    'engagement.received',
    'engagement.opened',
    'engagement.clicked',
    'engagement.replied',
  ];
  const cases = fields.flatMap((field) => {
    const lookup = resolveField(field);
    if (!lookup.ok) throw new Error(field);
    return opsFor(lookup.def).map((op) => {
      const value = sampleValue(lookup.def, op);
      const rule = { field, op, ...(value === undefined ? {} : { value }) } as SegmentCondition;
      return [`${field} ${op}`, rule] as const;
    });
  });

  it('covers a case per operator of every field', () => {
    expect(cases.length).toBeGreaterThan(150);
  });

  it.each(cases)('%s compiles with placeholders matching params in every mode', (_name, rule) => {
    for (const [q, offset] of [
      [compileSegmentWhere(rule, { plan: 'set' }), 0],
      [compileSegmentWhere(rule, { plan: 'per_row', paramOffset: 4 }), 4],
      [compileSegment(rule, { mode: 'batch', afterId: 10, limit: 10 }), 0],
    ] as const) {
      expect(placeholders(q.sql).sort((a, b) => a - b)).toEqual(q.params.map((_, i) => i + 1 + offset));
      expect(q.sql).not.toContain('Sample');
      expect(q.sql).not.toContain('undefined');
    }
  });
});

describe('escapeLike', () => {
  it.each([
    ['plain', 'plain'],
    ['50%', '50\\%'],
    ['a_b', 'a\\_b'],
    ['back\\slash', 'back\\\\slash'],
  ])('%p → %p', (input, expected) => {
    expect(escapeLike(input)).toBe(expected);
  });
});
