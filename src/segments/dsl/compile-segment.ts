// Compiles segment rules to one parameterised query over `customers c`: a count, a preview
// sample, or one keyset-paginated batch of an audience stream. compileSegmentWhere gives just
// the boolean fragment (with a parameter offset) for callers that embed it, e.g.
//   INSERT INTO messages (...) SELECT ... FROM customers c WHERE <fragment> ...
import { conditionSql } from './condition.sql';
import { CUSTOMER_FIELDS } from './fields';
import { assertSegmentRules, type SegmentRule } from './segment-rules';
import { SqlContext, type SegmentPlan } from './sql-context';

export type { SegmentPlan } from './sql-context';

export interface CompiledQuery {
  sql: string;
  params: unknown[];
}

export interface SegmentWhereOptions {
  /** Placeholders start at $(paramOffset + 1); default 0. */
  paramOffset?: number;
  /** The alias the caller gives `customers`; default `c`. */
  alias?: string;
  /** Pin "now" (tests, a run's frozen occurrence time); default the database's now(). */
  now?: Date;
  /** Default `set`, right for whole-audience statements; `per_row` when a LIMIT stops early. */
  plan?: SegmentPlan;
  /** Keyset: only customers with id > afterId (the bound is repeated inside subqueries). */
  afterId?: number;
}

export type CompileSegmentOptions =
  | { mode: 'count'; now?: Date }
  | { mode: 'sample'; limit: number; columns?: readonly string[]; now?: Date }
  | { mode: 'batch'; afterId: number; limit: number; columns?: readonly string[]; now?: Date }
  | { mode: 'preflight'; random: number; now?: Date };

/** Columns a sample or batch may return: id and the allow-listed customer fields. */
export const SELECTABLE_COLUMNS: readonly string[] = Object.freeze(['id', ...Object.keys(CUSTOMER_FIELDS), 'tags', 'attributes']);
export const DEFAULT_SAMPLE_COLUMNS: readonly string[] = Object.freeze([
  'id',
  'kind',
  'first_name',
  'last_name',
  'company_name',
  'email',
  'phone',
  'locale',
  'time_zone',
]);
export const MAX_SAMPLE = 1000;
export const MAX_BATCH = 50000;

const ALIAS = /^[a-z_][a-z0-9_]{0,30}$/;
const INT32_MAX = 2147483647;

function ruleSql(ctx: SqlContext, rule: SegmentRule): string {
  if ('all' in rule || 'any' in rule) {
    const [children, joiner] = 'all' in rule ? [rule.all, ' AND '] : [rule.any, ' OR '];
    if (children.length === 0) return 'TRUE';
    const parts = children.map((r) => ruleSql(ctx, r));
    return parts.length === 1 ? parts[0] : `(${parts.join(joiner)})`;
  }
  if ('not' in rule) return `NOT (${ruleSql(ctx, rule.not)})`;
  return conditionSql(ctx, rule);
}

function whereWith(ctx: SqlContext, rules: unknown, afterId?: number): string {
  const valid = assertSegmentRules(rules);
  const live = [`${ctx.col('erased_at')} IS NULL`];
  if (afterId !== undefined) {
    checkInt('afterId', afterId, 0, INT32_MAX);
    ctx.customerIdAbove = ctx.param(afterId, '::int');
    live.push(`${ctx.col('id')} > ${ctx.customerIdAbove}`);
  }
  const body = ruleSql(ctx, valid);
  return body === 'TRUE' ? live.join(' AND ') : `${live.join(' AND ')} AND (${body})`;
}

/**
 * The WHERE fragment alone: `c.erased_at IS NULL AND (...)`. Rules are validated again here
 * (throws SegmentRulesError), so nothing unvalidated reaches SQL.
 */
