// `npm run db:seed -- [--customers N] [--orders M] [--seed S] [--if-empty]`: loads a realistic
// demo base (Russian and English people with patronymics, B2B companies with contacts,
// birthdays, time zones, consent) and its orders, streamed through COPY: 1,000,000 customers
// with 5,000,000 orders load in minutes with flat memory.
import { Client } from 'pg';
import { loadEnvFor } from '../config/env';
import { copyRows, type CopyValue } from '../database/copy-writer';
import { DEMO_BRAND, demoCustomers, ordersOf, type DemoOptions } from '../demo/demo-data';
import { CliError, flag, runCli } from './run-cli';

function count(argv: string[], name: string, fallback: number): number {
  const raw = flag(argv, name);
  if (raw === undefined) return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < 0) throw new CliError(`--${name}: expected a whole number, got "${raw}"`);
  return value;
}

runCli(async () => {
  const argv = process.argv.slice(2);
  const customers = count(argv, 'customers', 3000);
  const orders = count(argv, 'orders', customers * 5);
  const seed = count(argv, 'seed', 42);
  const { DATABASE_URL } = loadEnvFor('DATABASE_URL');
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await demoBrand(client);
    const existing = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM customers')).rows[0].n);
    if (argv.includes('--if-empty') && existing > 0) {
      console.log(`The base already has ${existing} customers; demo data not loaded`);
      return;
    }
    const started = Date.now();
    // The rows are consistent by construction; where we may (superuser), skip the per-row
    // foreign-key triggers, which otherwise cost more than the COPY itself.
    await client.query("SET session_replication_role = 'replica'").catch(() => undefined);
    const ids = await client.query<{ customer: number; order: number }>(
      'SELECT (SELECT coalesce(max(id), 0) FROM customers) + 1 AS customer, (SELECT coalesce(max(id), 0) FROM orders) + 1 AS "order"',
    );
    const options: DemoOptions = { customers, orders, seed, firstId: ids.rows[0].customer, now: new Date() };
    const now = options.now!;
    const historyDays = 730;
    const meanOf = () => (customers > 0 ? orders / customers / (1 / 1.15) : 0);
    const progress = (what: string, n: number) => console.log(`${what}: ${n} rows (${((Date.now() - started) / 1000).toFixed(1)} s)`);

    // Pass 1: customers, with derived order fields already right.
    progress(
      'customers',
      await copyRows(
        client,
        'customers',
        [
          'id',
          'kind',
          'company_id',
          'position',
          'first_name',
          'patronymic',
          'last_name',
          'company_name',
          'email',
          'phone',
          'birthday',
          'time_zone',
          'locale',
          'source',
          'tags',
          'attributes',
          'registered_at',
          'first_order_at',
          'last_order_at',
          'order_count',
          'order_sum',
          'updated_at',
        ],
        (function* () {
          for (const c of demoCustomers(options)) {
            yield [
              c.id,
              c.kind,
              c.companyId,
              c.position,
              c.firstName,
              c.patronymic,
              c.lastName,
              c.companyName,
              c.email,
              c.phone,
              c.birthday,
              c.timeZone,
              c.locale,
              c.source,
              c.tags,
              c.attributes,
              c.registeredAt,
              c.firstOrderAt,
              c.lastOrderAt,
              c.orderCount,
              c.orderSum.toFixed(2),
              now,
            ] as CopyValue[];
          }
        })(),
      ),
    );

    // Pass 2: consent per channel (regenerated from the same seed).
    progress(
      'consents',
      await copyRows(
        client,
        'consents',
        ['customer_id', 'channel', 'status', 'source', 'at', 'proof_form'],
        (function* () {
          for (const c of demoCustomers(options)) {
            if (c.emailConsent) yield [c.id, 'email', c.emailConsent, 'demo', c.registeredAt, 'demo data'];
            if (c.smsConsent && c.phone) yield [c.id, 'sms', c.smsConsent, 'demo', c.registeredAt, 'demo data'];
          }
        })(),
      ),
    );

    // Passes 3 and 4: orders, then their items (each order's id is known up front).
    const orderedCustomers = function* () {
      let orderId = ids.rows[0].order;
      for (const c of demoCustomers(options)) {
        if (c.orderCount === 0) continue;
        for (const order of ordersOf(c.id, meanOf(), { seed, now, historyDays })) yield { id: orderId++, order };
      }
    };
    progress(
      'orders',
      await copyRows(
        client,
        'orders',
        ['id', 'external_id', 'customer_id', 'status', 'total', 'ordered_at', 'created_at', 'updated_at'],
        (function* () {
          for (const { id, order } of orderedCustomers())
            yield [
              id,
              order.externalId,
              order.customerId,
              order.status,
              order.total.toFixed(2),
              order.orderedAt,
              order.orderedAt,
              order.orderedAt,
            ];
        })(),
      ),
    );
    progress(
      'order items',
      await copyRows(
        client,
        'order_items',
        ['order_id', 'product_id', 'quantity', 'price'],
        (function* () {
          for (const { id, order } of orderedCustomers())
            for (const item of order.items) yield [id, item.productId, item.quantity, item.price.toFixed(2)];
        })(),
      ),
    );

    // Explicit ids were used, so move the sequences past them.
    await client.query(`SELECT setval(pg_get_serial_sequence('customers', 'id'), greatest((SELECT max(id) FROM customers), 1)),
                               setval(pg_get_serial_sequence('orders', 'id'), greatest((SELECT max(id) FROM orders), 1))`);
    await client.query('ANALYZE customers, consents, orders, order_items');
    console.log(`Demo data loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await client.end();
  }
});

/** A visible demo brand unless one is stored (a brand once saved, even emptied, is left alone). */
async function demoBrand(client: Client): Promise<void> {
  const set = await client.query(
    `INSERT INTO brand_settings (id, name, website, support_email, updated_at) VALUES (1, $1, $2, $3, now())
     ON CONFLICT (id) DO NOTHING`,
    [DEMO_BRAND.name, DEMO_BRAND.website, DEMO_BRAND.supportEmail],
  );
  const name = (await client.query<{ name: string | null }>('SELECT name FROM brand_settings WHERE id = 1')).rows[0]?.name;
  console.log(
    set.rowCount === 1
      ? `Brand: «${DEMO_BRAND.name}» (a demo); set yours with PUT /settings/brand, see docs/guides/senders-and-brand.md`
      : `Brand: «${name ?? '(no name)'}»; change it with PUT /settings/brand (docs/guides/senders-and-brand.md)`,
  );
}
