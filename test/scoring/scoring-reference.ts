// The scoring rules of scoring-config.ts computed the slow, obvious way in TypeScript, to check
// what the SQL job wrote. Uses the pure helpers (rfmGroupFor, ratingFor, xyzClassFor) for the
// per-cell decisions and does the ranking, running totals and monthly series here.
import { ratingFor, rfmGroupFor, xyzClassFor, type ScoringConfig } from '../../src/scoring/scoring-config';

export interface RefOrder {
  customerId: number;
  orderedAt: Date;
  total: number;
  cancelled: boolean;
}

export interface RefScores {
  r: number | null;
  f: number | null;
  m: number | null;
  cell: string | null;
  group: string | null;
  abc: string | null;
  xyz: string | null;
  rating: string | null;
}

const DAY = 86_400_000;

/** 1 + floor(5 (rank − 1) / n), rank counting strictly smaller values: ties share the lower score. */
function quintiles(values: Map<number, number>): Map<number, number> {
  const sorted = [...values.values()].sort((a, b) => a - b);
  const n = sorted.length;
  const out = new Map<number, number>();
  for (const [id, v] of values) {
    let smaller = 0;
    while (smaller < n && sorted[smaller] < v) smaller++;
    out.set(id, 1 + Math.floor((5 * smaller) / n));
  }
  return out;
}

export function referenceScores(customerIds: number[], orders: RefOrder[], now: Date, config: ScoringConfig): Map<number, RefScores> {
  const rfmFrom = now.getTime() - config.rfm.windowDays * DAY;
  const abcFrom = now.getTime() - config.abc.windowDays * DAY;
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const monthIndex = (d: Date) => d.getUTCFullYear() * 12 + d.getUTCMonth();
  const firstXyzMonth = monthIndex(new Date(monthStart)) - config.xyz.months;

  const lastDay = new Map<number, number>();
  const frequency = new Map<number, number>();
  const monetary = new Map<number, number>();
  const revenue = new Map<number, number>();
  const monthly = new Map<number, number[]>();
  for (const o of orders) {
    if (o.cancelled || !customerIds.includes(o.customerId)) continue;
    const id = o.customerId;
    const t = o.orderedAt.getTime();
    const day = Math.floor(t / DAY);
    lastDay.set(id, Math.max(lastDay.get(id) ?? -Infinity, day));
    frequency.set(id, (frequency.get(id) ?? 0) + (t >= rfmFrom ? 1 : 0));
    monetary.set(id, (monetary.get(id) ?? 0) + (t >= rfmFrom ? o.total : 0));
    revenue.set(id, (revenue.get(id) ?? 0) + (t >= abcFrom ? o.total : 0));
    const series = monthly.get(id) ?? new Array<number>(config.xyz.months).fill(0);
    const k = monthIndex(o.orderedAt) - firstXyzMonth;
    if (t < monthStart && k >= 0 && k < config.xyz.months) series[k] += o.total;
    monthly.set(id, series);
  }
  const [rs, fs, ms] = [quintiles(lastDay), quintiles(frequency), quintiles(monetary)];

  const total = [...revenue.values()].reduce((a, b) => a + b, 0);
  const byRevenue = [...revenue.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const abc = new Map<number, string>();
  let before = 0;
  for (const [id, rev] of byRevenue) {
    const shares = config.abc.shares;
    abc.set(id, rev <= 0 ? 'C' : before < shares.a * total ? 'A' : before < (shares.a + shares.b) * total ? 'B' : 'C');
    before += rev;
  }

  const out = new Map<number, RefScores>();
  for (const id of customerIds) {
    if (!lastDay.has(id)) {
      out.set(id, { r: null, f: null, m: null, cell: null, group: null, abc: null, xyz: null, rating: config.rating.noOrders });
      continue;
    }
    const [r, f, m] = [rs.get(id)!, fs.get(id)!, ms.get(id)!];
    out.set(id, {
      r,
      f,
      m,
      cell: `${r}${f}${m}`,
      group: rfmGroupFor(r, f, m, config),
      abc: abc.get(id)!,
      xyz: xyzClassFor(monthly.get(id)!, config),
      rating: ratingFor(r, f, m, config),
    });
  }
  return out;
}
