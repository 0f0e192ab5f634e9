// CSRF on every admin form: each state-changing admin route (read from the Express router, so
// a new form cannot be forgotten) refuses a signed-in admin's request that carries no CSRF
// token, a wrong one, or another session's, with 403 and a page saying why, and changes nothing.
// The sign-in form has a CSRF cookie of its own. (route-roles.e2e-spec.ts proves the same
// requests with the right token get past the gate.)
import { PrismaService } from '../../src/database/prisma.service';
import { AdminAuthService } from '../../src/admin/admin-auth.service';
import { registeredRoutes } from '../support/routes';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let prisma: PrismaService;
const admins: Array<{ token: string; csrf: string }> = [];

async function signIn(email: string) {
  const users = t.app.get(AdminAuthService);
  await users.createUser({ email, role: 'admin', password: `password of ${email}` });
  const { token } = (await users.login(email, `password of ${email}`))!;
  return { token, csrf: (await users.session(token))!.csrfToken };
}

beforeAll(async () => {
  t = await startTestApp({ OTKLIK_ROLE: 'api' });
  prisma = t.app.get(PrismaService);
  admins.push(await signIn('first@csrf.test'), await signIn('second@csrf.test'));
});

afterAll(async () => {
  await t?.close();
});

/** Path parameters: ids that exist (1) so the refusal cannot be a 404 in disguise. */
const PARAMS: Record<string, string> = { id: '1', action: 'cancel' };

/** Form fields a real submission might carry, so the body parser and handler would have work. */
const FIELDS = {
  name: 'csrf probe',
  email: 'probe@csrf.test',
  role: 'admin',
  address: 'probe@csrf.test',
  reason: 'manual',
  rules: '{"field":"tags","op":"has","value":"x"}',
};

async function post(path: string, headers: Record<string, string>, fields: Record<string, string>) {
  const response = await fetch(`${t.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
  return { status: response.status, text: await response.text(), cookie: response.headers.get('set-cookie') };
}

async function snapshot() {
  const [apiKeys, users, sessions, suppressions, segments, campaigns, templates, templateRows] = await Promise.all([
    prisma.apiKey.count(),
    prisma.user.count(),
    prisma.session.count(),
    prisma.suppression.count(),
    prisma.segment.count(),
    prisma.campaign.count(),
    prisma.templateVersion.count(),
    // renamed, cloned or deleted templates
    prisma.template.findMany({ select: { id: true, key: true, name: true, description: true }, orderBy: { id: 'asc' } }),
  ]);
  return { apiKeys, users, sessions, suppressions, segments, campaigns, templates, templateRows };
}

describe('CSRF on every admin form', () => {
  it('refuses every state-changing admin route without the session’s own CSRF token, and changes nothing', async () => {
    const forms = registeredRoutes(t.app).filter(
      (r) =>
        r.method !== 'GET' &&
        r.method !== 'HEAD' &&
        r.path.startsWith('/admin') &&
        r.path !== '/admin/login' &&
        // The catch-all (@All('*path'), every HTTP method) only answers an HTML 404: it changes nothing.
        r.path !== '/admin/*path',
    );
    // The admin UI's forms as of writing: a route dropped from the router would shrink this.
    expect(forms.length).toBeGreaterThanOrEqual(16);
    const before = await snapshot();
    const [mine, other] = admins;
    const problems: string[] = [];
    for (const { method, path: pattern } of forms) {
      expect(method).toBe('POST'); // the admin UI changes state with form posts only
      const path = pattern.replace(/:(\w+)/g, (_m, name: string) => PARAMS[name] ?? '1');
      const cookie = `otk_admin=${mine.token}`;
      const attempts: Array<[string, Record<string, string>, Record<string, string>]> = [
        ['no token', { cookie }, FIELDS],
        ['a forged token in the form', { cookie }, { ...FIELDS, _csrf: 'A'.repeat(mine.csrf.length) }],
        ["another session's token in the header", { cookie, 'x-csrf-token': other.csrf }, FIELDS],
        ["another session's token in the form", { cookie }, { ...FIELDS, _csrf: other.csrf }],
      ];
      for (const [what, headers, fields] of attempts) {
        const answer = await post(path, headers, fields);
        if (answer.status !== 403 || !answer.text.includes('CSRF'))
          problems.push(`POST ${pattern} with ${what}: wanted 403 naming CSRF, got ${answer.status}`);
      }
    }
    expect(problems).toEqual([]);
    // Nothing was created, changed or ended (sign-out included: the session still works).
    expect(await snapshot()).toEqual(before);
    expect(await t.app.get(AdminAuthService).session(mine.token)).not.toBeNull();
  });

  it('refuses a sign-in without the sign-in form’s CSRF cookie, or with a token that is not its own', async () => {
    await t.app.get(AdminAuthService).createUser({ email: 'login@csrf.test', role: 'viewer', password: 'password of login' });
    const login = { email: 'login@csrf.test', password: 'password of login' };
    const form = await fetch(`${t.url}/admin/login`);
    const cookie = /otk_login=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')?.[1];
    const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
    expect(cookie && token).toBeTruthy();

    for (const [headers, fields] of [
      [{}, { ...login }],
      [{}, { ...login, _csrf: token! }],
      [{ cookie: `otk_login=${cookie}` }, { ...login }],
      [{ cookie: `otk_login=${cookie}` }, { ...login, _csrf: 'A'.repeat(token!.length) }],
    ] as Array<[Record<string, string>, Record<string, string>]>) {
      const answer = await post('/admin/login', headers, fields);
      expect(answer.status).toBe(403);
      expect(answer.cookie ?? '').not.toMatch(/otk_admin=/);
    }
    // The same credentials with the form's own pair sign in.
    const ok = await post('/admin/login', { cookie: `otk_login=${cookie}` }, { ...login, _csrf: token! });
    expect(ok.status).toBe(303);
    expect(ok.cookie).toMatch(/otk_admin=/);
  });
});
