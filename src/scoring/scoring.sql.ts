// The SQL that recomputes RFM, ABC, XYZ and the A–E rating for every customer, set-based, run
// in one transaction (the rules are described in scoring-config.ts):
//
//   1. compute_scores: one statement fills a temporary table with the new scores of every live
//      customer that has orders. Orders are grouped once per customer for the RFM and ABC
//      totals, and once per customer and month over the XYZ months only; window functions give
//      the quintiles and the ABC running total. Sums are float8: ranking and shares need no
//      exact cents, and float sums are several times cheaper than numeric ones.
//   2. apply_scores: ONE UPDATE … FROM the temporary table, in customer id order (so each page
//      is written once), touching only rows whose scores changed (IS DISTINCT FROM); then
//      apply_no_orders clears the scores of the others. No score column is indexed, so with
//      free room on the page an update is HOT and adds no index entries (the customers table
//      keeps half of each page free for that, see the 20261123111000_segments migration).
//   3. ANALYZE customers, so segment queries on the new classes are planned on fresh figures.
//
// Measured on 1M customers / 5M orders (2 cores): the former single CTE + UPDATE (a grouping by
// month and customer over every order, numeric sums, rows updated in hash order, plus a second
// UPDATE for customers without orders) took 85–118 s.
import { DEFAULT_SCORING_CONFIG, type ScoringConfig } from './scoring-config';

export type ScoringStatementName =
  'settings' | 'compute_scores' | 'analyze_scores' | 'count_scores' | 'apply_scores' | 'apply_no_orders' | 'analyze_customers';

export interface ScoringStatement {
  name: ScoringStatementName;
  sql: string;
  params: unknown[];
}

export interface ScoringSqlOptions {
  /** Pin "now"; default the database's now(). */
  now?: Date;
  /** work_mem for this transaction (the groupings and sorts run over millions of rows). */
  workMem?: string;
}

/** The temporary table of new scores; dropped at commit. */
export const SCORES_TABLE = 'otklik_scoring_scores';

