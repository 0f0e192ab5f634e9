import { DEFAULT_SCORING_CONFIG, type ScoringConfig } from './scoring-config';
import { buildScoringSql, type ScoringStatement } from './scoring-sql';

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
  const main = byName(statements, 'score_customers_with_orders');
  const rest = byName(statements, 'score_customers_without_orders');

  it('returns work_mem, then the two updates, in order', () => {
    expect(statements.map((s) => s.name)).toEqual(['work_mem', 'score_customers_with_orders', 'score_customers_without_orders']);
    expect(statements[0]).toEqual({ name: 'work_mem', sql: "SELECT set_config('work_mem', $1::text, true)", params: ['256MB'] });
  });

  it('every statement uses exactly its parameters', () => {
    for (const st of statements) expect(placeholders(st.sql)).toEqual(st.params.map((_, i) => i + 1));
  });

  it('reads orders once, grouped per customer and month, and never loops per row', () => {
    expect(main.sql.match(/FROM orders o\b/g)).toHaveLength(1);
    expect(main.sql).toContain("WHERE o.status <> 'cancelled'");
    expect(main.sql).toContain("GROUP BY date_trunc('month', o.ordered_at), o.customer_id");
    expect(main.sql).not.toMatch(/LOOP|FOR\s+\w+\s+IN|LATERAL/i);
    expect(main.sql.startsWith('WITH bounds AS (')).toBe(true);
    expect(main.sql).toContain('UPDATE customers c\nSET rfm_recency = s.r, rfm_frequency = s.f, rfm_monetary = s.m, rfm_cell = s.cell, rfm_group = s.grp,');
    expect(main.sql).toContain('WHERE c.id = s.customer_id');
  });

  it('scores quintiles by rank so ties share a score', () => {
    for (const col of ['pc.last_day', 'pc.frequency', 'pc.monetary']) {
      expect(main.sql).toContain(`(1 + floor(5 * (rank() OVER (ORDER BY ${col}) - 1)::numeric / count(*) OVER ()))::smallint`);
    }
  });

  it('runs ABC on a running total, largest revenue first', () => {
    expect(main.sql).toContain('sum(pc.revenue) OVER (ORDER BY pc.revenue DESC, pc.customer_id ROWS UNBOUNDED PRECEDING) - pc.revenue AS revenue_before');
  });

  it('ranks and scores only live customers', () => {
    expect(main.sql).toContain('WHERE EXISTS (SELECT 1 FROM customers ce WHERE ce.id = mo.customer_id AND ce.erased_at IS NULL)');
    expect(rest.sql).toContain('WHERE c.erased_at IS NULL');
    expect(rest.sql).toContain("AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status <> 'cancelled')");
  });

  it('passes every configured value as a parameter', () => {
    const d = DEFAULT_SCORING_CONFIG;
    const groupParams = d.rfm.groups.flatMap((g) => [...g.r, ...g.f, ...(g.m ?? [1, 5]), g.name]);
    expect(main.params).toEqual([
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
    expect(rest.params).toEqual(['E']);
    for (const g of d.rfm.groups) expect(main.sql).not.toContain(`'${g.name}'`);
  });

  it('keeps hostile config strings out of the SQL', () => {
    const hostile = "x'; DROP TABLE customers; --";
    const config: ScoringConfig = { ...DEFAULT_SCORING_CONFIG, rfm: { ...DEFAULT_SCORING_CONFIG.rfm, fallbackGroup: hostile, groups: [{ name: hostile, r: [1, 5], f: [1, 5] }] } };
    const [, st] = buildScoringSql(config);
    expect(st.sql).not.toContain('DROP');
    expect(st.params.filter((p) => p === hostile)).toHaveLength(2);
  });

  it('adds one CASE branch per group, in order', () => {
    const config: ScoringConfig = { ...DEFAULT_SCORING_CONFIG, rfm: { windowDays: 30, fallbackGroup: 'rest', groups: [{ name: 'a', r: [5, 5], f: [1, 5] }, { name: 'b', r: [1, 4], f: [2, 3], m: [4, 5] }] } };
    const [st] = buildScoringSql(config, { workMem: null });
    expect(st.sql).toContain(
      'CASE WHEN s.r BETWEEN $4::int AND $5::int AND s.f BETWEEN $6::int AND $7::int AND s.m BETWEEN $8::int AND $9::int THEN $10::text ' +
        'WHEN s.r BETWEEN $11::int AND $12::int AND s.f BETWEEN $13::int AND $14::int AND s.m BETWEEN $15::int AND $16::int THEN $17::text ELSE $18::text END AS grp',
    );
    expect(st.params.slice(0, 18)).toEqual([30, 365, 12, 5, 5, 1, 5, 1, 5, 'a', 1, 4, 2, 3, 4, 5, 'b', 'rest']);
  });

  it('pins now to a parameter when asked', () => {
    const now = new Date('2027-01-31T23:00:00Z');
    const [, main2, rest2] = buildScoringSql(undefined, { now });
    expect(main2.params[0]).toBe('2027-01-31T23:00:00.000Z');
    expect(main2.sql).toContain(`FROM (SELECT ($1::timestamptz AT TIME ZONE 'UTC') AS n) t`);
    expect(main2.sql).not.toContain('now()');
    expect(rest2.params).toEqual(['2027-01-31T23:00:00.000Z', 'E']);
    expect(rest2.sql).toContain(`scored_at = ($1::timestamptz AT TIME ZONE 'UTC')`);
  });

  it('with onlyChanged, skips rows whose scores are unchanged', () => {
    const [, main2, rest2] = buildScoringSql(undefined, { onlyChanged: true });
    expect(main.sql).not.toContain('IS DISTINCT FROM');
    expect(main2.sql).toContain('IS DISTINCT FROM (s.r, s.f, s.m, s.cell, s.grp, s.abc, s.xyz, s.rating)');
    expect(rest2.sql).toContain('OR c.rating::text IS DISTINCT FROM $1::text');
  });

  it.each([['256MB'], ['64kB'], ['1GB']])('accepts work_mem %s', (workMem) => {
    expect(buildScoringSql(undefined, { workMem })[0].params).toEqual([workMem]);
  });

  it.each([["1GB'; DROP TABLE customers; --"], ['lots'], ['0MB'], ['']])('rejects work_mem %p', (workMem) => {
    expect(() => buildScoringSql(undefined, { workMem })).toThrow(RangeError);
  });

  it('can leave work_mem alone', () => {
    expect(buildScoringSql(undefined, { workMem: null }).map((s) => s.name)).toEqual(['score_customers_with_orders', 'score_customers_without_orders']);
  });
});
