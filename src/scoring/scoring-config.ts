// Scoring settings and their defaults, plus the same rules as plain functions (for previews,
// tests and admin UIs). scoring.sql.ts applies them to every customer in SQL.
//
// RFM: each customer with at least one non-cancelled order gets three scores 1–5:
//   R  recency   – days since the last order (more recent = higher)
//   F  frequency – orders in the last `rfm.windowDays` days
//   M  monetary  – order total in the last `rfm.windowDays` days
// Scores are quintiles among all scored customers: score = 1 + floor(5 × (rank − 1) / n) with
// rank() ascending, so equal values always share a score (ties go to the lower score; ntile()
// would split a tie across scores arbitrarily). The cell is "RFM", e.g. "545"; the group is the
// first of `rfm.groups` whose ranges contain the scores, else `rfm.fallbackGroup`.
//
// ABC: customers sorted by revenue in the last `abc.windowDays` days, largest first; a customer
// is A while the revenue of everyone before it is below `shares.a` of the total, then B below
// `shares.a + shares.b`, then C (so the customer that crosses 80 % is still A). No revenue: C.
//
// XYZ: coefficient of variation (population standard deviation / mean) of the customer's
// revenue per calendar month over the last `xyz.months` complete months, months without orders
// counting as 0. CV < xBelow → X (steady), < yBelow → Y, else Z. No revenue in those months: NULL.
// Defaults X < 0.5, Y < 1.0: buying in 6 of 12 months evenly gives CV 1.0, so Z.
//
// Rating A–E: weighted mean of R, F and M (weights `rating.weights`, result 1–5), compared with
// `rating.min` from A down; below min.D is E. Customers without orders get `rating.noOrders`.
//
// Times are UTC; months are UTC calendar months. Cancelled orders never count. Erased
// customers are neither scored nor ranked.
import { z } from 'zod';
import { formatIssues } from '../segments/dsl/format-issues';

export type ScoreRange = readonly [number, number];

export interface RfmGroupRule {
  name: string;
  r: ScoreRange;
  f: ScoreRange;
  /** Defaults to [1, 5]. */
  m?: ScoreRange;
}

export interface ScoringConfig {
  rfm: { windowDays: number; groups: readonly RfmGroupRule[]; fallbackGroup: string };
  abc: { windowDays: number; shares: { a: number; b: number; c: number } };
  xyz: { months: number; xBelow: number; yBelow: number };
  rating: {
    weights: { r: number; f: number; m: number };
    /** Minimum weighted mean score for each class. */
    min: { A: number; B: number; C: number; D: number };
    noOrders: 'A' | 'B' | 'C' | 'D' | 'E' | null;
  };
}

export const RFM_GROUP_NAMES = ['champions', 'loyal', 'potential_loyalist', 'new', 'at_risk', 'cant_lose', 'hibernating', 'lost'] as const;

/**
 * Default groups on the R×F grid (M does not change the group by default):
 *            F=1          F=2                 F=3                 F=4         F=5
 *   R=4–5    new          potential_loyalist  potential_loyalist  champions   champions
 *   R=3      hibernating  hibernating         loyal               loyal       loyal
 *   R=2      hibernating  hibernating         at_risk             at_risk     cant_lose
 *   R=1      lost         lost                at_risk             at_risk     cant_lose
 */