class Params {
  readonly values: unknown[] = [];
  add(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.values.length}${cast}`;
  }
}

const WORK_MEM = /^[1-9][0-9]{0,6}(kB|MB|GB)$/;

/** Quintile score 1–5 by ascending rank; equal values share the lower score. */
const quintile = (orderBy: string) => `(1 + floor(5 * (rank() OVER (ORDER BY ${orderBy}) - 1)::numeric / count(*) OVER ()))::smallint`;

function computeStatement(config: ScoringConfig, options: ScoringSqlOptions): ScoringStatement {
  const p = new Params();
  const now = options.now ? p.add(options.now.toISOString(), '::timestamptz') : 'now()';
  const rfmDays = p.add(config.rfm.windowDays, '::int');
  const abcDays = p.add(config.abc.windowDays, '::int');
  const months = p.add(config.xyz.months, '::int');

  const between = (col: string, [lo, hi]: readonly [number, number]) => `s.${col} BETWEEN ${p.add(lo, '::int')} AND ${p.add(hi, '::int')}`;
  const groupCases = config.rfm.groups
    .map((g) => `WHEN ${between('r', g.r)} AND ${between('f', g.f)} AND ${between('m', g.m ?? [1, 5])} THEN ${p.add(g.name, '::text')}`)
    .join(' ');
  const fallback = p.add(config.rfm.fallbackGroup, '::text');
  const shareA = p.add(config.abc.shares.a, '::float8');
  const shareB = p.add(config.abc.shares.b, '::float8');
  const xBelow = p.add(config.xyz.xBelow, '::float8');
  const yBelow = p.add(config.xyz.yBelow, '::float8');
  const w = config.rating.weights;
  // float8 like ratingFor in scoring-config.ts, so both give the same class at the edges
  const [wr, wf, wm] = [p.add(w.r, '::float8'), p.add(w.f, '::float8'), p.add(w.m, '::float8')];
  const min = config.rating.min;
  const ratingCases = (['A', 'B', 'C', 'D'] as const).map((k) => `WHEN s.score >= ${p.add(min[k], '::float8')} THEN '${k}'`).join(' ');

  const sql = `CREATE TEMPORARY TABLE ${SCORES_TABLE} ON COMMIT DROP AS
WITH bounds AS (
  SELECT t.n - make_interval(days => ${rfmDays}) AS rfm_from,
         t.n - make_interval(days => ${abcDays}) AS abc_from,
         -- the XYZ months: the last complete ones
         date_trunc('month', t.n) - make_interval(months => ${months}) AS xyz_from,
         date_trunc('month', t.n) AS xyz_to
  FROM (SELECT (${now} AT TIME ZONE 'UTC') AS n) t
),
totals AS (
  SELECT o.customer_id,
         max(o.ordered_at)::date AS last_day,
         count(*) FILTER (WHERE o.ordered_at >= b.rfm_from) AS frequency,
         coalesce(sum(o.total::float8) FILTER (WHERE o.ordered_at >= b.rfm_from), 0) AS monetary,
         coalesce(sum(o.total::float8) FILTER (WHERE o.ordered_at >= b.abc_from), 0) AS revenue
  FROM orders o CROSS JOIN bounds b
  WHERE o.status <> 'cancelled'
  GROUP BY o.customer_id
),
-- a second, narrower pass over the XYZ months only (measured: cheaper than one column per
-- month in the pass above, whose filters cost more than this grouping)
monthly AS (
  SELECT o.customer_id, sum(o.total::float8) AS total
  FROM orders o CROSS JOIN bounds b
  WHERE o.status <> 'cancelled' AND o.ordered_at >= b.xyz_from AND o.ordered_at < b.xyz_to
  GROUP BY o.customer_id, date_trunc('month', o.ordered_at)
),
xyz AS (
  SELECT mo.customer_id, sum(mo.total) AS s1, sum(mo.total * mo.total) AS s2
  FROM monthly mo
  GROUP BY mo.customer_id
),
ranked AS (
  SELECT t.customer_id,
         ${quintile('t.last_day')} AS r,
         ${quintile('t.frequency')} AS f,
         ${quintile('t.monetary')} AS m,
         t.revenue,
         sum(t.revenue) OVER (ORDER BY t.revenue DESC, t.customer_id ROWS UNBOUNDED PRECEDING) - t.revenue AS revenue_before,
         sum(t.revenue) OVER () AS revenue_total,
         -- population coefficient of variation of the monthly totals, months without orders counting as 0
         CASE WHEN x.s1 > 0 THEN sqrt(greatest(x.s2 / ${months} - (x.s1 / ${months}) ^ 2, 0)) / (x.s1 / ${months}) END AS cv
  FROM totals t
  LEFT JOIN xyz x ON x.customer_id = t.customer_id
  -- erased customers are neither ranked nor scored (few rows: an anti-join, not a lookup per customer)
  WHERE NOT EXISTS (SELECT 1 FROM customers ce WHERE ce.id = t.customer_id AND ce.erased_at IS NOT NULL)
)
SELECT s.customer_id, s.r, s.f, s.m,
       s.r::text || s.f::text || s.m::text AS cell,
       CASE ${groupCases} ELSE ${fallback} END AS grp,
       CASE WHEN s.revenue <= 0 THEN 'C'
            WHEN s.revenue_before < ${shareA} * s.revenue_total THEN 'A'
            WHEN s.revenue_before < (${shareA} + ${shareB}) * s.revenue_total THEN 'B'
            ELSE 'C' END AS abc,
       CASE WHEN s.cv IS NULL THEN NULL WHEN s.cv < ${xBelow} THEN 'X' WHEN s.cv < ${yBelow} THEN 'Y' ELSE 'Z' END AS xyz,
       CASE ${ratingCases} ELSE 'E' END AS rating
-- the weighted mean of R, F and M, computed once per customer for the rating
FROM (SELECT r.*, (${wr} * r.r + ${wf} * r.f + ${wm} * r.m) / (${wr} + ${wf} + ${wm}) AS score FROM ranked r) s
-- id order: the update then walks customers in physical order, writing each page once
ORDER BY s.customer_id`;
  return { name: 'compute_scores', sql, params: p.values };
}

const SET_SCORES = `rfm_recency = s.r, rfm_frequency = s.f, rfm_monetary = s.m, rfm_cell = s.cell, rfm_group = s.grp,
    abc_class = s.abc, xyz_class = s.xyz, rating = s.rating`;
const CURRENT =
  'c.rfm_recency, c.rfm_frequency, c.rfm_monetary, c.rfm_cell, c.rfm_group, c.abc_class::text, c.xyz_class::text, c.rating::text';

function applyStatements(config: ScoringConfig, options: ScoringSqlOptions): ScoringStatement[] {
  const scored = new Params();
  const scoredAt = (p: Params) =>
    options.now ? `(${p.add(options.now.toISOString(), '::timestamptz')} AT TIME ZONE 'UTC')` : `(now() AT TIME ZONE 'UTC')`;
  const withOrders = `UPDATE customers c
SET ${SET_SCORES}, scored_at = ${scoredAt(scored)}
FROM ${SCORES_TABLE} s
WHERE c.id = s.customer_id
  AND (${CURRENT}) IS DISTINCT FROM (s.r, s.f, s.m, s.cell, s.grp, s.abc, s.xyz, s.rating)`;
  const rest = new Params();
  const at = scoredAt(rest);
  const rating = rest.add(config.rating.noOrders, '::text');
  const withoutOrders = `UPDATE customers c
SET rfm_recency = NULL, rfm_frequency = NULL, rfm_monetary = NULL, rfm_cell = NULL, rfm_group = NULL,
    abc_class = NULL, xyz_class = NULL, rating = ${rating}, scored_at = ${at}
WHERE c.erased_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM ${SCORES_TABLE} s WHERE s.customer_id = c.id)
  AND (${CURRENT}) IS DISTINCT FROM (NULL::smallint, NULL::smallint, NULL::smallint, NULL, NULL, NULL, NULL, ${rating})`;
  return [
    { name: 'apply_scores', sql: withOrders, params: scored.values },
    { name: 'apply_no_orders', sql: withoutOrders, params: rest.values },
  ];
}

/**
 * Statements that rescore every live customer, to run in order in one transaction. Pass a
 * config checked by parseScoringConfig when it comes from outside; values reach SQL only as
 * parameters. `count_scores` returns { scored } (customers with RFM scores); `apply_scores`
 * reports the changed rows as its row count. scored_at is when a customer's scores last changed.
 */
export function buildScoringSql(config: ScoringConfig = DEFAULT_SCORING_CONFIG, options: ScoringSqlOptions = {}): ScoringStatement[] {
  const workMem = options.workMem ?? '256MB';
  if (!WORK_MEM.test(workMem)) throw new RangeError(`invalid workMem ${JSON.stringify(workMem)}, expected e.g. "256MB"`);
  return [
    // JIT compiling this one-off statement costs more than it saves.
    { name: 'settings', sql: `SELECT set_config('work_mem', $1::text, true), set_config('jit', 'off', true)`, params: [workMem] },
    computeStatement(config, options),
    { name: 'analyze_scores', sql: `ANALYZE ${SCORES_TABLE}`, params: [] },
    { name: 'count_scores', sql: `SELECT count(*)::int AS scored FROM ${SCORES_TABLE}`, params: [] },
    ...applyStatements(config, options),
    { name: 'analyze_customers', sql: 'ANALYZE customers', params: [] },
  ];
}
