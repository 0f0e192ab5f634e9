/*
 * Segment rule DSL: a JSON tree stored in `segments.rules`, validated here and compiled to one
 * parameterised SQL query by compile-segment.ts.
 *
 * A rule is a group or a condition:
 *   { "all": [rule, ...] }   every rule holds (an empty `all` matches every customer)
 *   { "any": [rule, ...] }   at least one rule holds (at least one rule required)
 *   { "not": rule }          the rule does not hold (conditions never yield SQL NULL, so `not` is exact)
 *   { "field": "<name>", "op": "<operator>", "value": <value>, ...options }
 *
 * Every condition has that one shape. `field` comes from the allow-list in fields.ts:
 *   customer columns   kind, first_name, email, locale, time_zone, source, registered_at,
 *                      order_count, order_sum, first_order_at, last_order_at, birthday,
 *                      rfm_recency/frequency/monetary, rfm_cell, rfm_group, abc_class, xyz_class,
 *                      rating, ... (text: eq neq in not_in contains starts_with ends_with is_set
 *                      is_not_set; numbers: eq neq gt gte lt lte between; enums: eq neq in not_in;
 *                      booleans: is_true is_false; nullable fields also is_set / is_not_set)
 *   dates              before / after / on "YYYY-MM-DD", between ["YYYY-MM-DD","YYYY-MM-DD"]
 *                      (inclusive), within_last_days N, more_than_days_ago N, days_ago N. All are
 *                      calendar days in the customer's own time zone (customers.time_zone).
 *   birthday           also in_days N: the birthday falls N days from today (0 = today) in the
 *                      customer's time zone; a 29 February birthday counts on 28 February in
 *                      non-leap years; in_next_days N: the birthday falls within the next N
 *                      days, today included (0 = today, 6 = this coming week); this_month (no
 *                      value): the birthday's month is the current month in the customer's zone.
 *   last order N days  last_order_at more_than_days_ago N: one condition, not one per day.
 *   attributes.<key>   JSON attribute, key ^[A-Za-z0-9_]{1,64}$; eq/neq take a string, number or
 *                      boolean and compare JSON values exactly (5 ≠ "5"); gt..between need a
 *                      number and skip non-numbers; contains.. need a string; is_true / is_false;
 *                      is_set (present and not JSON null)
 *   tags               has "x", has_any / has_all / has_none ["x", "y"]
 *   consent.email|sms  eq / neq / in / not_in opted_in|opted_out|pending; is_set / is_not_set
 *                      (a consent row exists). A customer with no row is `neq` any status.
 *   reachable.email|sms is_true / is_false: a valid address that is not in `suppressions`
 *   orders.count|sum   eq neq gt gte lt lte between, optional "days": N (orders placed in the last
 *                      N days, customer's calendar; without days, all time). Cancelled orders
 *                      never count here, unlike in the stored order_count / order_sum columns.
 *   orders.product     eq "product-id" / in ["id", ...], optional days: bought that product
 *   engagement.received|opened|clicked|replied
 *                      is_true / is_false, optional "days": N, "campaignId": id and, for
 *                      received, "channel": "email"|"sms". Opens and clicks ignore bot events.
 *
 * `neq`, `not_in` and `is_not_set` also match customers whose field is empty, exactly as
 * { "not": { ...eq } } does. Text eq/in compare exactly; contains/starts_with/ends_with ignore case.
 * Erased customers (erased_at set) are never in a segment, whatever the rules say.
 *
 * Examples:
 *   { "field": "order_count", "op": "gte", "value": 3 }
 *   { "all": [ { "field": "birthday", "op": "in_days", "value": 0 },
 *              { "field": "reachable.email", "op": "is_true" },
 *              { "field": "consent.email", "op": "eq", "value": "opted_in" } ] }
 *   { "any": [ { "field": "tags", "op": "has_any", "value": ["vip", "wholesale"] },
 *              { "field": "attributes.loyalty_level", "op": "gte", "value": 2 },
 *              { "not": { "field": "engagement.opened", "op": "is_true", "days": 90 } } ] }
 */
import { z } from 'zod';
import {
  ALLOWED_FIELD_NAMES,
  ATTRIBUTE_KEY_PATTERN,
  CHANNELS,
  CONSENT_STATUSES,
  opsFor,
  resolveField,
  type Channel,
  type ColumnField,
  type ConditionOp,
  type FieldDef,
} from './fields';
import { formatIssues, describeIssue, type Issue } from './format-issues';

export type { ConditionOp } from './fields';

export type ConditionValue = string | number | boolean | readonly (string | number)[];

