// One validated condition → one SQL boolean expression that is never NULL (so `NOT` is exact).
// Identifiers come from fields.ts; every value goes through ctx.param(). Subquery aliases start
// with `seg_` so the fragment can sit inside a caller's larger query.
import { escapeLike } from '../../common/like-pattern';
import { normaliseTag } from '../../common/tags';
import {
  resolveField,
  type AttributeField,
  type ColumnField,
  type ConsentField,
  type EngagementField,
  type FieldDef,
  type OrdersField,
  type ReachableField,
} from './fields';
import type { SegmentCondition } from './segment-rules';
import type { SqlContext } from './sql-context';

const CMP = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
type CmpOp = keyof typeof CMP;

const CAST: Record<ColumnField['type'], string> = {
  text: '::text',
  enum: '::text',
  int: '::int',
  numeric: '::numeric',
  timestamp: '::date',
  date: '::date',
  bool: '::boolean',
};

function likePattern(op: string, value: string): string {
  const v = escapeLike(value);
  if (op === 'starts_with') return `${v}%`;
  if (op === 'ends_with') return `%${v}`;
  return `%${v}%`;
}

function isCmp(op: string): op is CmpOp {
  return Object.hasOwn(CMP, op);
}

export function conditionSql(ctx: SqlContext, cond: SegmentCondition): string {
  const lookup = resolveField(cond.field);
  if (!lookup.ok) throw new Error(`unvalidated segment field ${JSON.stringify(cond.field)}`);
  return fieldSql(ctx, lookup.def, cond);
}

function fieldSql(ctx: SqlContext, def: FieldDef, cond: SegmentCondition): string {
  switch (def.kind) {
    case 'column':
      return columnSql(ctx, def, cond);
    case 'attribute':
      return attributeSql(ctx, def, cond);
    case 'tags':
      return tagsSql(ctx, cond);
    case 'consent':
      return consentSql(ctx, def, cond);
    case 'reachable':
      return reachableSql(ctx, def, cond);
    case 'orders':
      return ordersSql(ctx, def, cond);
    case 'engagement':
      return engagementSql(ctx, def, cond);
  }
}

function unsupported(cond: SegmentCondition): never {
  throw new Error(`unvalidated operator ${JSON.stringify(cond.op)} for field ${JSON.stringify(cond.field)}`);
}

// ───────────────────────────── customer columns ─────────────────────────────

function columnSql(ctx: SqlContext, f: ColumnField, cond: SegmentCondition): string {
  const col = ctx.col(f.name);
  const op = cond.op;
  if (op === 'is_set') return f.type === 'text' ? `(${col} IS NOT NULL AND ${col} <> '')` : `${col} IS NOT NULL`;
  if (op === 'is_not_set') return f.type === 'text' ? `(${col} IS NULL OR ${col} = '')` : `${col} IS NULL`;
  if (op === 'is_true') return col;
  if (op === 'is_false') return `NOT ${col}`;
  if (f.type === 'timestamp') return timestampSql(ctx, f, cond);
  if (f.type === 'date') return dateSql(ctx, f, cond);

  const guard = (expr: string) => (f.nullable ? `(${col} IS NOT NULL AND ${expr})` : expr);
  const lhs = f.pgEnum ? `${col}::text` : col;
  const cast = f.char ? '::bpchar' : CAST[f.type];
  const v = cond.value;
  switch (op) {
    case 'neq':
      return f.nullable ? `${lhs} IS DISTINCT FROM ${ctx.param(v, cast)}` : `${lhs} <> ${ctx.param(v, cast)}`;
    case 'in':
      return guard(`${lhs} = ANY(${ctx.param(v, `${cast}[]`)})`);
    case 'not_in': {
      const expr = `${lhs} <> ALL(${ctx.param(v, `${cast}[]`)})`;
      return f.nullable ? `(${col} IS NULL OR ${expr})` : expr;
    }
    case 'between': {
      const [from, to] = v as [unknown, unknown];
      return guard(`${lhs} BETWEEN ${ctx.param(from, cast)} AND ${ctx.param(to, cast)}`);
    }
    case 'contains':
    case 'starts_with':
    case 'ends_with':
      return guard(`${col} ILIKE ${ctx.param(likePattern(op, v as string), '::text')}`);
    default:
      if (isCmp(op)) return guard(`${lhs} ${CMP[op]} ${ctx.param(v, cast)}`);
      return unsupported(cond);
  }
}

/**
 * Timestamp columns hold UTC. The exact test compares the customer-local calendar date; the
 * extra range on the bare column is always wider (time zones are less than a day from UTC) and
 * lets PostgreSQL use an index on the column.
 */
