// Names that every JavaScript object inherits ("constructor", "__proto__", "toString") reach
// lookup tables from outside: a form action in a URL, a notice in a query, a time zone or a
// locale in a body, a consent cell of an import. Each is just an unknown name: a 404 or a 400
// naming the field, a row issue of the import, never a 500 or a function in the output.
import { AdminAuthService } from '../../src/admin/admin-auth.service';
import { api, waitFor } from '../customers/customer-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const INHERITED = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

let t: TestApp;
let marketer: ReturnType<typeof api>;
let session: { token: string; csrf: string };

beforeAll(async () => {
  t = await startTestApp();
  marketer = api(t, await t.key('marketer'));
  const users = t.app.get(AdminAuthService);
  await users.createUser({ email: 'marketer@own-properties.test', role: 'marketer', password: 'password of the marketer' });
  const { token } = (await users.login('marketer@own-properties.test', 'password of the marketer'))!;
  session = { token, csrf: (await users.session(token))!.csrfToken };
});

afterAll(async () => {
  await t?.close();
});

function admin(method: string, path: string): Promise<Response> {
  const headers: Record<string, string> = { cookie: `otk_admin=${session.token}`, 'x-csrf-token': session.csrf };
  if (method === 'POST') headers['content-type'] = 'application/x-www-form-urlencoded';
  return fetch(`${t.url}${path}`, { method, headers, body: method === 'POST' ? '' : undefined, redirect: 'manual' });
}

it('POST /admin/campaigns/1/constructor (and the like) is an unknown action: 404, not 500', async () => {
  for (const action of INHERITED) {
    const response = await admin('POST', `/admin/campaigns/1/${action}`);
    expect({ action, status: response.status }).toEqual({ action, status: 404 });
    expect(await response.text()).toContain(`Campaign action ${action} not found`);
  }
  // control: a real action reaches the campaign (there is none, so its 404 names the campaign)
  const pause = await admin('POST', '/admin/campaigns/1/pause');
  expect(pause.status).toBe(404);
  expect(await pause.text()).toContain('Campaign 1 not found');
});

it('a notice named like an inherited member shows no notice', async () => {
  for (const done of INHERITED) {
    const response = await admin('GET', `/admin/campaigns?done=${encodeURIComponent(done)}`);
    expect({ done, status: response.status }).toEqual({ done, status: 200 });
    expect(await response.text()).not.toMatch(/function|\[native code\]/);
  }
});

it('a time zone or locale named like an inherited member is a 400 naming the field', async () => {
  for (const name of INHERITED) {
    const zone = await marketer.post('/customers', { email: `zone-${name.replace(/_/g, '')}@example.com`, timeZone: name });
    expect({ name, status: zone.status, paths: zone.body.issues?.map((i: { path: string }) => i.path) }).toEqual({
      name,
      status: 400,
      paths: ['timeZone'],
    });
    const locale = await marketer.post('/customers', { email: `locale-${name.replace(/_/g, '')}@example.com`, locale: name });
    expect({ name, status: locale.status, paths: locale.body.issues?.map((i: { path: string }) => i.path) }).toEqual({
      name,
      status: 400,
      paths: ['locale'],
    });
  }
});

it('an import cell named like an inherited member is a row issue; the other rows are imported', async () => {
  const csv = [
    'email,consent_email,kind',
    'own1@example.com,constructor,person',
    'own2@example.com,да,__proto__',
    'own3@example.com,да,person',
  ].join('\r\n');
  const queued = await marketer.post('/imports/customers', Buffer.from(csv), { 'content-type': 'text/csv' });
  expect(queued.status).toBe(201);
  const job = await waitFor(async () => {
    const body = (await marketer.get(`/imports/${queued.body.id}`)).body;
    return body.status === 'completed' || body.status === 'failed' ? body : null;
  });
  expect(job).toMatchObject({ status: 'completed', counts: { inserted: 1, rejected: 2 } });
  const issues = (await marketer.get(`/imports/${job.id}/issues`)).body.items.map((i: { line: number; field: string }) => [
    i.line,
    i.field,
  ]);
  expect(issues).toEqual([
    [2, 'consent_email'],
    [3, 'kind'],
  ]);
});
