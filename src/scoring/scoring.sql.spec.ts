import { DEFAULT_SCORING_CONFIG, type ScoringConfig } from './scoring-config';
import { buildScoringSql, SCORES_TABLE, type ScoringStatement } from './scoring.sql';

function byName(statements: ScoringStatement[], name: ScoringStatement['name']): ScoringStatement {
  const st = statements.find((s) => s.name === name);
  if (!st) throw new Error(`no ${name} statement`);
  return st;
}

function placeholders(sql: string): number[] {
  return [...new Set([...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
}

describe('buildScoringSql', () => {
  const statements = buildScoringSql();
  const compute = byName(statements, 'compute_scores');
  const apply = byName(statements, 'apply_scores');
  const rest = byName(statements, 'apply_no_orders');

  it('computes into a temporary table, then applies it with one update, then analyzes', () => {
    expect(statements.map((s) => s.name)).toEqual([
      'settings',
      'compute_scores',
      'analyze_scores',
      'count_scores',
      'apply_scores',
      'apply_no_orders',
      'analyze_customers',
    ]);
    expect(statements[0]).toEqual({
      name: 'settings',
      sql: "SELECT set_config('work_mem', $1::text, true), set_config('jit', 'off', true)",
      params: ['256MB'],
    });
    expect(compute.sql.startsWith(`CREATE TEMPORARY TABLE ${SCORES_TABLE} ON COMMIT DROP AS\nWITH bounds AS (`)).toBe(true);
    expect(byName(statements, 'analyze_scores').sql).toBe(`ANALYZE ${SCORES_TABLE}`);
    expect(byName(statements, 'count_scores').sql).toBe(`SELECT count(*)::int AS scored FROM ${SCORES_TABLE}`);
    expect(byName(statements, 'analyze_customers').sql).toBe('ANALYZE customers');
  });

  it('every statement uses exactly its parameters', () => {
    for (const st of statements) expect(placeholders(st.sql)).toEqual(st.params.map((_, i) => i + 1));
  });

  it('aggregates orders once per customer, and per customer and month only over the XYZ months', () => {
    expect(compute.sql.match(/FROM orders o\b/g)).toHaveLength(2);
    expect(compute.sql).toContain('  GROUP BY o.customer_id\n');
    expect(compute.sql).toContain(
      "WHERE o.status <> 'cancelled' AND o.ordered_at >= b.xyz_from AND o.ordered_at < b.xyz_to\n  GROUP BY o.customer_id, date_trunc('month', o.ordered_at)",
    );
    expect(compute.sql.match(/o\.status <> 'cancelled'/g)).toHaveLength(2);
    expect(compute.sql).toContain('sum(o.total::float8)');
    expect(compute.sql).not.toMatch(/LOOP|FOR\s+\w+\s+IN|LATERAL/i);
  });

  it('scores quintiles by rank so ties share a score', () => {
    for (const col of ['t.last_day', 't.frequency', 't.monetary']) {
      expect(compute.sql).toContain(`(1 + floor(5 * (rank() OVER (ORDER BY ${col}) - 1)::numeric / count(*) OVER ()))::smallint`);
    }
  });

  it('runs ABC on a running total, largest revenue first', () => {
    expect(compute.sql).toContain(
      'sum(t.revenue) OVER (ORDER BY t.revenue DESC, t.customer_id ROWS UNBOUNDED PRECEDING) - t.revenue AS revenue_before',
    );
  });

  it('ranks only live customers and orders the scores by customer id', () => {
    expect(compute.sql.endsWith('ORDER BY s.customer_id')).toBe(true);
    expect(compute.sql).toContain('WHERE NOT EXISTS (SELECT 1 FROM customers ce WHERE ce.id = t.customer_id AND ce.erased_at IS NOT NULL)');
    expect(compute.sql).toContain('LEFT JOIN xyz x ON x.customer_id = t.customer_id');
  });

  it('writes only the rows whose scores changed', () => {
    expect(apply.sql).toContain(`FROM ${SCORES_TABLE} s\nWHERE c.id = s.customer_id`);
    expect(apply.sql).toContain('IS DISTINCT FROM (s.r, s.f, s.m, s.cell, s.grp, s.abc, s.xyz, s.rating)');
    expect(rest.sql).toContain(`WHERE c.erased_at IS NULL\n  AND NOT EXISTS (SELECT 1 FROM ${SCORES_TABLE} s WHERE s.customer_id = c.id)`);
    expect(rest.sql).toContain('IS DISTINCT FROM (NULL::smallint, NULL::smallint, NULL::smallint, NULL, NULL, NULL, NULL, $1::text)');
    for (const st of [apply, rest]) expect(st.sql.match(/UPDATE customers/g)).toHaveLength(1);
  });

  it('passes every configured value as a parameter', () => {
    const d = DEFAULT_SCORING_CONFIG;
    const groupParams = d.rfm.groups.flatMap((g) => [...g.r, ...g.f, ...(g.m ?? [1, 5]), g.name]);
    expect(compute.params).toEqual([
      d.rfm.windowDays,
      d.abc.windowDays,
      d.xyz.months,
      ...groupParams,
      d.rfm.fallbackGroup,
      d.abc.shares.a,
      d.abc.shares.b,
      d.xyz.xBelow,
      d.xyz.yBelow,
      d.rating.weights.r,
      d.rating.weights.f,
      d.rating.weights.m,
      d.rating.min.A,
      d.rating.min.B,
      d.rating.min.C,
      d.rating.min.D,
    ]);
    expect(apply.params).toEqual([]);
    expect(rest.params).toEqual([d.rating.noOrders]);
    for (const g of d.rfm.groups) expect(compute.sql).not.toContain(`'${g.name}'`);
  });

  it('keeps hostile config strings out of the SQL', () => {
    const hostile = "x'; DROP TABLE customers; --";
    const config: ScoringConfig = {
      ...DEFAULT_SCORING_CONFIG,
      rfm: { ...DEFAULT_SCORING_CONFIG.rfm, fallbackGroup: hostile, groups: [{ name: hostile, r: [1, 5], f: [1, 5] }] },
    };
    const st = byName(buildScoringSql(config), 'compute_scores');
    expect(st.sql).not.toContain('DROP TABLE');
    expect(st.params.filter((p) => p === hostile)).toHaveLength(2);
  });

  it('adds one CASE branch per group, in order', () => {
    const config: ScoringConfig = {
      ...DEFAULT_SCORING_CONFIG,
      rfm: {
        windowDays: 30,
        fallbackGroup: 'rest',
        groups: [
          { name: 'a', r: [5, 5], f: [1, 5] },
          { name: 'b', r: [1, 4], f: [2, 3], m: [4, 5] },
        ],
      },
    };
    const st = byName(buildScoringSql(config), 'compute_scores');
    expect(st.sql).toContain(
      'CASE WHEN s.r BETWEEN $4::int AND $5::int AND s.f BETWEEN $6::int AND $7::int AND s.m BETWEEN $8::int AND $9::int THEN $10::text ' +
        'WHEN s.r BETWEEN $11::int AND $12::int AND s.f BETWEEN $13::int AND $14::int AND s.m BETWEEN $15::int AND $16::int THEN $17::text ELSE $18::text END AS grp',
    );
    expect(st.params.slice(0, 18)).toEqual([30, 365, 12, 5, 5, 1, 5, 1, 5, 'a', 1, 4, 2, 3, 4, 5, 'b', 'rest']);
  });

  it('passes a null no-orders rating through', () => {
    const config: ScoringConfig = { ...DEFAULT_SCORING_CONFIG, rating: { ...DEFAULT_SCORING_CONFIG.rating, noOrders: null } };
    expect(byName(buildScoringSql(config), 'apply_no_orders').params).toEqual([null]);
  });

  it('pins now to a parameter when asked', () => {
    const now = new Date('2027-01-31T23:00:00Z');
    const pinned = buildScoringSql(undefined, { now });
    const c = byName(pinned, 'compute_scores');
    const a = byName(pinned, 'apply_scores');
    const r = byName(pinned, 'apply_no_orders');
    expect(c.params[0]).toBe('2027-01-31T23:00:00.000Z');
    expect(c.sql).toContain(`FROM (SELECT ($1::timestamptz AT TIME ZONE 'UTC') AS n) t`);
    expect(c.sql).not.toContain('now()');
    expect(a.params).toEqual(['2027-01-31T23:00:00.000Z']);
    expect(a.sql).toContain(`scored_at = ($1::timestamptz AT TIME ZONE 'UTC')`);
    expect(r.params).toEqual(['2027-01-31T23:00:00.000Z', 'E']);
  });

  it.each([['256MB'], ['64kB'], ['1GB']])('accepts work_mem %s', (workMem) => {
    expect(buildScoringSql(undefined, { workMem })[0].params).toEqual([workMem]);
  });

  it.each([["1GB'; DROP TABLE customers; --"], ['lots'], ['0MB'], ['']])('rejects work_mem %p', (workMem) => {
    expect(() => buildScoringSql(undefined, { workMem })).toThrow(RangeError);
  });
});
