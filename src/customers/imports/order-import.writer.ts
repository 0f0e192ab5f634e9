// Upserts a batch of orders (by order external id) and keeps the customers' derived fields in
// step in the same transaction: new orders add to their customer's count, sum and dates; an
// order that changed (or moved to another customer) has its customers recomputed from their
// orders. The customer is found by customer_external_id, then email, then phone, among live
// customers; an email or phone held by several customers names none. An order naming no
// single customer is an error on its line.
//
// As for customers: the keys go first and one statement answers per line which customer and
// which stored order it is; new orders and their items are COPYed straight into their tables,
// only orders already stored go through a staging table. Every customer the batch touches is
// locked first, in id order, so batches merged side by side wait for each other, never deadlock.
import type { Client } from 'pg';
import type { CopyValue } from '../../database/copy-writer';
import { copyValues } from './copy-batch';
import type { ImportIssue, OrderImportRow } from '../csv';
import { RECOMPUTE_DERIVED_SQL } from '../orders/derived-fields.sql';
import { emptyResult, inBatchTransaction, type BatchResult, type ImportWriter } from './import-writer';

const KEYS = 'import_order_keys';
const STAGE = 'import_order_stage';
const ITEMS = 'import_order_item_stage';

const CREATE_TABLES = [
  `CREATE TEMP TABLE IF NOT EXISTS ${KEYS} (
     line int NOT NULL, external_id text NOT NULL, customer_external_id text, customer_email text, customer_phone text
   ) ON COMMIT DELETE ROWS`,
  `CREATE TEMP TABLE IF NOT EXISTS ${STAGE} (
     order_id int NOT NULL, customer_id int NOT NULL, status "OrderStatus", total numeric(14, 2) NOT NULL, currency char(3),
     ordered_at timestamp(3) NOT NULL, tracking_number text, attributes jsonb, has_items boolean NOT NULL
   ) ON COMMIT DELETE ROWS`,
  `CREATE TEMP TABLE IF NOT EXISTS ${ITEMS} (
     order_id int NOT NULL, product_id text NOT NULL, name text, quantity int NOT NULL, price numeric(14, 2) NOT NULL
   ) ON COMMIT DELETE ROWS`,
];

/** Live customers holding a key: how many, and the first. */
const HOLDERS = (column: string, key: string) => `
  LEFT JOIN LATERAL (SELECT count(*)::int AS n, min(c.id) AS id FROM customers c
                      WHERE k.${key} IS NOT NULL AND c.${column} = k.${key} AND c.erased_at IS NULL) ${column} ON true`;

// Every look-up is a LATERAL subquery with LIMIT or an aggregate, so it stays an index probe per
// line: the planner cannot size the staging table, and a hash join would read all the orders.
// $1: the orders id sequence.
const MATCH = `
SELECT line, customer_id, email_matches, phone_matches, stored_id, old_customer_id,
       CASE WHEN customer_id IS NOT NULL AND stored_id IS NULL THEN nextval($1::regclass)::int END AS new_id
  FROM (SELECT k.line, coalesce(x.id, CASE WHEN email.n = 1 THEN email.id END, CASE WHEN phone.n = 1 THEN phone.id END) AS customer_id,
               email.n AS email_matches, phone.n AS phone_matches, o.id AS stored_id, o.customer_id AS old_customer_id
          FROM ${KEYS} k
          LEFT JOIN LATERAL (SELECT c.id FROM customers c WHERE c.external_id = k.customer_external_id LIMIT 1) x ON true
          ${HOLDERS('email', 'customer_email')}
          ${HOLDERS('phone', 'customer_phone')}
          LEFT JOIN LATERAL (SELECT o.id, o.customer_id FROM orders o WHERE o.external_id = k.external_id LIMIT 1) o ON true) m`;

const LOCK = 'SELECT id FROM customers WHERE id = ANY($1::int[]) ORDER BY id FOR NO KEY UPDATE';

const ORDER_COLUMNS = [
  'id',
  'external_id',
  'customer_id',
  'status',
  'total',
  'currency',
  'ordered_at',
  'tracking_number',
  'attributes',
  'created_at',
  'updated_at',
];
const ITEM_COLUMNS = ['order_id', 'product_id', 'name', 'quantity', 'price'];
const STAGE_COLUMNS = [
  'order_id',
  'customer_id',
  'status',
  'total',
  'currency',
  'ordered_at',
  'tracking_number',
  'attributes',
  'has_items',
];

// New orders add to their customers' fields. $1 customer ids, $2 totals, $3 order times (one per order).
const ADD_TO_CUSTOMERS = `
UPDATE customers c
   SET order_count = c.order_count + a.n, order_sum = c.order_sum + a.s,
       first_order_at = least(c.first_order_at, a.f), last_order_at = greatest(c.last_order_at, a.l)
  FROM (SELECT id, count(*)::int AS n, sum(total) AS s, min(at) AS f, max(at) AS l
          FROM unnest($1::int[], $2::numeric[], $3::timestamp(3)[]) AS o(id, total, at) GROUP BY id) a
 WHERE c.id = a.id`;

