// Recomputes every customer's derived order fields from the orders, in id ranges (each range
// locked, recomputed and committed on its own, so the table is never locked as a whole and
// memory stays flat). Used by `npm run customers:rebuild-derived` and the benchmark's check.
import type { Client } from 'pg';
import { withImportLock } from '../imports/import-lock';
import { COUNT_DERIVED_DRIFT_SQL, LOCK_CUSTOMER_RANGE_SQL, RECOMPUTE_DERIVED_RANGE_SQL } from './derived-fields.sql';

export interface RebuildProgress {
  /** Highest customer id done. */
  doneUpTo: number;
  maxId: number;
  fixed: number;
}

export async function countDerivedDrift(client: Client): Promise<number> {
  return (await client.query<{ drift: number }>(COUNT_DERIVED_DRIFT_SQL)).rows[0].drift;
}

/** Returns how many customers had fields that disagreed with their orders (now fixed). */
export async function rebuildDerivedFields(
  client: Client,
  options: { rangeSize?: number; onProgress?: (p: RebuildProgress) => void; onWait?: () => void } = {},
): Promise<number> {
  const rangeSize = options.rangeSize ?? 20_000;
  return withImportLock(client, options.onWait ?? (() => undefined), async () => {
    const { rows } = await client.query<{ min: number | null; max: number | null }>('SELECT min(id) AS min, max(id) AS max FROM customers');
    if (rows[0].min === null || rows[0].max === null) return 0;
    let fixed = 0;
    for (let from = rows[0].min; from <= rows[0].max; from += rangeSize) {
      const to = Math.min(from + rangeSize - 1, rows[0].max);
      await client.query('BEGIN');
      try {
        await client.query(LOCK_CUSTOMER_RANGE_SQL, [from, to]);
        fixed += (await client.query(RECOMPUTE_DERIVED_RANGE_SQL, [from, to])).rowCount ?? 0;
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      options.onProgress?.({ doneUpTo: to, maxId: rows[0].max, fixed });
    }
    return fixed;
  });
}