export interface SegmentCondition {
  field: string;
  op: ConditionOp;
  value?: ConditionValue;
  /** orders.* and engagement.*: only look at the last N days. */
  days?: number;
  /** engagement.*: only this campaign. */
  campaignId?: number;
  /** engagement.received: only messages on this channel. */
  channel?: Channel;
}
export interface AllGroup {
  all: SegmentRule[];
}
export interface AnyGroup {
  any: SegmentRule[];
}
export interface NotGroup {
  not: SegmentRule;
}
export type SegmentRule = AllGroup | AnyGroup | NotGroup | SegmentCondition;

export const MAX_DEPTH = 10;
export const MAX_CONDITIONS = 200;
export const MAX_LIST = 1000;

export type ParseResult = { ok: true; rules: SegmentRule } | { ok: false; errors: string[]; issues: Issue[] };

/** Domain error for rules that do not validate; `errors` are formatted `path: reason` lines. */
export class SegmentRulesError extends Error {
  readonly code = 'invalid_segment_rules';
  constructor(readonly errors: readonly string[]) {
    super(`invalid segment rules: ${errors.join('; ')}`);
    this.name = 'SegmentRulesError';
  }
}

// ───────────────────────────── value schemas ─────────────────────────────

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const text = z.string().max(1000);
const nonEmptyText = z.string().min(1).max(1000);
const int32 = z.int().min(INT32_MIN).max(INT32_MAX);
const count = z.int().min(0).max(INT32_MAX);
const num = z.number();
const isoDate = z.iso.date();
const days = z.int().min(0).max(36500);
const list = <T extends z.ZodType>(item: T) => z.array(item).min(1).max(MAX_LIST);
const ordered = (pair: unknown) => {
  const [from, to] = pair as [number | string, number | string];
  return from <= to;
};
const range = <T extends z.ZodType<number | string>>(item: T) =>
  z.tuple([item, item]).refine(ordered, { message: 'expected [from, to] with from ≤ to' });
const scalar = z.union([text, num, z.boolean()], { error: 'expected a string, a number or a boolean' });
const stringOrNumber = z.union([text, num], { error: 'expected a string or a number' });
const tag = z.string().min(1).max(200);
const productId = z.string().min(1).max(200);

function enumValue(f: ColumnField): z.ZodType<string> {
  if (f.values) return z.enum(f.values as [string, ...string[]]);
  return z.string().regex(f.pattern ?? /^$/);
}

/** Schema of `value` for one field and operator; undefined when the operator takes no value. */
function valueSchema(def: FieldDef, op: ConditionOp): z.ZodType | undefined {
  if (['is_set', 'is_not_set', 'is_true', 'is_false', 'this_month'].includes(op)) return undefined;
  switch (def.kind) {
    case 'column':
      return columnValueSchema(def, op);
    case 'attribute':
      if (op === 'eq' || op === 'neq') return scalar;
      if (op === 'in' || op === 'not_in') return list(stringOrNumber);
      if (op === 'between') return range(num);
      if (op === 'contains' || op === 'starts_with' || op === 'ends_with') return nonEmptyText;
      return num;
    case 'tags':
      return op === 'has' ? tag : list(tag);
    case 'consent':
      return op === 'in' || op === 'not_in' ? list(z.enum(CONSENT_STATUSES)) : z.enum(CONSENT_STATUSES);
    case 'orders':
      if (def.metric === 'product') return op === 'in' ? list(productId) : productId;
      if (def.metric === 'count') return op === 'between' ? range(count) : count;
      return op === 'between' ? range(num) : num;
    case 'reachable':
    case 'engagement':
      return undefined;
  }
}

function columnValueSchema(f: ColumnField, op: ConditionOp): z.ZodType {
  switch (f.type) {
    case 'text':
      if (op === 'in' || op === 'not_in') return list(text);
      return op === 'eq' || op === 'neq' ? text : nonEmptyText;
    case 'int':
      return op === 'between' ? range(int32) : int32;
    case 'numeric':
      return op === 'between' ? range(num) : num;
    case 'timestamp':
    case 'date':
      if (op === 'between') return range(isoDate);
      if (op === 'in_days' || op === 'in_next_days') return z.int().min(0).max(366);
      return op === 'before' || op === 'after' || op === 'on' ? isoDate : days;
    case 'enum':
      return op === 'in' || op === 'not_in' ? list(enumValue(f)) : enumValue(f);
    case 'bool':
      throw new Error('unreachable: boolean fields take no value');
  }
}

function conditionSchema(def: FieldDef, op: ConditionOp): z.ZodType<SegmentCondition> {
  const shape: Record<string, z.ZodType> = { field: z.string(), op: z.literal(op) };
  const value = valueSchema(def, op);
  if (value) shape.value = value;
  if (def.kind === 'orders' || def.kind === 'engagement') shape.days = days.optional();
  if (def.kind === 'engagement') shape.campaignId = z.int().min(1).max(INT32_MAX).optional();
  if (def.kind === 'engagement' && def.event === 'received') shape.channel = z.enum(CHANNELS).optional();
  return z.strictObject(shape) as unknown as z.ZodType<SegmentCondition>;
}