const ITEMS_SIGNATURE = `string_agg(i.product_id || '|' || i.quantity || '|' || i.price || '|' || coalesce(i.name, ''), ',' ORDER BY i.product_id, i.quantity, i.price, i.name)`;

/** Stored orders whose items in the file differ from the stored ones (an index probe per order). */
const ITEMS_DIFFER = `
SELECT s.order_id FROM ${STAGE} s
  LEFT JOIN (SELECT i.order_id, ${ITEMS_SIGNATURE} AS sig FROM ${ITEMS} i GROUP BY i.order_id) f ON f.order_id = s.order_id
  LEFT JOIN LATERAL (SELECT ${ITEMS_SIGNATURE} AS sig FROM order_items i WHERE i.order_id = s.order_id) d ON true
 WHERE s.has_items AND f.sig IS DISTINCT FROM d.sig`;

const MERGED = {
  customer_id: 's.customer_id',
  status: 'coalesce(s.status, o.status)',
  total: 's.total',
  currency: 'coalesce(s.currency, o.currency)',
  ordered_at: 's.ordered_at',
  tracking_number: 'coalesce(s.tracking_number, o.tracking_number)',
  attributes: "o.attributes || coalesce(s.attributes, '{}')",
};
const MERGED_COLUMNS = Object.keys(MERGED) as (keyof typeof MERGED)[];

/** $1: ids of the staged orders (reached through the primary key); $2: those whose items changed. */
const UPDATE_STORED = `
UPDATE orders o SET ${MERGED_COLUMNS.map((c) => `${c} = ${MERGED[c]}`).join(', ')}, updated_at = now()
  FROM ${STAGE} s
 WHERE o.id = ANY($1::int[]) AND o.id = s.order_id
   AND (o.id = ANY($2::int[]) OR (${MERGED_COLUMNS.map((c) => `o.${c}`).join(', ')}) IS DISTINCT FROM (${MERGED_COLUMNS.map((c) => MERGED[c]).join(', ')}))
RETURNING o.id`;

const REPLACE_ITEMS = [
  'DELETE FROM order_items WHERE order_id = ANY($1::int[])',
  `INSERT INTO order_items (order_id, product_id, name, quantity, price)
   SELECT order_id, product_id, name, quantity, price FROM ${ITEMS} WHERE order_id = ANY($1::int[])`,
];

interface LineMatch {
  line: number;
  customer_id: number | null;
  email_matches: number | null;
  phone_matches: number | null;
  stored_id: number | null;
  old_customer_id: number | null;
  new_id: number | null;
}

export class OrderImportWriter implements ImportWriter<OrderImportRow> {
  private sequence = '';
  /** May skip foreign-key triggers for rows whose keys it has locked or just inserted (superuser). */
  private trustedLoad = false;

  constructor(private readonly client: Client) {}

  async prepare(): Promise<void> {
    for (const sql of CREATE_TABLES) await this.client.query(sql);
    const { rows } = await this.client.query<{ seq: string; trusted: boolean }>(
      "SELECT pg_get_serial_sequence('orders', 'id') AS seq, current_setting('is_superuser') = 'on' AS trusted",
    );
    this.sequence = rows[0].seq;
    this.trustedLoad = rows[0].trusted;
  }

  async fork(client: Client): Promise<OrderImportWriter> {
    const writer = new OrderImportWriter(client);
    for (const sql of CREATE_TABLES) await client.query(sql);
    writer.sequence = this.sequence;
    writer.trustedLoad = this.trustedLoad;
    return writer;
  }

  async write(rows: OrderImportRow[], dryRun: boolean): Promise<BatchResult> {
    if (rows.length === 0) return emptyResult();
    const client = this.client;
    return inBatchTransaction(client, dryRun, async () => {
      await copyValues(client, KEYS, ['line', 'external_id', 'customer_external_id', 'customer_email', 'customer_phone'], keyValues(rows));
      const byLine = new Map((await client.query<LineMatch>(MATCH, [this.sequence])).rows.map((m) => [m.line, m]));
      const result = emptyResult();
      const fresh: [OrderImportRow, LineMatch][] = [];
      const stored: [OrderImportRow, LineMatch][] = [];
      const touched = new Set<number>();
      for (const row of rows) {
        const match = byLine.get(row.line)!;
        if (match.customer_id === null) {
          result.rejected++;
          result.errors.push(unmatchedIssue(row, match));
          continue;
        }
        touched.add(match.customer_id);
        if (match.old_customer_id !== null) touched.add(match.old_customer_id);
        (match.new_id !== null ? fresh : stored).push([row, match]);
      }
      await client.query(LOCK, [[...touched]]);
      if (fresh.length > 0) await this.insertNew(fresh);
      result.inserted = fresh.length;
      if (stored.length > 0) {
        result.updated = await this.updateStored(stored);
        result.unchanged = stored.length - result.updated;
      }
      return result;
    });
  }