export const DEFAULT_SCORING_CONFIG: ScoringConfig = deepFreeze<ScoringConfig>({
  rfm: {
    windowDays: 365,
    groups: [
      { name: 'champions', r: [4, 5], f: [4, 5] },
      { name: 'potential_loyalist', r: [4, 5], f: [2, 3] },
      { name: 'new', r: [4, 5], f: [1, 1] },
      { name: 'loyal', r: [3, 3], f: [3, 5] },
      { name: 'cant_lose', r: [1, 2], f: [5, 5] },
      { name: 'at_risk', r: [1, 2], f: [3, 4] },
      { name: 'hibernating', r: [2, 3], f: [1, 2] },
      { name: 'lost', r: [1, 1], f: [1, 2] },
    ],
    fallbackGroup: 'other',
  },
  abc: { windowDays: 365, shares: { a: 0.8, b: 0.15, c: 0.05 } },
  xyz: { months: 12, xBelow: 0.5, yBelow: 1.0 },
  rating: { weights: { r: 1, f: 1, m: 1 }, min: { A: 4, B: 3, C: 2, D: 1.5 }, noOrders: 'E' },
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const score = z.int().min(1).max(5);
const range = z.tuple([score, score]).refine(([lo, hi]) => lo <= hi, { message: 'expected [low, high] with low ≤ high' });
const groupName = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/);
const share = z.number().min(0).max(1);
const weight = z.number().min(0).max(100);
const mean = z.number().min(1).max(5);

export const scoringConfigSchema = z.strictObject({
  rfm: z.strictObject({
    windowDays: z.int().min(1).max(3650),
    groups: z.array(z.strictObject({ name: groupName, r: range, f: range, m: range.optional() })).max(50),
    fallbackGroup: groupName,
  }),
  abc: z.strictObject({
    windowDays: z.int().min(1).max(3650),
    shares: z
      .strictObject({ a: share, b: share, c: share })
      .refine((s) => Math.abs(s.a + s.b + s.c - 1) < 1e-9, { message: 'shares must add up to 1' }),
  }),
  xyz: z
    .strictObject({ months: z.int().min(2).max(120), xBelow: z.number().positive(), yBelow: z.number().positive() })
    .refine((x) => x.xBelow <= x.yBelow, { message: 'xBelow must not exceed yBelow' }),
  rating: z.strictObject({
    weights: z
      .strictObject({ r: weight, f: weight, m: weight })
      .refine((w) => w.r + w.f + w.m > 0, { message: 'at least one weight must be positive' }),
    min: z
      .strictObject({ A: mean, B: mean, C: mean, D: mean })
      .refine((m) => m.A >= m.B && m.B >= m.C && m.C >= m.D, { message: 'expected A ≥ B ≥ C ≥ D' }),
    noOrders: z.enum(['A', 'B', 'C', 'D', 'E']).nullable(),
  }),
});

export class ScoringConfigError extends Error {
  readonly code = 'invalid_scoring_config';
  constructor(readonly errors: readonly string[]) {
    super(`invalid scoring config: ${errors.join('; ')}`);
    this.name = 'ScoringConfigError';
  }
}

/** Validates a stored or submitted config; errors read `scoring.abc.shares: shares must add up to 1`. */
export function parseScoringConfig(input: unknown): ScoringConfig {
  const r = scoringConfigSchema.safeParse(input, { reportInput: true });
  if (!r.success) throw new ScoringConfigError(formatIssues(r.error.issues, 'scoring'));
  return r.data;
}

const within = (v: number, [lo, hi]: ScoreRange) => v >= lo && v <= hi;

/** The RFM group for one cell, as the SQL CASE computes it. */
export function rfmGroupFor(r: number, f: number, m: number, config: ScoringConfig = DEFAULT_SCORING_CONFIG): string {
  const hit = config.rfm.groups.find((g) => within(r, g.r) && within(f, g.f) && within(m, g.m ?? [1, 5]));
  return hit ? hit.name : config.rfm.fallbackGroup;
}

/** The A–E rating for one cell, as the SQL CASE computes it. */
export function ratingFor(r: number, f: number, m: number, config: ScoringConfig = DEFAULT_SCORING_CONFIG): 'A' | 'B' | 'C' | 'D' | 'E' {
  const w = config.rating.weights;
  const avg = (w.r * r + w.f * f + w.m * m) / (w.r + w.f + w.m);
  const min = config.rating.min;
  if (avg >= min.A) return 'A';
  if (avg >= min.B) return 'B';
  if (avg >= min.C) return 'C';
  if (avg >= min.D) return 'D';
  return 'E';
}

/** The XYZ class of a series of monthly revenues (zeros included), null without revenue. */
export function xyzClassFor(monthly: readonly number[], config: ScoringConfig = DEFAULT_SCORING_CONFIG): 'X' | 'Y' | 'Z' | null {
  const n = monthly.length;
  const sum = monthly.reduce((a, b) => a + b, 0);
  if (n === 0 || sum <= 0) return null;
  const mean = sum / n;
  const variance = Math.max(monthly.reduce((a, b) => a + b * b, 0) / n - mean * mean, 0);
  const cv = Math.sqrt(variance) / mean;
  if (cv < config.xyz.xBelow) return 'X';
  if (cv < config.xyz.yBelow) return 'Y';
  return 'Z';
}