export function compileSegmentWhere(rules: SegmentRule, options: SegmentWhereOptions = {}): CompiledQuery {
  const offset = options.paramOffset ?? 0;
  const alias = options.alias ?? 'c';
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`paramOffset must be a non-negative integer, got ${offset}`);
  if (!ALIAS.test(alias) || alias.startsWith('seg_')) throw new RangeError(`invalid customers alias ${JSON.stringify(alias)}`);
  const ctx = new SqlContext(alias, offset, options.now, options.plan ?? 'set');
  return { sql: whereWith(ctx, rules, options.afterId), params: ctx.params };
}

function checkInt(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new RangeError(`${name} must be an integer in ${min}..${max}, got ${value}`);
}

function selectList(ctx: SqlContext, columns: readonly string[]): string {
  if (columns.length === 0) throw new RangeError('columns must not be empty');
  for (const c of columns) if (!SELECTABLE_COLUMNS.includes(c)) throw new RangeError(`unknown column ${JSON.stringify(c)}`);
  return columns.map((c) => ctx.col(c)).join(', ');
}

/**
 * One complete query for the rules. Read the count as `rows[0].count` (bigint, a string in pg).
 * Counts aggregate windowed order totals once (`set`); samples and batches stop early, so they
 * use per-customer subqueries (`per_row`). Stream an audience by passing the last id of each
 * batch as the next afterId until a batch comes back shorter than limit.
 */
export function compileSegment(rules: SegmentRule, options: CompileSegmentOptions): CompiledQuery {
  switch (options.mode) {
    case 'count': {
      const ctx = new SqlContext('c', 0, options.now, 'set');
      return { sql: `SELECT count(*) AS count FROM customers c WHERE ${whereWith(ctx, rules)}`, params: ctx.params };
    }
    case 'sample': {
      checkInt('limit', options.limit, 1, MAX_SAMPLE);
      const ctx = new SqlContext('c', 0, options.now, 'per_row');
      const where = whereWith(ctx, rules);
      const cols = selectList(ctx, options.columns ?? DEFAULT_SAMPLE_COLUMNS);
      const sql = `SELECT ${cols} FROM customers c WHERE ${where} ORDER BY c.id LIMIT ${ctx.param(options.limit, '::int')}`;
      return { sql, params: ctx.params };
    }
    case 'batch': {
      checkInt('limit', options.limit, 1, MAX_BATCH);
      const ctx = new SqlContext('c', 0, options.now, 'per_row');
      const where = whereWith(ctx, rules, options.afterId);
      const cols = selectList(ctx, options.columns ?? ['id']);
      const sql = `SELECT ${cols} FROM customers c WHERE ${where} ORDER BY c.id LIMIT ${ctx.param(options.limit, '::int')}`;
      return { sql, params: ctx.params };
    }
    case 'preflight': {
      // The recipients a campaign's pre-flight renders: `random` ones, and the profiles with the
      // most and the least text in the fields a message prints (where holes and overflows show).
      // Rows: { id, sample }, a customer possibly under two samples.
      checkInt('random', options.random, 0, MAX_SAMPLE);
      const ctx = new SqlContext('c', 0, options.now, 'set');
      const where = whereWith(ctx, rules);
      const filled = ['first_name', 'patronymic', 'last_name', 'company_name', 'position']
        .map((c) => `coalesce(length(${ctx.col(c)}), 0)`)
        .join(' + ');
      const sql =
        `WITH audience AS MATERIALIZED (SELECT c.id, ${filled} AS filled FROM customers c WHERE ${where}) ` +
        `(SELECT id, 'random' AS sample FROM audience ORDER BY random() LIMIT ${ctx.param(options.random, '::int')}) ` +
        `UNION ALL (SELECT id, 'longest' FROM audience ORDER BY filled DESC, id LIMIT 1) ` +
        `UNION ALL (SELECT id, 'emptiest' FROM audience ORDER BY filled ASC, id LIMIT 1)`;
      return { sql, params: ctx.params };
    }
  }
}