function timestampSql(ctx: SqlContext, f: ColumnField, cond: SegmentCondition): string {
  const col = ctx.col(f.name);
  const local = ctx.localDate(col);
  const parts = f.nullable ? [`${col} IS NOT NULL`] : [];
  const v = cond.value;
  switch (cond.op) {
    case 'before': {
      const d = ctx.param(v, '::date');
      parts.push(`${col} < ${d} + 1`, `${local} < ${d}`);
      break;
    }
    case 'after': {
      const d = ctx.param(v, '::date');
      parts.push(`${col} >= ${d}`, `${local} > ${d}`);
      break;
    }
    case 'on': {
      const d = ctx.param(v, '::date');
      parts.push(`${col} >= ${d} - 1`, `${col} < ${d} + 2`, `${local} = ${d}`);
      break;
    }
    case 'between': {
      const [from, to] = v as [string, string];
      const a = ctx.param(from, '::date');
      const b = ctx.param(to, '::date');
      parts.push(`${col} >= ${a} - 1`, `${col} < ${b} + 2`, `${local} BETWEEN ${a} AND ${b}`);
      break;
    }
    case 'within_last_days':
      parts.push(...sinceDays(ctx, col, v as number));
      break;
    case 'more_than_days_ago':
      parts.push(...beforeDays(ctx, col, v as number));
      break;
    case 'days_ago': {
      // Exact day: the zone conversion runs for rows in the three-day band only, which is small.
      const n = ctx.param(v, '::int');
      parts.push(
        `${col} >= ${ctx.todayUtc()} - (${n} + 2)`,
        `${col} < ${ctx.todayUtc()} - ${n} + 2`,
        `${local} = ${ctx.todayLocal()} - ${n}`,
      );
      break;
    }
    default:
      return unsupported(cond);
  }
  return `(${parts.join(' AND ')})`;
}

/**
 * `col` (a UTC timestamp) falls on or after the customer-local day `days` days before today.
 * The first range is index-friendly and always wider; rows at least two days inside it are in
 * the window whatever the zone, so the costly zone conversion only runs for the few days at
 * the edge (OR stops at its first true argument).
 */
function sinceDays(ctx: SqlContext, col: string, days: number, timeZoneExpr?: string): string[] {
  const n = ctx.param(days, '::int');
  const utc = ctx.todayUtc();
  return [
    `${col} >= ${utc} - (${n} + 2)`,
    `(${col} >= ${utc} - ${n} + 2 OR ${ctx.localDate(col, timeZoneExpr)} >= ${ctx.todayLocal(timeZoneExpr)} - ${n})`,
  ];
}

/** `col` (a UTC timestamp) falls before the customer-local day `days` days before today. */
function beforeDays(ctx: SqlContext, col: string, days: number): string[] {
  const n = ctx.param(days, '::int');
  const utc = ctx.todayUtc();
  return [`${col} < ${utc} - ${n} + 2`, `(${col} < ${utc} - (${n} + 2) OR ${ctx.localDate(col)} < ${ctx.todayLocal()} - ${n})`];
}

const mmdd = (dateExpr: string) => `to_char((${dateExpr})::timestamp, 'MMDD')`;

function dateSql(ctx: SqlContext, f: ColumnField, cond: SegmentCondition): string {
  const col = ctx.col(f.name);
  const guard = (expr: string) => (f.nullable ? `(${col} IS NOT NULL AND ${expr})` : expr);
  const v = cond.value;
  switch (cond.op) {
    case 'before':
      return guard(`${col} < ${ctx.param(v, '::date')}`);
    case 'after':
      return guard(`${col} > ${ctx.param(v, '::date')}`);
    case 'on':
      return guard(`${col} = ${ctx.param(v, '::date')}`);
    case 'between': {
      const [from, to] = v as [string, string];
      return guard(`${col} BETWEEN ${ctx.param(from, '::date')} AND ${ctx.param(to, '::date')}`);
    }
    case 'in_days': {
      // The day N days from today in the customer's zone; 29 Feb matches 28 Feb when the year has no 29 Feb.
      const day = `${ctx.todayLocal()} + ${ctx.param(v, '::int')}`;
      return guard(`(${mmdd(col)} = ${mmdd(day)} OR (${mmdd(col)} = '0229' AND ${mmdd(day)} = '0228' AND ${mmdd(`${day} + 1`)} = '0301'))`);
    }
    case 'in_next_days': {
      // The anniversary this year or next (PostgreSQL puts 29 February on 28 February in a
      // common year, as in_days does) falls between today and today + N in the customer's zone.
      const today = ctx.todayLocal();
      const end = `${today} + ${ctx.param(v, '::int')}`;
      const years = `(date_part('year', ${today}) - date_part('year', ${col}))::int`;
      const anniversary = (plus: string) => `(${col} + make_interval(years => ${years}${plus}))::date`;
      return guard(`(${anniversary('')} BETWEEN ${today} AND ${end} OR ${anniversary(' + 1')} BETWEEN ${today} AND ${end})`);
    }
    case 'this_month':
      return guard(`date_part('month', ${col}) = date_part('month', ${ctx.todayLocal()})`);
    default:
      return unsupported(cond);
  }
}

