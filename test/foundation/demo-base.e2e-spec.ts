import { Client } from 'pg';
import { runCli } from '../support/test-env';
import { startTestApp, type TestApp } from '../support/test-app';
import { jsonOf } from '../support/api-call';

describe('demo base through the API', () => {
  let t: TestApp;
  let key: string;
  beforeAll(async () => {
    t = await startTestApp();
    const seeded = await runCli('seed-demo', ['--customers', '400', '--orders', '2000', '--seed', '5'], { DATABASE_URL: t.databaseUrl });
    expect(seeded.stderr).toBe('');
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toContain('set yours with PUT /settings/brand');
    key = await t.key('viewer');
  });
  afterAll(async () => {
    await t.close();
  });

  const get = async (path: string) => {
    const response = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
    expect(response.status).toBe(200);
    return jsonOf(response);
  };

  it('sets a visible demo brand, says how to change it, and leaves a brand once set alone', async () => {
    expect((await get('/settings/brand')).name).toBe('Демо-магазин (задайте бренд в настройках)');
    const admin = await t.key('admin');
    const put = await fetch(`${t.url}/settings/brand`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ромашка' }),
    });
    expect(put.status).toBe(200);
    const again = await runCli('seed-demo', ['--if-empty'], { DATABASE_URL: t.databaseUrl });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Brand: «Ромашка»; change it with PUT /settings/brand');
    expect((await get('/settings/brand')).name).toBe('Ромашка');
  });

  it('pages through every customer with the keyset cursor, each once', async () => {
    const seen: number[] = [];
    let after: string | null = null;
    do {
      const page: { items: Array<{ id: number }>; next: string | null } = await get(`/customers?limit=75${after ? `&after=${after}` : ''}`);
      seen.push(...page.items.map((c) => c.id));
      after = page.next;
    } while (after);
    expect(seen).toHaveLength(400);
    expect(new Set(seen).size).toBe(400);
  });

  it('shows a company with its contacts, and filters by kind and search', async () => {
    const companies = await get('/customers?kind=company&limit=5');
    expect(companies.items.length).toBeGreaterThan(0);
    const company = await get(`/customers/${companies.items[0].id}`);
    expect(company.companyName).toMatch(/«.+»/);
    expect(company.contacts.length).toBeGreaterThan(0);
    const someone = (await get('/customers?kind=person&limit=1')).items[0];
    const found = await get(`/customers?search=${encodeURIComponent(someone.lastName)}`);
    expect(found.items.some((c: { id: number }) => c.id === someone.id)).toBe(true);
  });

  it('loads derived order fields that agree with the orders', async () => {
    const client = new Client({ connectionString: t.databaseUrl });
    await client.connect();
    const drift = await client.query(`
      SELECT count(*)::int AS n FROM customers c
       WHERE c.order_count <> (SELECT count(*) FROM orders o WHERE o.customer_id = c.id)
          OR c.order_sum <> (SELECT coalesce(sum(total), 0) FROM orders o WHERE o.customer_id = c.id)
          OR c.last_order_at IS DISTINCT FROM (SELECT max(ordered_at) FROM orders o WHERE o.customer_id = c.id)`);
    const totals = await client.query(
      'SELECT (SELECT count(*) FROM orders)::int AS orders, (SELECT count(*) FROM consents)::int AS consents',
    );
    await client.end();
    expect(drift.rows[0].n).toBe(0);
    expect(totals.rows[0].orders).toBeGreaterThan(1500);
    expect(totals.rows[0].consents).toBeGreaterThan(300);
  });

  it('answers 404 for an unknown customer and 400 for a bad query', async () => {
    const missing = await fetch(`${t.url}/customers/999999`, { headers: { authorization: `Bearer ${key}` } });
    expect(missing.status).toBe(404);
    const bad = await fetch(`${t.url}/customers?limit=abc`, { headers: { authorization: `Bearer ${key}` } });
    expect(bad.status).toBe(400);
    expect((await jsonOf(bad)).issues[0].path).toBe('query.limit');
  });
});
