// The SQL that recomputes RFM, ABC, XYZ and the A–E rating for every customer, set-based:
// one grouped pass over orders (per customer and month), window functions for the quantiles
// and the ABC running total, then one UPDATE … FROM. Customers without orders get a second,
// plain UPDATE. Run the statements in order inside one transaction. The rules are described in
// scoring-config.ts.
import { DEFAULT_SCORING_CONFIG, type ScoringConfig } from './scoring-config';

export interface ScoringStatement {
  name: 'work_mem' | 'score_customers_with_orders' | 'score_customers_without_orders';
  sql: string;
  params: unknown[];
}

export interface ScoringSqlOptions {
  /** Pin "now"; default the database's now(). */
  now?: Date;
  /**
   * Only write rows whose scores change (less table churn); scored_at then means "last changed".
   * Default false: every live customer is written and gets a fresh scored_at.
   */
  onlyChanged?: boolean;
  /** work_mem for this transaction (the grouping and sorts run over millions of rows); null to leave it. */
  workMem?: string | null;
}

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

function withOrdersStatement(config: ScoringConfig, options: ScoringSqlOptions): ScoringStatement {
  const p = new Params();
  const now = options.now ? p.add(options.now.toISOString(), '::timestamptz') : 'now()';
  const rfmDays = p.add(config.rfm.windowDays, '::int');
  const abcDays = p.add(config.abc.windowDays, '::int');
  const months = p.add(config.xyz.months, '::int');

  const groupCases = config.rfm.groups
    .map((g) => {
      const [mLo, mHi] = g.m ?? [1, 5];
      const between = (col: string, [lo, hi]: readonly [number, number]) => `s.${col} BETWEEN ${p.add(lo, '::int')} AND ${p.add(hi, '::int')}`;
      return `WHEN ${between('r', g.r)} AND ${between('f', g.f)} AND ${between('m', [mLo, mHi])} THEN ${p.add(g.name, '::text')}`;
    })
    .join(' ');
  const fallback = p.add(config.rfm.fallbackGroup, '::text');
  const shareA = p.add(config.abc.shares.a, '::numeric');
  const shareB = p.add(config.abc.shares.b, '::numeric');
  const xBelow = p.add(config.xyz.xBelow, '::numeric');
  const yBelow = p.add(config.xyz.yBelow, '::numeric');
  const w = config.rating.weights;
  const [wr, wf, wm] = [p.add(w.r, '::numeric'), p.add(w.f, '::numeric'), p.add(w.m, '::numeric')];
  const ratingScore = `((${wr} * s.r + ${wf} * s.f + ${wm} * s.m) / (${wr} + ${wf} + ${wm}))`;
  const min = config.rating.min;
  const ratingCases = (['A', 'B', 'C', 'D'] as const).map((k) => `WHEN ${ratingScore} >= ${p.add(min[k], '::numeric')} THEN '${k}'`).join(' ');
  const inXyz = 'mo.month >= b.xyz_from AND mo.month < b.xyz_to';

  const sql = `WITH bounds AS (
  SELECT t.n AS now_utc,
         t.n - make_interval(days => ${rfmDays}) AS rfm_from,
         t.n - make_interval(days => ${abcDays}) AS abc_from,
         date_trunc('month', t.n) - make_interval(months => ${months}) AS xyz_from,
         date_trunc('month', t.n) AS xyz_to
  FROM (SELECT (${now} AT TIME ZONE 'UTC') AS n) t
),
monthly AS (
  SELECT o.customer_id,
         date_trunc('month', o.ordered_at) AS month,
         max(o.ordered_at) AS last_at,
         count(*) FILTER (WHERE o.ordered_at >= b.rfm_from) AS rfm_orders,
         coalesce(sum(o.total) FILTER (WHERE o.ordered_at >= b.rfm_from), 0) AS rfm_total,
         coalesce(sum(o.total) FILTER (WHERE o.ordered_at >= b.abc_from), 0) AS abc_total,
         sum(o.total) AS total
  FROM orders o CROSS JOIN bounds b
  WHERE o.status <> 'cancelled'
  -- month first: no index supplies this order, so PostgreSQL hashes one sequential pass
  -- instead of walking orders(customer_id, ordered_at) through the heap at random
  GROUP BY date_trunc('month', o.ordered_at), o.customer_id
),
per_customer AS (
  SELECT mo.customer_id,
         max(mo.last_at)::date AS last_day,
         sum(mo.rfm_orders) AS frequency,
         sum(mo.rfm_total) AS monetary,
         sum(mo.abc_total) AS revenue,
         coalesce(sum(mo.total) FILTER (WHERE ${inXyz}), 0) AS xyz_sum,
         coalesce(sum(mo.total * mo.total) FILTER (WHERE ${inXyz}), 0) AS xyz_sum2
  FROM monthly mo CROSS JOIN bounds b
  WHERE EXISTS (SELECT 1 FROM customers ce WHERE ce.id = mo.customer_id AND ce.erased_at IS NULL)
  GROUP BY mo.customer_id
),
ranked AS (
  SELECT pc.customer_id,
         ${quintile('pc.last_day')} AS r,
         ${quintile('pc.frequency')} AS f,
         ${quintile('pc.monetary')} AS m,
         pc.revenue,
         sum(pc.revenue) OVER (ORDER BY pc.revenue DESC, pc.customer_id ROWS UNBOUNDED PRECEDING) - pc.revenue AS revenue_before,
         sum(pc.revenue) OVER () AS revenue_total,
         CASE WHEN pc.xyz_sum > 0 THEN
           sqrt(greatest(pc.xyz_sum2 / ${months} - (pc.xyz_sum / ${months}) ^ 2, 0)) / (pc.xyz_sum / ${months})
         END AS cv
  FROM per_customer pc
),
scored AS (
  SELECT s.customer_id, s.r, s.f, s.m,
         s.r::text || s.f::text || s.m::text AS cell,
         CASE ${groupCases} ELSE ${fallback} END AS grp,
         CASE WHEN s.revenue <= 0 THEN 'C'
              WHEN s.revenue_before < ${shareA} * s.revenue_total THEN 'A'
              WHEN s.revenue_before < (${shareA} + ${shareB}) * s.revenue_total THEN 'B'
              ELSE 'C' END AS abc,
         CASE WHEN s.cv IS NULL THEN NULL WHEN s.cv < ${xBelow} THEN 'X' WHEN s.cv < ${yBelow} THEN 'Y' ELSE 'Z' END AS xyz,
         CASE ${ratingCases} ELSE 'E' END AS rating
  FROM ranked s
  -- id order: the update then walks customers in physical order instead of jumping around
  ORDER BY s.customer_id
)
UPDATE customers c
SET rfm_recency = s.r, rfm_frequency = s.f, rfm_monetary = s.m, rfm_cell = s.cell, rfm_group = s.grp,
    abc_class = s.abc, xyz_class = s.xyz, rating = s.rating, scored_at = (SELECT now_utc FROM bounds)
FROM scored s
WHERE c.id = s.customer_id${
    options.onlyChanged
      ? `
  AND (c.rfm_recency, c.rfm_frequency, c.rfm_monetary, c.rfm_cell, c.rfm_group, c.abc_class::text, c.xyz_class::text, c.rating::text)
      IS DISTINCT FROM (s.r, s.f, s.m, s.cell, s.grp, s.abc, s.xyz, s.rating)`
      : ''
  }`;
  return { name: 'score_customers_with_orders', sql, params: p.values };
}

