// A customer's derived order fields (first and last order date, order count, order sum) are
// kept in step with its orders by every write that touches orders, in the same transaction.
// These statements are shared by the order API (Prisma raw), the CSV import and the rebuild
// command (pg). Every order counts, cancelled ones included, as the demo data and the
// foundation tests define `order_count`; scoring and segments filter statuses themselves.

/**
 * Locks customers (in id order, so two writers never deadlock) before their derived fields are
 * recomputed: a later statement of the transaction then sees every order committed by another
 * writer that held the lock first, and the next writer waits, then sees ours. A writer that
 * only adds orders (the import) increments under the same row lock, so it is right whichever
 * goes first. NO KEY UPDATE does not conflict with the key-share locks that inserting an
 * order's foreign key takes, so concurrent inserts of orders are not blocked or deadlocked.
 * $1: int[] of customer ids.
 */
export const LOCK_CUSTOMERS_SQL = 'SELECT id FROM customers WHERE id = ANY($1::int[]) ORDER BY id FOR NO KEY UPDATE';

/** Recomputes the derived fields of the given customers from their orders. $1: int[]. */
export const RECOMPUTE_DERIVED_SQL = `
UPDATE customers c
   SET order_count = a.n, order_sum = a.s, first_order_at = a.f, last_order_at = a.l
  FROM (SELECT ids.id, agg.n, agg.s, agg.f, agg.l
          FROM unnest($1::int[]) AS ids(id)
          CROSS JOIN LATERAL (SELECT count(*)::int AS n, coalesce(sum(o.total), 0) AS s, min(o.ordered_at) AS f, max(o.ordered_at) AS l
                                FROM orders o WHERE o.customer_id = ids.id) agg) a
 WHERE c.id = a.id
   AND (c.order_count, c.order_sum, c.first_order_at, c.last_order_at) IS DISTINCT FROM (a.n, a.s, a.f, a.l)`;

/** Same, for the customers with ids in [$1, $2]: the rebuild command walks the table in ranges. */
export const RECOMPUTE_DERIVED_RANGE_SQL = `
WITH agg AS (
  SELECT customer_id, count(*)::int AS n, sum(total) AS s, min(ordered_at) AS f, max(ordered_at) AS l
    FROM orders WHERE customer_id BETWEEN $1 AND $2 GROUP BY customer_id)
UPDATE customers c
   SET order_count = coalesce(agg.n, 0), order_sum = coalesce(agg.s, 0), first_order_at = agg.f, last_order_at = agg.l
  FROM customers c2 LEFT JOIN agg ON agg.customer_id = c2.id
 WHERE c.id = c2.id AND c2.id BETWEEN $1 AND $2
   AND (c.order_count, c.order_sum, c.first_order_at, c.last_order_at)
       IS DISTINCT FROM (coalesce(agg.n, 0), coalesce(agg.s, 0)::numeric(14, 2), agg.f, agg.l)`;

/** Locks the customers of one rebuild range. $1, $2: the id range. */
export const LOCK_CUSTOMER_RANGE_SQL = 'SELECT id FROM customers WHERE id BETWEEN $1 AND $2 ORDER BY id FOR NO KEY UPDATE';

/** How many customers' derived fields disagree with their orders (0 when all is well). */
export const COUNT_DERIVED_DRIFT_SQL = `
SELECT count(*)::int AS drift
  FROM customers c
  LEFT JOIN (SELECT customer_id, count(*)::int AS n, sum(total) AS s, min(ordered_at) AS f, max(ordered_at) AS l
               FROM orders GROUP BY customer_id) a ON a.customer_id = c.id
 WHERE (c.order_count, c.order_sum, c.first_order_at, c.last_order_at)
       IS DISTINCT FROM (coalesce(a.n, 0), coalesce(a.s, 0)::numeric(14, 2), a.f, a.l)`;
