// Collects parameters while a rule tree is compiled and knows the customers alias and "now".
// Values only ever enter SQL as `$n` placeholders handed out here.

/**
 * How windowed order totals are evaluated: `set` aggregates the orders in the window once and
 * joins the result (best for counts and whole-audience statements); `per_row` runs a small
 * indexed subquery per customer (best when a LIMIT or keyset batch stops early).
 */
export type SegmentPlan = 'set' | 'per_row';

export class SqlContext {
  readonly params: unknown[] = [];
  private nowRef?: string;
  /** Placeholder of a keyset lower bound on the customer id, repeated inside subqueries. */
  customerIdAbove?: string;

  constructor(
    /** The customers table alias, e.g. `c`. Checked by the caller. */
    readonly alias: string,
    private readonly paramOffset: number,
    private readonly fixedNow: Date | undefined,
    readonly plan: SegmentPlan = 'set',
  ) {}

  /**
   * ` AND <alias>.customer_id > $k` in keyset batches: redundant with `c.id > $k`, but PostgreSQL
   * does not carry the bound across the join by itself and would scan the subquery's index from
   * the start for every batch.
   */
  customerBound(customerIdColumn: string): string {
    return this.customerIdAbove ? ` AND ${customerIdColumn} > ${this.customerIdAbove}` : '';
  }

  /** Adds a parameter and returns its placeholder, optionally with a cast: `$3::int`. */
  param(value: unknown, cast = ''): string {
    this.params.push(value);
    return `$${this.paramOffset + this.params.length}${cast}`;
  }

  col(column: string): string {
    return `${this.alias}.${column}`;
  }

  /** `now()`, or one shared timestamptz parameter when the caller pinned the clock. */
  now(): string {
    if (!this.fixedNow) return 'now()';
    this.nowRef ??= this.param(this.fixedNow.toISOString(), '::timestamptz');
    return this.nowRef;
  }

  /** Today's date in the customer's time zone (or the zone in `timeZoneExpr`). */
  todayLocal(timeZoneExpr = this.col('time_zone')): string {
    return `(${this.now()} AT TIME ZONE ${timeZoneExpr})::date`;
  }

  /** Today's date in UTC; only used for index-friendly bounds that are wider than the exact test. */
  todayUtc(): string {
    return `(${this.now()} AT TIME ZONE 'UTC')::date`;
  }

  /** The customer-local calendar date of a `timestamp` column that holds UTC (Prisma's DateTime). */
  localDate(timestampExpr: string, timeZoneExpr = this.col('time_zone')): string {
    return `((${timestampExpr} AT TIME ZONE 'UTC') AT TIME ZONE ${timeZoneExpr})::date`;
  }
}
