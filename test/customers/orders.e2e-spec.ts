// Orders through the API keep the customer's derived fields right in the same transaction,
// also under concurrent writes; the rebuild command repairs fields changed behind its back.
import { runCli } from '../support/test-env';
import { startTestApp, type TestApp } from '../support/test-app';
import { api, sql } from './customer-fixtures';

const DRIFT = `
SELECT count(*)::int AS n FROM customers c
 WHERE c.order_count <> (SELECT count(*) FROM orders o WHERE o.customer_id = c.id)
    OR c.order_sum <> (SELECT coalesce(sum(total), 0) FROM orders o WHERE o.customer_id = c.id)
    OR c.first_order_at IS DISTINCT FROM (SELECT min(ordered_at) FROM orders o WHERE o.customer_id = c.id)
    OR c.last_order_at IS DISTINCT FROM (SELECT max(ordered_at) FROM orders o WHERE o.customer_id = c.id)`;

describe('orders API', () => {
  let t: TestApp;
  let marketer: ReturnType<typeof api>;

  beforeAll(async () => {
    t = await startTestApp();
    marketer = api(t, await t.key('marketer'));
  });
  afterAll(async () => {
    await t.close();
  });

  const customer = async (id: number) => (await marketer.get(`/customers/${id}`)).body;

  it('creates an order for a customer named by email, sums its items, and updates the derived fields', async () => {
    const c = await marketer.post('/customers', { email: 'buyer@example.com' });
    const order = await marketer.post('/orders', {
      externalId: 'A-1',
      customerEmail: 'Buyer@Example.com',
      orderedAt: '2026-03-01T10:00:00+03:00',
      items: [
        { productId: 'SKU-1', name: 'Плед', quantity: 2, price: '1 200,50' },
        { productId: 'SKU-2', price: 99 },
      ],
    });
    expect(order.status).toBe(201);
    expect(order.body).toMatchObject({ customerId: c.body.id, total: '2500', currency: 'RUB', status: 'created' });
    expect(order.body.items).toHaveLength(2);
    expect(await customer(c.body.id)).toMatchObject({
      orderCount: 1,
      orderSum: '2500',
      firstOrderAt: '2026-03-01T07:00:00.000Z',
      lastOrderAt: '2026-03-01T07:00:00.000Z',
    });

    const second = await marketer.post('/orders', { customerId: c.body.id, total: '500', orderedAt: '2026-01-15T12:00:00Z' });
    expect(await customer(c.body.id)).toMatchObject({
      orderCount: 2,
      orderSum: '3000',
      firstOrderAt: '2026-01-15T12:00:00.000Z',
      lastOrderAt: '2026-03-01T07:00:00.000Z',
    });

    const patched = await marketer.patch(`/orders/${second.body.id}`, { total: 700, status: 'paid', orderedAt: '2026-04-01T00:00:00Z' });
    expect(patched.status).toBe(200);
    expect(await customer(c.body.id)).toMatchObject({
      orderCount: 2,
      orderSum: '3200',
      firstOrderAt: '2026-03-01T07:00:00.000Z',
      lastOrderAt: '2026-04-01T00:00:00.000Z',
    });

    expect((await marketer.del(`/orders/${order.body.id}`)).status).toBe(204);
    expect(await customer(c.body.id)).toMatchObject({ orderCount: 1, orderSum: '700', firstOrderAt: '2026-04-01T00:00:00.000Z' });
    expect((await marketer.get(`/orders?customerId=${c.body.id}`)).body.items.map((o: { id: number }) => o.id)).toEqual([second.body.id]);
  });

  it('answers 400 naming the field for a bad order and 409 for a repeated external id', async () => {
    const c = await marketer.post('/customers', { email: 'o2@example.com' });
    const noCustomer = await marketer.post('/orders', { customerEmail: 'nobody@example.com', total: 1 });
    expect(noCustomer.status).toBe(400);
    expect(noCustomer.body.issues[0]).toEqual({ path: 'customerEmail', message: 'no customer has it' });
    const badPrice = await marketer.post('/orders', { customerId: c.body.id, items: [{ productId: 'X', price: '12,345' }] });
    expect(badPrice.status).toBe(400);
    expect(badPrice.body.issues[0]).toEqual({ path: 'items[0].price', message: 'more than two decimal places' });
    const nothing = await marketer.post('/orders', { customerId: c.body.id });
    expect(nothing.body.issues[0]).toEqual({ path: 'total', message: 'give a total or items to sum' });
    const tooMuch = await marketer.post('/orders', {
      customerId: c.body.id,
      items: [{ productId: 'X', quantity: 1_000_000, price: 999_999_999 }],
    });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.issues[0]).toEqual({
      path: 'items',
      message: 'the items sum to more than 999999999999.99, the largest total an order holds',
    });
    await marketer.post('/orders', { customerId: c.body.id, externalId: 'X-1', total: 1 });
    expect((await marketer.post('/orders', { customerId: c.body.id, externalId: 'X-1', total: 1 })).status).toBe(409);
  });

  it('never lets derived fields drift under concurrent order writes', async () => {
    const c = await marketer.post('/customers', { email: 'busy@example.com' });
    const created = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        marketer.post('/orders', { customerId: c.body.id, total: 10 + i, orderedAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString() }),
      ),
    );
    expect(created.every((r) => r.status === 201)).toBe(true);
    await Promise.all(created.slice(0, 6).map((r) => marketer.del(`/orders/${r.body.id}`)));
    await Promise.all(created.slice(6, 12).map((r) => marketer.patch(`/orders/${r.body.id}`, { total: 1 })));
    expect(await customer(c.body.id)).toMatchObject({
      orderCount: 18,
      orderSum: String(6 * 1 + [...Array(12).keys()].reduce((s, i) => s + 22 + i, 0)),
    });
    expect((await sql<{ n: number }>(t, DRIFT))[0].n).toBe(0);
  });

  it('rebuilds derived fields from the orders with the CLI', async () => {
    const c = await marketer.post('/customers', { email: 'rebuild@example.com' });
    await marketer.post('/orders', { customerId: c.body.id, total: 42, orderedAt: '2025-05-05T05:05:05Z' });
    await sql(t, 'UPDATE customers SET order_count = 99, order_sum = 1, last_order_at = NULL WHERE id = $1', [c.body.id]);
    const check = await runCli('customers-rebuild-derived', ['--check'], { DATABASE_URL: t.databaseUrl });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('1 customers have derived order fields that disagree');
    const rebuilt = await runCli('customers-rebuild-derived', [], { DATABASE_URL: t.databaseUrl });
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stdout).toMatch(/rebuilt in [\d.]+ s: 1 customers fixed/);
    expect(await customer(c.body.id)).toMatchObject({ orderCount: 1, orderSum: '42', lastOrderAt: '2025-05-05T05:05:05.000Z' });
    expect((await runCli('customers-rebuild-derived', ['--check'], { DATABASE_URL: t.databaseUrl })).code).toBe(0);
  });
});