function withoutOrdersStatement(config: ScoringConfig, options: ScoringSqlOptions): ScoringStatement {
  const p = new Params();
  const now = options.now ? p.add(options.now.toISOString(), '::timestamptz') : 'now()';
  const rating = p.add(config.rating.noOrders, '::text');
  const changed = options.onlyChanged
    ? `
  AND (c.rfm_recency IS NOT NULL OR c.rfm_frequency IS NOT NULL OR c.rfm_monetary IS NOT NULL OR c.rfm_cell IS NOT NULL
       OR c.rfm_group IS NOT NULL OR c.abc_class IS NOT NULL OR c.xyz_class IS NOT NULL OR c.rating::text IS DISTINCT FROM ${rating})`
    : '';
  const sql = `UPDATE customers c
SET rfm_recency = NULL, rfm_frequency = NULL, rfm_monetary = NULL, rfm_cell = NULL, rfm_group = NULL,
    abc_class = NULL, xyz_class = NULL, rating = ${rating}, scored_at = (${now} AT TIME ZONE 'UTC')
WHERE c.erased_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status <> 'cancelled')${changed}`;
  return { name: 'score_customers_without_orders', sql, params: p.values };
}

/**
 * Statements that rescore every live customer. Pass a config checked by parseScoringConfig when
 * it comes from outside; values reach SQL only as parameters.
 */
export function buildScoringSql(config: ScoringConfig = DEFAULT_SCORING_CONFIG, options: ScoringSqlOptions = {}): ScoringStatement[] {
  const statements: ScoringStatement[] = [];
  const workMem = options.workMem === undefined ? '256MB' : options.workMem;
  if (workMem !== null) {
    if (!WORK_MEM.test(workMem)) throw new RangeError(`invalid workMem ${JSON.stringify(workMem)}, expected e.g. "256MB"`);
    statements.push({ name: 'work_mem', sql: `SELECT set_config('work_mem', $1::text, true)`, params: [workMem] });
  }
  statements.push(withOrdersStatement(config, options), withoutOrdersStatement(config, options));
  return statements;
}
