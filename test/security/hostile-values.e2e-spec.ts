// SQL-injection and XSS classics in every free-text customer field, through the real API:
// stored and read back byte for byte, found by lookup, search and segment rules with the
// right counts (never a 500), shown escaped in the admin pages and in a rendered template.
// What PostgreSQL cannot store (NUL, a lone surrogate, JSON too deep to serialise) is refused
// with a 400 naming the field.
import { AdminAuthService } from '../../src/admin/admin-auth.service';
import { api, sql } from '../customers/customer-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const PAYLOADS = [
  "'; DROP TABLE customers; --",
  '" OR 1=1 --',
  "Robert'); DELETE FROM customers WHERE ('1'='1",
  '$$; DROP TABLE customers; $$ $1',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg/onload=alert(`x`)>',
  "{{constructor.constructor('x')()}}",
  '{{{customer.email}}} {{> partial}}',
  '%_\\ 100%',
  'Ёжик a\u200bb \u202Ertl 😀 \\u0000',
];
const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(1)>';

/** Handlebars' escaping of {{value}}. */
function hbsEscape(text: string): string {
  const map: Record<string, string> = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#x27;',
    '`': '&#x60;',
    '=': '&#x3D;',
  };
  return text.replace(/[&<>"'`=]/g, (c) => map[c]);
}

let t: TestApp;
let marketer: ReturnType<typeof api>;
let viewer: ReturnType<typeof api>;
const ids: number[] = [];

const fieldsOf = (p: string, i: number) => ({
  externalId: `${p}#${i}`,
  firstName: p,
  lastName: p,
  patronymic: p,
  companyName: p,
  position: p,
  source: p,
  email: i === 0 ? "o'reilly+x@example.com" : `hostile${i}@example.com`,
  tags: [p.slice(0, 64)],
  attributes: { note: p, [p]: 'as a key', nested: { list: [p] } },
});

beforeAll(async () => {
  t = await startTestApp({ OTKLIK_ROLE: 'api' });
  marketer = api(t, await t.key('marketer'));
  viewer = api(t, await t.key('viewer'));
  for (const [i, p] of PAYLOADS.entries()) {
    const created = await marketer.post('/customers', fieldsOf(p, i));
    expect({ payload: p, status: created.status }).toEqual({ payload: p, status: 201 });
    ids.push(created.body.id);
  }
});
afterAll(async () => {
  await t?.close();
});

describe('hostile values in customer fields', () => {
  it('are stored and read back byte for byte; the table is intact', async () => {
    for (const [i, p] of PAYLOADS.entries()) {
      const { status, body } = await viewer.get(`/customers/${ids[i]}`);
      expect(status).toBe(200);
      const f = fieldsOf(p, i);
      expect(body).toMatchObject({
        externalId: f.externalId,
        firstName: p,
        lastName: p,
        patronymic: p,
        companyName: p,
        position: p,
        source: p,
        email: f.email,
        tags: [p.slice(0, 64).toLowerCase()],
      });
      expect(body.attributes).toEqual(f.attributes);
    }
    expect(
      await sql(t, "SELECT to_regclass('public.customers') IS NOT NULL AS present, (SELECT count(*)::int FROM customers) AS n"),
    ).toEqual([{ present: true, n: PAYLOADS.length }]);
  });

  it('are found by lookup and by search, with exactly the matching rows', async () => {
    for (const [i, p] of PAYLOADS.entries()) {
      const found = await viewer.get(`/customers/lookup?externalId=${encodeURIComponent(`${p}#${i}`)}`);
      expect({ p, status: found.status, ids: found.body.items?.map((c: { id: number }) => c.id) }).toEqual({
        p,
        status: 200,
        ids: [ids[i]],
      });
    }
    // The payloads themselves, and LIKE's wildcards and escape alone: each is searched as written.
    for (const p of [...PAYLOADS, '%', '_', '\\', "'"]) {
      const term = p.trim().slice(0, 100);
      const expected = PAYLOADS.flatMap((q, j) => (q.toLowerCase().includes(term.toLowerCase()) ? [ids[j]] : []));
      const searched = await viewer.get(`/customers?limit=100&search=${encodeURIComponent(term)}`);
      expect({
        p,
        status: searched.status,
        ids: searched.body.items?.map((c: { id: number }) => c.id).sort((a: number, b: number) => a - b),
      }).toEqual({ p, status: 200, ids: expected });
    }
  });

  it('refuses what PostgreSQL cannot store with a 400 naming the field, in bodies and queries', async () => {
    const nul = await marketer.post('/customers', { email: 'nul@example.com', firstName: 'a\u0000b' });
    expect(nul.status).toBe(400);
    expect(nul.body.issues).toEqual([{ path: 'firstName', message: expect.stringContaining('NUL character') }]);
    const key = await marketer.post('/customers', { email: 'nul@example.com', attributes: { 'x\u0000': 1 } });
    expect(key.status).toBe(400);
    expect(key.body.issues[0].path).toBe('attributes.x\\u0000');
    const surrogate = await marketer.post('/customers', { email: 'sur@example.com', lastName: 'a\ud800b' });
    expect(surrogate.status).toBe(400);
    expect(surrogate.body.issues).toEqual([{ path: 'lastName', message: expect.stringContaining('surrogate') }]);
    // Written out by hand: JSON.stringify itself overflows the stack on it, which is the point.
    const deep = `{"email":"deep@example.com","attributes":{"deep":${'{"a":['.repeat(20_000)}"bottom"${']}'.repeat(20_000)}}}`;
    const nested = await marketer.post('/customers', deep, { 'content-type': 'application/json' });
    expect(nested.status).toBe(400);
    expect(nested.body.issues[0]).toEqual({
      path: expect.stringMatching(/^attributes\.deep\.a\[0\]/),
      message: 'nested more than 64 levels deep',
    });
    for (const query of ['/customers?search=%00', '/customers/lookup?externalId=a%00b']) {
      const answer = await viewer.get(query);
      expect({ query, status: answer.status, path: answer.body.issues?.[0]?.path }).toEqual({
        query,
        status: 400,
        path: expect.stringMatching(/^query\./),
      });
    }
  });
});

describe('hostile values as segment rule values', () => {
  const count = async (rules: unknown) => {
    const { status, body } = await viewer.post('/segments/preview', { rules, limit: 50 });
    expect({ rules, status }).toEqual({ rules, status: 200 });
    return body as { count: number; sample: Array<{ id: number; firstName: string }> };
  };
  const matching = (test: (p: string) => boolean) => PAYLOADS.filter(test).length;

  it('eq, in, contains, starts_with, ends_with, attributes and tags count exactly the matching customers', async () => {
    for (const p of PAYLOADS) {
      const lower = p.toLowerCase();
      expect(await count({ field: 'first_name', op: 'eq', value: p })).toMatchObject({ count: 1, sample: [{ firstName: p }] });
      expect((await count({ field: 'company_name', op: 'in', value: [p, 'nobody'] })).count).toBe(1);
      expect((await count({ field: 'external_id', op: 'neq', value: p })).count).toBe(PAYLOADS.length);
      expect((await count({ field: 'last_name', op: 'contains', value: p })).count).toBe(matching((q) => q.toLowerCase().includes(lower)));
      expect((await count({ field: 'position', op: 'starts_with', value: p })).count).toBe(
        matching((q) => q.toLowerCase().startsWith(lower)),
      );
      expect((await count({ field: 'source', op: 'ends_with', value: p })).count).toBe(matching((q) => q.toLowerCase().endsWith(lower)));
      expect((await count({ field: 'attributes.note', op: 'eq', value: p })).count).toBe(1);
      expect((await count({ field: 'tags', op: 'has', value: p.slice(0, 64).toLowerCase() })).count).toBe(1);
    }
    expect(await sql(t, 'SELECT count(*)::int AS n FROM customers')).toEqual([{ n: PAYLOADS.length }]);
  });

  it('saved segments with hostile names and values count right and show escaped in the admin UI', async () => {
    const saved = await marketer.post('/segments', {
      name: SCRIPT,
      description: IMG,
      rules: {
        any: [
          { field: 'first_name', op: 'eq', value: SCRIPT },
          { field: 'last_name', op: 'eq', value: IMG },
        ],
      },
    });
    expect(saved.status).toBe(201);
    expect((await viewer.get(`/segments/${saved.body.id}/preview`)).body.count).toBe(2);
    const session = await adminSession();
    for (const path of ['/admin/segments', `/admin/segments/${saved.body.id}`]) {
      const page = await adminPage(path, session);
      expect({ path, status: page.status }).toEqual({ path, status: 200 });
      expectEscaped(page.text, path);
    }
  });
});

async function adminSession(): Promise<string> {
  const auth = t.app.get(AdminAuthService);
  const email = `viewer.${Date.now()}@ui.test`;
  const { password } = await auth.createUser({ email, role: 'viewer' });
  return (await auth.login(email, password!))!.token;
}

async function adminPage(path: string, session: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${t.url}${path}`, { headers: { cookie: `otk_admin=${session}` }, redirect: 'manual' });
  return { status: response.status, text: await response.text() };
}

/** Character references back to text (what a browser shows). */
function decodeEntities(html: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return html.replace(/&(?:#(\d+)|#x([0-9a-f]+)|(amp|lt|gt|quot|apos));/gi, (_m, dec, hex, name) =>
    dec ? String.fromCodePoint(Number(dec)) : hex ? String.fromCodePoint(parseInt(hex, 16)) : named[name.toLowerCase()],
  );
}

/** No payload that carries markup appears raw; the script one is there, escaped, as text. */
function expectEscaped(html: string, where: string): void {
  for (const p of PAYLOADS.filter((q) => /[<>]/.test(q)))
    expect({ where, leaked: html.includes(p) ? p : null }).toEqual({ where, leaked: null });
  expect({ where, shown: decodeEntities(html).includes(SCRIPT) }).toEqual({ where, shown: true });
}

describe('hostile values on pages and in templates', () => {
  it('the admin customer list, a search and a customer page show them escaped', async () => {
    const session = await adminSession();
    for (const path of [
      '/admin/customers',
      `/admin/customers?q=${encodeURIComponent(SCRIPT)}`,
      `/admin/customers/${ids[PAYLOADS.indexOf(SCRIPT)]}`,
    ]) {
      const page = await adminPage(path, session);
      expect({ path, status: page.status }).toEqual({ path, status: 200 });
      expectEscaped(page.text, path);
    }
  });

  it('a template renders every customer field HTML-escaped in the email, as plain text in the SMS', async () => {
    const fields =
      '{{customer.firstName}}|{{customer.lastName}}|{{customer.patronymic}}|{{customer.companyName}}|{{customer.position}}|{{customer.attributes.note}}|{{#each customer.tags}}{{this}}{{/each}}';
    const email = await marketer.post('/templates', {
      key: 'hostile-fields',
      name: 'Every field',
      channel: 'email',
      subject: 'Hello {{customer.firstName}}',
      body: `<mjml><mj-body><mj-section><mj-column><mj-text>${fields}</mj-text></mj-column></mj-section></mj-body></mjml>`,
    });
    expect(email.status).toBe(201);
    const sms = await marketer.post('/templates', { key: 'hostile-fields-sms', name: 'Every field (SMS)', channel: 'sms', body: fields });
    expect(sms.status).toBe(201);
    for (const [i, p] of PAYLOADS.entries()) {
      const mail = await viewer.post(`/templates/${email.body.id}/preview`, { customerId: ids[i] });
      expect({ p, status: mail.status }).toEqual({ p, status: 200 });
      const escaped = hbsEscape(p);
      expect(mail.body.html).toContain(`${escaped}|${escaped}|${escaped}|${escaped}|${escaped}|${escaped}|`);
      if (escaped !== p) expect({ p, raw: mail.body.html.includes(p) }).toEqual({ p, raw: false });
      expect(mail.body.subject).toBe(`Hello ${p}`);
      const text = await viewer.post(`/templates/${sms.body.id}/preview`, { customerId: ids[i] });
      expect({ p, status: text.status }).toEqual({ p, status: 200 });
      expect(text.body.text).toContain(`${p}|${p}|`);
    }
  });
});