  /**
   * New orders and their items, straight into their tables, and their customers' fields. The
   * foreign keys hold by construction (the customers are locked by this transaction, the items'
   * orders were just inserted by it), so a superuser connection skips the per-row triggers.
   */
  private async insertNew(fresh: [OrderImportRow, LineMatch][]): Promise<void> {
    const client = this.client;
    const now = new Date().toISOString();
    if (this.trustedLoad) await client.query('SET LOCAL session_replication_role = replica');
    await copyValues(client, 'orders', ORDER_COLUMNS, newOrderValues(fresh, now));
    await copyValues(client, 'order_items', ITEM_COLUMNS, itemValues(fresh.map(([row, m]) => [row, m.new_id!])));
    if (this.trustedLoad) await client.query('SET LOCAL session_replication_role = origin');
    await client.query(ADD_TO_CUSTOMERS, [
      fresh.map(([, m]) => m.customer_id),
      fresh.map(([r]) => r.total),
      fresh.map(([r]) => r.orderedAt.toISOString()),
    ]);
  }

  /** Updates what changed; returns how many orders changed. Their customers are recomputed. */
  private async updateStored(stored: [OrderImportRow, LineMatch][]): Promise<number> {
    const client = this.client;
    await copyValues(client, STAGE, STAGE_COLUMNS, stageValues(stored));
    await copyValues(client, ITEMS, ITEM_COLUMNS, itemValues(stored.map(([row, m]) => [row, m.stored_id!])));
    const itemsChanged = (await client.query<{ order_id: number }>(ITEMS_DIFFER)).rows.map((r) => r.order_id);
    if (itemsChanged.length > 0) for (const sql of REPLACE_ITEMS) await client.query(sql, [itemsChanged]);
    const ids = stored.map(([, m]) => m.stored_id!);
    const changed = new Set((await client.query<{ id: number }>(UPDATE_STORED, [ids, itemsChanged])).rows.map((r) => r.id));
    const customers = new Set<number>();
    for (const [, m] of stored) {
      if (!changed.has(m.stored_id!)) continue;
      customers.add(m.customer_id!);
      customers.add(m.old_customer_id!);
    }
    if (customers.size > 0) await client.query(RECOMPUTE_DERIVED_SQL, [[...customers]]); // locked in write()
    return changed.size;
  }
}

function* keyValues(rows: OrderImportRow[]): Generator<CopyValue[]> {
  for (const r of rows) yield [r.line, r.externalId, r.customerExternalId, r.customerEmail, r.customerPhone];
}

function attributesOf(r: OrderImportRow): Record<string, string> | null {
  for (const _key in r.attributes) return r.attributes;
  return null;
}

function* newOrderValues(rows: [OrderImportRow, LineMatch][], now: string): Generator<CopyValue[]> {
  for (const [r, m] of rows) {
    yield [
      m.new_id,
      r.externalId,
      m.customer_id,
      r.status ?? 'created',
      r.total,
      r.currency ?? 'RUB',
      r.orderedAt,
      r.trackingNumber,
      attributesOf(r) ?? {},
      now,
      now,
    ];
  }
}

function* stageValues(rows: [OrderImportRow, LineMatch][]): Generator<CopyValue[]> {
  for (const [r, m] of rows) {
    yield [m.stored_id, m.customer_id, r.status, r.total, r.currency, r.orderedAt, r.trackingNumber, attributesOf(r), r.items.length > 0];
  }
}

function* itemValues(orders: [OrderImportRow, number][]): Generator<CopyValue[]> {
  for (const [r, orderId] of orders) for (const item of r.items) yield [orderId, item.productId, item.name, item.quantity, item.price];
}

function unmatchedIssue(row: OrderImportRow, m: LineMatch): ImportIssue {
  // Several customers share the email or phone: say so, it is the actionable part.
  for (const [field, what, n] of [
    ['customer_email', 'this email', m.email_matches],
    ['customer_phone', 'this phone', m.phone_matches],
  ] as const) {
    if (n !== null && n > 1) {
      return {
        line: row.line,
        field,
        code: 'customer.ambiguous',
        reason: `${n} customers have ${what}; name the customer by customer_external_id`,
      };
    }
  }
  const named: string[] = [];
  if (row.customerExternalId !== null) named.push(`external id ${row.customerExternalId}`);
  if (row.customerEmail !== null) named.push('this email');
  if (row.customerPhone !== null) named.push('this phone');
  const field = row.customerExternalId !== null ? 'customer_external_id' : row.customerEmail !== null ? 'customer_email' : 'customer_phone';
  return { line: row.line, field, code: 'customer.not_found', reason: `no customer has ${named.join(' or ')}; import the customers first` };
}
