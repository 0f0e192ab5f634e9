// Ids out of range never reach the database: every registered route with an id-like path
// parameter, every id-like query parameter the OpenAPI document lists (plus the admin UI's
// few), and every id-like field of a JSON body, called with values beyond the int4 (and
// int8) columns, negative and non-numeric, must answer 400 or 404 (never a 500 from
// PostgreSQL's "value out of range"), and a 400 names the field. The routes are read at run
// time from the Express router and the OpenAPI document, so a new route is covered without
// editing this file.
import { AdminAuthService } from '../../src/admin/admin-auth.service';
import { registeredRoutes } from '../support/routes';
import { startTestApp, type TestApp } from '../support/test-app';

/** Path and query values: just above int4, above int8, negative, not a number, a float, an exponent. */
const BAD_TEXT = ['2147483648', '99999999999', '99999999999999999999', '-1', 'abc', '0', '1.5', '1e3', ' 1'];
/** JSON body values. */
const BAD_JSON: unknown[] = [2147483648, 99999999999, 1e20, -1, 0, 1.5, 'abc'];

/** A parameter or field that names a row (an external id is the caller's own text). */
// externalId (a shop's order number) and feedbackId (a sender's Feedback-ID header label) are text, not row ids.
const idLike = (name: string) => name === 'id' || (/Id$/.test(name) && !/(externalId|feedbackId)$/i.test(name));
/** A query parameter that names a row or is a keyset cursor over row ids. */
const queryIdLike = (name: string) => idLike(name) || name === 'before' || name === 'after';
/** Digits an int8 column can hold (0 included: a cursor from the start). */
const inInt8 = (text: string) => /^(0|[1-9]\d{0,18})$/.test(text) && BigInt(text) <= 9223372036854775807n;
/** Valid stand-ins for the other parameters of a route. */
const OTHER: Record<string, string> = { channel: 'email', locale: 'ru', kind: 'customers', action: 'pause', section: 'summary' };

let t: TestApp;
let apiKey: string;
let session: { token: string; csrf: string };

beforeAll(async () => {
  t = await startTestApp({ OTKLIK_ROLE: 'api' });
  apiKey = await t.key('admin');
  // Row 1 exists where it matters (templates are seeded), so a route that looks its row up
  // before it reads the query cannot hide a bad query value behind a 404.
  const created = await call('POST', '/customers', { externalId: 'id-params-1', email: 'id-params@example.com' });
  expect([created.status, JSON.parse(created.text).id]).toEqual([201, 1]);
  const users = t.app.get(AdminAuthService);
  await users.createUser({ email: 'admin@id-params.test', role: 'admin', password: 'password of the admin' });
  const { token } = (await users.login('admin@id-params.test', 'password of the admin'))!;
  session = { token, csrf: (await users.session(token))!.csrfToken };
});

afterAll(async () => {
  await t?.close();
});

type Answer = { status: number; text: string };

async function call(method: string, path: string, body?: unknown): Promise<Answer> {
  const admin = path.startsWith('/admin');
  const headers: Record<string, string> = admin
    ? { cookie: `otk_admin=${session.token}`, 'x-csrf-token': session.csrf }
    : { authorization: `Bearer ${apiKey}` };
  let payload: string | undefined;
  if (method !== 'GET' && method !== 'DELETE') {
    headers['content-type'] = admin ? 'application/x-www-form-urlencoded' : 'application/json';
    payload = admin ? '' : JSON.stringify(body ?? {});
  }
  const response = await fetch(`${t.url}${path}`, { method, headers, body: payload, redirect: 'manual' });
  return { status: response.status, text: await response.text() };
}

/** What is wrong with one answer (null when it is a 404, or a 400 naming `field`). */
function problem(what: string, answer: Answer, field: string): string | null {
  if (answer.status === 404) return null;
  if (answer.status === 400 && answer.text.includes(field)) return null;
  return `${what}: ${answer.status} ${answer.text.slice(0, 200)}`;
}

it('answers 400 or 404 for a bad id in any path parameter of any route', async () => {
  const routes = registeredRoutes(t.app).filter(({ path }) => /:(\w*Id|id)\b/.test(path));
  expect(routes.length).toBeGreaterThan(60);
  const problems: string[] = [];
  for (const { method, path } of routes) {
    const names = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]).filter(idLike);
    for (const name of names) {
      for (const bad of BAD_TEXT) {
        const url = path.replace(/:(\w+)/g, (_m, param: string) =>
          param === name ? encodeURIComponent(bad) : idLike(param) ? '1' : (OTHER[param] ?? 'x'),
        );
        const answer = await call(method, url);
        const issue = problem(`${method} ${url}`, answer, name);
        if (issue) problems.push(issue);
      }
    }
  }
  expect(problems).toEqual([]);
});

it('answers 400 for a bad id in any id-like query parameter', async () => {
  const spec = (await (await fetch(`${t.url}/docs/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>;
  };
  const cases: Array<[string, string]> = [
    ['/admin/customers', 'after'],
    ['/admin/customers/1', 'before'],
  ];
  for (const [path, operations] of Object.entries(spec.paths)) {
    const get = operations.get;
    for (const parameter of get?.parameters ?? []) {
      if (parameter.in === 'query' && queryIdLike(parameter.name)) cases.push([path.replace(/\{(\w+)\}/g, '1'), parameter.name]);
    }
  }
  expect(cases.length).toBeGreaterThan(20);
  const problems: string[] = [];
  for (const [path, name] of cases) {
    for (const bad of BAD_TEXT) {
      const url = `${path}?${name}=${encodeURIComponent(bad)}`;
      const answer = await call('GET', url);
      // A value an int8 column can hold (messages and inbound messages are int8; `after=0` is "from
      // the start") may find nothing; anything else is a 400 naming the parameter, or a 404 for the row.
      if (answer.status === 200 && inInt8(bad)) continue;
      const issue = problem(url, answer, name);
      if (issue) problems.push(issue);
    }
  }
  expect(problems).toEqual([]);
});

it('answers 400 naming the field for a bad id in any id-like field of a JSON body', async () => {
  const spec = (await (await fetch(`${t.url}/docs/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>;
  };
  const cases: Array<[string, string, string]> = [];
  for (const [path, operations] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const schema = operation.requestBody?.content?.['application/json']?.schema;
      for (const field of idFieldsOf(schema)) cases.push([method.toUpperCase(), path.replace(/\{(\w+)\}/g, '1'), field]);
    }
  }
  expect(cases.length).toBeGreaterThan(8);
  const problems: string[] = [];
  for (const [method, path, field] of cases) {
    for (const bad of BAD_JSON) {
      const answer = await call(method, path, { [field]: bad });
      if (answer.status === 404) continue;
      if (answer.status !== 400 || !answer.text.includes(field))
        problems.push(`${method} ${path} {${field}: ${JSON.stringify(bad)}}: ${answer.status} ${answer.text.slice(0, 200)}`);
    }
  }
  expect(problems).toEqual([]);
});

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

/** Top-level fields of a body schema whose name says they hold a row id. */
function idFieldsOf(schema: JsonSchema | undefined): string[] {
  if (!schema) return [];
  const nested = [...(schema.allOf ?? []), ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].flatMap(idFieldsOf);
  const own = Object.keys(schema.properties ?? {}).filter(idLike);
  return [...new Set([...own, ...nested])];
}