// ───────────────────────────── JSON attributes ─────────────────────────────

function attributeSql(ctx: SqlContext, f: AttributeField, cond: SegmentCondition): string {
  const key = ctx.param(f.key, '::text');
  const node = `${ctx.col('attributes')} -> ${key}`;
  const text = `${ctx.col('attributes')} ->> ${key}`;
  const typed = (jsonType: string, expr: string) => `CASE WHEN jsonb_typeof(${node}) = '${jsonType}' THEN ${expr} ELSE false END`;
  const equals = (json: string) => `(${node} IS NOT NULL AND ${node} = ${json})`;
  const v = cond.value;
  switch (cond.op) {
    case 'eq':
    case 'in':
      return scalarIn(ctx, node, text, cond.op === 'eq' ? [v as Scalar] : (v as Scalar[]));
    case 'neq':
    case 'not_in':
      return `NOT ${scalarIn(ctx, node, text, cond.op === 'neq' ? [v as Scalar] : (v as Scalar[]))}`;
    case 'between': {
      const [from, to] = v as [number, number];
      return typed('number', `(${text})::numeric BETWEEN ${ctx.param(from, '::numeric')} AND ${ctx.param(to, '::numeric')}`);
    }
    case 'contains':
    case 'starts_with':
    case 'ends_with':
      return typed('string', `${text} ILIKE ${ctx.param(likePattern(cond.op, v as string), '::text')}`);
    case 'is_true':
      return equals(`'true'::jsonb`);
    case 'is_false':
      return equals(`'false'::jsonb`);
    case 'is_set':
      return `(${node} IS NOT NULL AND ${node} <> 'null'::jsonb)`;
    case 'is_not_set':
      return `(${node} IS NULL OR ${node} = 'null'::jsonb)`;
    default:
      if (isCmp(cond.op)) return typed('number', `(${text})::numeric ${CMP[cond.op]} ${ctx.param(v, '::numeric')}`);
      return unsupported(cond);
  }
}

type Scalar = string | number | boolean;

/**
 * The attribute equals one of the values, JSON types included (5 is not "5"), never NULL.
 * Compared as text (`->>`) with a type check rather than as jsonb values: same answer, and a
 * jsonb comparison per customer cost about 0.9 s of CPU per million rows, text 0.1–0.2 s.
 * `node` is the attribute as jsonb (`->`), `text` as text (`->>`).
 */
function scalarIn(ctx: SqlContext, node: string, text: string, values: readonly Scalar[]): string {
  const oneOrAny = (list: readonly unknown[], cast: string) =>
    list.length === 1 ? `= ${ctx.param(list[0], cast)}` : `= ANY(${ctx.param(list, `${cast}[]`)})`;
  const strings = values.filter((x): x is string => typeof x === 'string');
  const numbers = values.filter((x): x is number => typeof x === 'number');
  const booleans = values.filter((x): x is boolean => typeof x === 'boolean').map(String);
  const parts: string[] = [];
  if (strings.length) parts.push(`(${text} ${oneOrAny(strings, '::text')} AND jsonb_typeof(${node}) = 'string')`);
  if (booleans.length) parts.push(`(${text} ${oneOrAny(booleans, '::text')} AND jsonb_typeof(${node}) = 'boolean')`);
  // CASE, not AND: the cast must never meet a non-number, whatever order the planner picks.
  if (numbers.length)
    parts.push(`CASE WHEN jsonb_typeof(${node}) = 'number' THEN (${text})::numeric ${oneOrAny(numbers, '::numeric')} ELSE false END`);
  return `coalesce(${parts.join(' OR ')}, false)`;
}

// ───────────────────────────── tags, consent, reachability ─────────────────────────────