// ───────────────────────────── tree walk ─────────────────────────────

type Path = PropertyKey[];

class Walker {
  readonly issues: Issue[] = [];
  conditions = 0;

  custom(path: Path, message: string, input?: unknown): void {
    this.issues.push({ code: 'custom', path, message, input });
  }

  check<T>(schema: z.ZodType<T>, value: unknown, path: Path): T | undefined {
    const r = schema.safeParse(value, { reportInput: true });
    if (r.success) return r.data;
    for (const issue of r.error.issues) this.issues.push({ ...issue, path: [...path, ...issue.path] });
    return undefined;
  }

  rule(value: unknown, path: Path, depth: number): SegmentRule | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.custom(path, 'expected an object with one of "all", "any", "not" or "field"', value);
      return undefined;
    }
    if (depth > MAX_DEPTH) {
      this.custom(path, `rules nested too deeply (at most ${MAX_DEPTH} levels)`);
      return undefined;
    }
    const obj = value as Record<string, unknown>;
    if ('field' in obj) return this.condition(obj, path);
    const kinds = (['all', 'any', 'not'] as const).filter((k) => k in obj);
    if (kinds.length !== 1) {
      this.custom(
        path,
        kinds.length ? `expected only one of ${kinds.map((k) => `"${k}"`).join(', ')}` : 'expected one of "all", "any", "not" or "field"',
      );
      return undefined;
    }
    const kind = kinds[0];
    const extra = Object.keys(obj).filter((k) => k !== kind);
    if (extra.length) this.issues.push({ code: 'unrecognized_keys', keys: extra, path, message: '' });
    if (kind === 'not') {
      const inner = this.rule(obj.not, [...path, 'not'], depth + 1);
      return inner && !extra.length ? { not: inner } : undefined;
    }
    const items = this.check(
      z
        .array(z.unknown())
        .min(kind === 'any' ? 1 : 0)
        .max(MAX_CONDITIONS),
      obj[kind],
      [...path, kind],
    );
    if (!items) return undefined;
    const rules = items.map((item, i) => this.rule(item, [...path, kind, i], depth + 1));
    if (extra.length || rules.some((r) => r === undefined)) return undefined;
    return kind === 'all' ? { all: rules as SegmentRule[] } : { any: rules as SegmentRule[] };
  }

  condition(obj: Record<string, unknown>, path: Path): SegmentCondition | undefined {
    this.conditions++;
    // Past the limit the tree is refused anyway (parseSegmentRules says so once): checking the
    // rest would only cost time, ~0.5 ms each (40,000 conditions in a 2 MB body took 20 s).
    if (this.conditions > MAX_CONDITIONS) return undefined;
    const field = this.check(z.string(), obj.field, [...path, 'field']);
    if (field === undefined) return undefined;
    const lookup = resolveField(field);
    if (!lookup.ok) {
      const message =
        lookup.reason === 'bad_attribute_key'
          ? `invalid attribute key ${JSON.stringify(field.slice('attributes.'.length))}: keys match ${ATTRIBUTE_KEY_PATTERN}`
          : `unknown field ${JSON.stringify(field)}; allowed: ${ALLOWED_FIELD_NAMES.join(', ')}`;
      this.custom([...path, 'field'], message, field);
      return undefined;
    }
    const ops = opsFor(lookup.def);
    const op = this.check(z.enum(ops as [ConditionOp, ...ConditionOp[]]), obj.op, [...path, 'op']);
    if (op === undefined) return undefined;
    return this.check(conditionSchema(lookup.def, op), obj, path);
  }
}

/** Validates an untrusted rule tree. Errors read `rules.any[2].value: expected a number`. */
export function parseSegmentRules(input: unknown, root = 'rules'): ParseResult {
  const walker = new Walker();
  const rules = walker.rule(input, [], 0);
  if (walker.conditions > MAX_CONDITIONS) walker.custom([], `too many conditions (${walker.conditions}, at most ${MAX_CONDITIONS})`);
  if (rules && walker.issues.length === 0) return { ok: true, rules };
  return { ok: false, errors: formatIssues(walker.issues, root), issues: walker.issues };
}

/** Like parseSegmentRules, but throws SegmentRulesError. */
export function assertSegmentRules(input: unknown, root = 'rules'): SegmentRule {
  const r = parseSegmentRules(input, root);
  if (!r.ok) throw new SegmentRulesError(r.errors);
  return r.rules;
}

/**
 * The same validation as a zod schema, for request bodies validated at the edge with zod.
 * Each issue carries the failing path and a plain-words message (see format-issues.ts).
 */
export const segmentRulesSchema: z.ZodType<SegmentRule, unknown> = z.unknown().transform((input, ctx) => {
  const r = parseSegmentRules(input);
  if (r.ok) return r.rules;
  for (const issue of r.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: describeIssue(issue), input: issue.input });
  return z.NEVER;
});