/** Tags are stored normalised (common/tags.ts), so the literal is too: "SyncA" finds "synca". */
function tagsSql(ctx: SqlContext, cond: SegmentCondition): string {
  const tags = ctx.col('tags');
  const one = () => ctx.param(normaliseTag(cond.value as string), '::text');
  const list = () => ctx.param([...new Set((cond.value as string[]).map(normaliseTag))], '::text[]');
  switch (cond.op) {
    case 'has':
      return `(${tags} IS NOT NULL AND ${tags} @> ARRAY[${one()}])`;
    case 'has_all':
      return `(${tags} IS NOT NULL AND ${tags} @> ${list()})`;
    case 'has_any':
      return `(${tags} IS NOT NULL AND ${tags} && ${list()})`;
    case 'has_none':
      return `(${tags} IS NULL OR NOT (${tags} && ${list()}))`;
    default:
      return unsupported(cond);
  }
}

// The column's own enum type, not text: the planner then knows from the statistics that most
// rows are opted in (a `::text` comparison is guessed at 0.5 % and led to nested-loop plans).
const STATUS = '::"ConsentStatus"';

function consentSql(ctx: SqlContext, f: ConsentField, cond: SegmentCondition): string {
  const exists = (extra: string) =>
    `EXISTS (SELECT 1 FROM consents seg_cs WHERE seg_cs.customer_id = ${ctx.col('id')}${ctx.customerBound('seg_cs.customer_id')}` +
    ` AND seg_cs.channel = '${f.channel}'${extra})`;
  switch (cond.op) {
    case 'eq':
      return exists(` AND seg_cs.status = ${ctx.param(cond.value, STATUS)}`);
    case 'neq':
      return `NOT ${exists(` AND seg_cs.status = ${ctx.param(cond.value, STATUS)}`)}`;
    case 'in':
      return exists(` AND seg_cs.status = ANY(${ctx.param(cond.value, `${STATUS}[]`)})`);
    case 'not_in':
      return `NOT ${exists(` AND seg_cs.status = ANY(${ctx.param(cond.value, `${STATUS}[]`)})`)}`;
    case 'is_set':
      return exists('');
    case 'is_not_set':
      return `NOT ${exists('')}`;
    default:
      return unsupported(cond);
  }
}

const ADDRESS = { email: { column: 'email', valid: 'email_valid' }, sms: { column: 'phone', valid: 'phone_valid' } } as const;

/** Suppressions are keyed by sha256 hex of the normalised address, as stored on the customer. */
function reachableSql(ctx: SqlContext, f: ReachableField, cond: SegmentCondition): string {
  const address = ctx.col(ADDRESS[f.channel].column);
  const sql =
    `(${address} IS NOT NULL AND ${address} <> '' AND ${ctx.col(ADDRESS[f.channel].valid)}` +
    ` AND NOT EXISTS (SELECT 1 FROM suppressions seg_s WHERE seg_s.channel = '${f.channel}'` +
    ` AND seg_s.address_hash = encode(sha256(convert_to(${address}, 'UTF8')), 'hex')))`;
  if (cond.op === 'is_true') return sql;
  if (cond.op === 'is_false') return `NOT ${sql}`;
  return unsupported(cond);
}

// ───────────────────────────── orders ─────────────────────────────

function ordersSql(ctx: SqlContext, f: OrdersField, cond: SegmentCondition): string {
  const base = `seg_o.customer_id = ${ctx.col('id')}${ctx.customerBound('seg_o.customer_id')} AND seg_o.status <> 'cancelled'`;
  const window = () => (cond.days === undefined ? '' : ` AND ${sinceDays(ctx, 'seg_o.ordered_at', cond.days).join(' AND ')}`);

  if (f.metric === 'product') {
    const product =
      cond.op === 'in'
        ? `seg_oi.product_id = ANY(${ctx.param(cond.value, '::text[]')})`
        : `seg_oi.product_id = ${ctx.param(cond.value, '::text')}`;
    return `EXISTS (SELECT 1 FROM orders seg_o JOIN order_items seg_oi ON seg_oi.order_id = seg_o.id WHERE ${base} AND ${product}${window()})`;
  }

  const cast = f.metric === 'count' ? '::int' : '::numeric';
  const compare = (lhs: string) => {
    if (cond.op === 'between') {
      const [from, to] = cond.value as [number, number];
      return `${lhs} BETWEEN ${ctx.param(from, cast)} AND ${ctx.param(to, cast)}`;
    }
    if (isCmp(cond.op)) return `${lhs} ${CMP[cond.op]} ${ctx.param(cond.value, cast)}`;
    return unsupported(cond);
  };

  // Not the customer's stored order_count / order_sum: those count cancelled orders too (the
  // customers module keeps them that way), and orders.* never does, with or without a window.
  if (f.metric === 'count') {
    // "at least one" / "none" are a semi-join / anti-join on orders(customer_id, ordered_at).
    const v = cond.value as number;
    const atLeastOne = (cond.op === 'gte' && v === 1) || (cond.op === 'gt' && v === 0);
    const none = (cond.op === 'eq' && v === 0) || (cond.op === 'lt' && v === 1) || (cond.op === 'lte' && v === 0);
    if (atLeastOne || none) {
      const sql = `EXISTS (SELECT 1 FROM orders seg_o WHERE ${base}${window()})`;
      return none ? `NOT ${sql}` : sql;
    }
  }
  const total = f.metric === 'count' ? 'count(*)' : 'coalesce(sum(seg_o.total), 0)';
  if (ctx.plan === 'per_row') return compare(`(SELECT ${total} FROM orders seg_o WHERE ${base}${window()})`);

  // Set plan: aggregate the window's orders once per customer (a hash join, not 1M subqueries).
  // A customer without orders in the window has total 0, so when 0 satisfies the comparison the
  // condition becomes "not among the customers whose total fails it".
  // The zone is looked up only for orders at the window's edge (see sinceDays), not joined.
  const zone = `(SELECT seg_z.time_zone FROM customers seg_z WHERE seg_z.id = seg_o.customer_id)`;
  const where =
    `seg_o.status <> 'cancelled'${ctx.customerBound('seg_o.customer_id')}` +
    (cond.days === undefined ? '' : ` AND ${sinceDays(ctx, 'seg_o.ordered_at', cond.days, zone).join(' AND ')}`);
  const zeroPasses = comparePasses(cond, 0);
  const having = zeroPasses ? `NOT (${compare(total)})` : compare(total);
  const grouped = `SELECT seg_o.customer_id FROM orders seg_o WHERE ${where} GROUP BY seg_o.customer_id HAVING ${having}`;
  const sql = `EXISTS (SELECT 1 FROM (${grouped}) seg_x WHERE seg_x.customer_id = ${ctx.col('id')})`;
  return zeroPasses ? `NOT ${sql}` : sql;
}

/** Whether `total <op> value` holds for this total. */
function comparePasses(cond: SegmentCondition, total: number): boolean {
  if (cond.op === 'between') {
    const [from, to] = cond.value as [number, number];
    return total >= from && total <= to;
  }
  const v = cond.value as number;
  switch (cond.op) {
    case 'eq':
      return total === v;
    case 'neq':
      return total !== v;
    case 'gt':
      return total > v;
    case 'gte':
      return total >= v;
    case 'lt':
      return total < v;
    case 'lte':
      return total <= v;
    default:
      return unsupported(cond);
  }
}

// ───────────────────────────── engagement ─────────────────────────────

function engagementSql(ctx: SqlContext, f: EngagementField, cond: SegmentCondition): string {
  const id = ctx.col('id');
  const filters: string[] = [];
  let from: string;
  let alias: string;
  let at: string;
  switch (f.event) {
    case 'received':
      [from, alias, at] = ['messages seg_m', 'seg_m', 'seg_m.sent_at'];
      filters.push(
        `seg_m.customer_id = ${id}${ctx.customerBound('seg_m.customer_id')}`,
        `seg_m.status IN ('sent', 'delivered', 'complained')`,
      );
      if (cond.channel !== undefined) filters.push(`seg_m.channel::text = ${ctx.param(cond.channel, '::text')}`);
      break;
    case 'opened':
    case 'clicked':
      [from, alias, at] = ['tracking_events seg_t', 'seg_t', 'seg_t.at'];
      filters.push(
        `seg_t.customer_id = ${id}${ctx.customerBound('seg_t.customer_id')}`,
        f.event === 'opened' ? `seg_t.type IN ('open', 'click')` : `seg_t.type = 'click'`,
        'NOT seg_t.is_bot',
      );
      break;
    case 'replied':
      [from, alias, at] = ['inbound_messages seg_im', 'seg_im', 'seg_im.received_at'];
      filters.push(`seg_im.customer_id = ${id}${ctx.customerBound('seg_im.customer_id')}`, `seg_im.kind = 'reply'`);
      break;
  }
  if (cond.campaignId !== undefined) filters.push(`${alias}.campaign_id = ${ctx.param(cond.campaignId, '::int')}`);
  if (cond.days !== undefined) filters.push(...sinceDays(ctx, at, cond.days));
  const sql = `EXISTS (SELECT 1 FROM ${from} WHERE ${filters.join(' AND ')})`;
  if (cond.op === 'is_true') return sql;
  if (cond.op === 'is_false') return `NOT ${sql}`;
  return unsupported(cond);
}
