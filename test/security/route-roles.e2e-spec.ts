// Who may call what: every HTTP route the API process registers, found at run time in the
// Express router (so it includes the admin UI and tracking routes that the OpenAPI document
// leaves out), must have a line in ROUTES below, and every line a route. Each route is then
// called without credentials, with an API key of each role and with an admin-UI session of
// each role, and the answer must match its line:
//   public      anyone gets 200, with or without a key or session;
//   signed(N)   no key or session needed, but the request must carry a valid signed token or
//               signature: our forged one gets N, whatever key or session comes with it;
//   key(R)      API key with role R or higher: none → 401 (a session cookie is no key),
//               a lower role → 403 naming R, R or higher → anything but 401/403 (a 400/404
//               for the dummy id or empty body is fine: only the gate is checked here);
//   session(R)  admin UI, signed-in user with role R or higher: none (or an API key) → 303 to
//               /admin/login, a lower role → 403 naming R, R or higher → anything but
//               401/403/login. Form posts carry the session's CSRF token, so a 403 is the role.
// Roles are ordered viewer < marketer < admin (src/auth/roles.ts). Unmarked API routes need a
// viewer to read and a marketer to write (defaultRoleFor); the admin UI has the same default.
import type { INestApplication } from '@nestjs/common';
import { AdminAuthService } from '../../src/admin/admin-auth.service';
import { ru } from '../../src/admin/i18n/ru';
import type { Role } from '../../src/generated/prisma/enums';
import { appRouter, registeredRoutes, routeId } from '../support/routes';
import { startTestApp, type TestApp } from '../support/test-app';

type Access =
  { kind: 'public'; status: number } | { kind: 'signed'; status: number } | { kind: 'key'; role: Role } | { kind: 'session'; role: Role };
const PUBLIC: Access = { kind: 'public', status: 200 };
const signed = (status: number): Access => ({ kind: 'signed', status });
const key = (role: Role): Access => ({ kind: 'key', role });
const session = (role: Role): Access => ({ kind: 'session', role });

/** The access policy: one line per route. */
const ROUTES: Array<[method: string, path: string, access: Access]> = [
  // health and the API docs (SwaggerModule adds the /docs routes)
  ['GET', '/health', PUBLIC],
  ['GET', '/docs', PUBLIC],
  ['GET', '/docs/', PUBLIC],
  ['GET', '/docs/index.html', PUBLIC],
  ['GET', '/docs/LICENSE', { kind: 'public', status: 404 }], // registered, but swagger-ui-dist ships no such file
  ['GET', '/docs/openapi.json', PUBLIC],
  ['GET', '/docs-yaml', PUBLIC],
  ['GET', '/docs/swagger-ui-init.js', PUBLIC],
  ['GET', '/docs/docs/swagger-ui-init.js', PUBLIC],

  // API keys
  ['GET', '/api-keys', key('admin')],
  ['POST', '/api-keys', key('admin')],
  ['DELETE', '/api-keys/:id', key('admin')],

  // customers, contacts, consent, timeline, GDPR
  ['GET', '/customers', key('viewer')],
  ['GET', '/customers/lookup', key('viewer')],
  ['GET', '/customers/:id', key('viewer')],
  ['POST', '/customers', key('marketer')],
  ['PATCH', '/customers/:id', key('marketer')],
  ['DELETE', '/customers/:id', key('marketer')],
  ['GET', '/customers/:id/contacts', key('viewer')],
  ['POST', '/customers/:id/contacts', key('marketer')],
  ['GET', '/customers/:id/consents', key('viewer')],
  ['PUT', '/customers/:id/consents/:channel', key('marketer')],
  ['POST', '/customers/:id/consents/email/confirmation', key('marketer')],
  ['GET', '/consent/confirm/:token', PUBLIC], // only shows a button; the POST checks the signature
  ['POST', '/consent/confirm/:token', signed(404)],
  ['GET', '/customers/:id/timeline', key('viewer')],
  ['GET', '/customers/:id/export', key('marketer')],
  ['POST', '/customers/:id/erase', key('admin')],

  // orders, suppressions, imports
  ['GET', '/orders', key('viewer')],
  ['GET', '/orders/:id', key('viewer')],
  ['POST', '/orders', key('marketer')],
  ['PATCH', '/orders/:id', key('marketer')],
  ['DELETE', '/orders/:id', key('marketer')],
  ['GET', '/suppressions', key('viewer')],
  ['GET', '/suppressions/check', key('viewer')],
  ['POST', '/suppressions', key('marketer')],
  ['DELETE', '/suppressions/:id', key('admin')],
  ['POST', '/imports/:kind', key('marketer')],
  ['GET', '/imports', key('viewer')],
  ['GET', '/imports/:id', key('viewer')],
  ['GET', '/imports/:id/issues', key('viewer')],
  ['GET', '/imports/:id/issues.csv', key('viewer')],

  // delivery
  ['GET', '/outbox', key('viewer')],
  ['GET', '/outbox/:id', key('viewer')],
  ['POST', '/delivery/test-email', key('admin')],

  // brand, providers and senders (settings: admins write, every role reads; secrets masked)
  ['GET', '/settings/brand', key('viewer')],
  ['PUT', '/settings/brand', key('admin')],
  ['GET', '/providers', key('viewer')],
  ['POST', '/providers', key('admin')],
  ['GET', '/providers/:id', key('viewer')],
  ['PATCH', '/providers/:id', key('admin')],
  ['POST', '/providers/:id/disable', key('admin')],
  ['POST', '/providers/:id/test', key('admin')],
  ['GET', '/senders', key('viewer')],
  ['POST', '/senders', key('admin')],
  ['GET', '/senders/:id', key('viewer')],
  ['PATCH', '/senders/:id', key('admin')],
  ['POST', '/senders/:id/disable', key('admin')],
  ['GET', '/senders/:id/dns-check', key('viewer')],
  ['GET', '/settings/dkim-keys', key('viewer')],
  ['POST', '/settings/dkim-keys', key('admin')],
  ['GET', '/settings/dkim-keys/:id', key('viewer')],
  ['PATCH', '/settings/dkim-keys/:id', key('admin')],
  ['DELETE', '/settings/dkim-keys/:id', key('admin')],
  ['POST', '/messages', key('marketer')],
  ['GET', '/messages/:id', key('viewer')],

  // templates
  ['GET', '/templates', key('viewer')],
  ['POST', '/templates', key('marketer')],
  ['POST', '/templates/validate', key('viewer')],
  ['GET', '/templates/:id', key('viewer')],
  ['PATCH', '/templates/:id', key('marketer')],
  ['DELETE', '/templates/:id', key('marketer')],
  ['GET', '/templates/:id/versions', key('viewer')],
  ['POST', '/templates/:id/versions', key('marketer')],
  ['GET', '/templates/:id/versions/:versionId', key('viewer')],
  ['POST', '/templates/:id/locales/:locale/reset', key('marketer')],
  ['POST', '/templates/:id/preview', key('viewer')],

  // campaigns
  ['POST', '/campaigns', key('marketer')],
  ['GET', '/campaigns', key('viewer')],
  ['GET', '/campaigns/:id', key('viewer')],
  ['PUT', '/campaigns/:id', key('marketer')],
  ['GET', '/campaigns/:id/runs', key('viewer')],
  ['POST', '/campaigns/:id/preflight', key('marketer')],
  ['POST', '/campaigns/:id/test-send', key('marketer')],
  ['POST', '/campaigns/:id/schedule', key('marketer')],
  ['POST', '/campaigns/:id/pause', key('marketer')],
  ['POST', '/campaigns/:id/resume', key('marketer')],
  ['POST', '/campaigns/:id/cancel', key('marketer')],
  ['POST', '/attachments', key('marketer')],

  // documents
  ['POST', '/documents', key('marketer')],
  ['GET', '/documents', key('viewer')],
  ['GET', '/documents/:id', key('viewer')],
  ['POST', '/documents/:id/versions', key('marketer')],
  ['GET', '/documents/:id/versions/:number/content', key('viewer')],

  // images for templates: uploaded with a key, served to anyone (mail clients) by content hash
  ['POST', '/images', key('marketer')],
  ['GET', '/images', key('viewer')],
  ['GET', '/images/:file', { kind: 'public', status: 404 }], // no image is named admin.js

  // segments and scoring
  ['GET', '/segments', key('viewer')],
  ['GET', '/segments/fields', key('viewer')],
  ['POST', '/segments/preview', key('viewer')],
  ['GET', '/segments/:id', key('viewer')],
  ['POST', '/segments', key('marketer')],
  ['PATCH', '/segments/:id', key('marketer')],
  ['DELETE', '/segments/:id', key('marketer')],
  ['GET', '/segments/:id/count', key('viewer')],
  ['GET', '/segments/:id/preview', key('viewer')],
  ['GET', '/scoring/config', key('viewer')],
  ['PUT', '/scoring/config', key('marketer')],
  ['DELETE', '/scoring/config', key('marketer')],
  ['POST', '/scoring/runs', key('marketer')],
  ['GET', '/scoring/runs', key('viewer')],
  ['GET', '/scoring/runs/:id', key('viewer')],
  ['GET', '/scoring/summary', key('viewer')],

  // automations and the events that fire them
  ['POST', '/triggers', key('marketer')],
  ['GET', '/triggers', key('viewer')],
  ['GET', '/triggers/:id', key('viewer')],
  ['PATCH', '/triggers/:id', key('marketer')],
  ['DELETE', '/triggers/:id', key('marketer')],
  ['GET', '/triggers/:id/firings', key('viewer')],
  ['POST', '/events/orders', key('marketer')],
  ['POST', '/events', key('marketer')],

  // feedback: review, raw messages and undo are for admins
  ['GET', '/feedback/inbound', key('viewer')],
  ['GET', '/feedback/inbound/:id', key('viewer')],
  ['GET', '/feedback/inbound/:id/raw', key('admin')],
  ['POST', '/feedback/inbound', key('admin')],
  ['POST', '/feedback/inbound/:id/retry', key('admin')],
  ['GET', '/feedback/bounces', key('viewer')],
  ['GET', '/feedback/leads', key('viewer')],
  ['GET', '/feedback/complaints', key('viewer')],
  ['GET', '/feedback/cleanup-log', key('viewer')],
  ['POST', '/feedback/cleanup-log/:id/undo', key('admin')],
  ['POST', '/feedback/cleanup-log/:id/apply', key('admin')], // an action withheld for want of proof
  ['GET', '/feedback/address-changes', key('viewer')],
  ['POST', '/feedback/address-changes/:id/accept', key('admin')],
  ['POST', '/feedback/address-changes/:id/reject', key('admin')],
  ['GET', '/feedback/sms/webhook-url', key('admin')], // the URL carries a signed token
  ['GET', '/feedback/webhook-urls', key('admin')], // likewise

  // webhooks: verified by signature (Mailgun, SES) or by a signed token in the URL
  ['POST', '/webhooks/sms/inbound/:token', signed(401)],
  ['POST', '/webhooks/ses', signed(400)], // our forged body is no SNS message; forged signatures: test/feedback/ses-webhook
  ['POST', '/webhooks/mailgun', signed(403)],
  ['POST', '/webhooks/sendgrid/:token', signed(401)],
  ['POST', '/webhooks/postmark/:token', signed(401)],

  // the links in every email (a broken pixel still answers with the image, recording nothing)
  ['GET', '/o/:token', signed(200)],
  ['GET', '/c/:token', signed(400)],
  ['GET', '/u/:token', signed(404)],
  ['POST', '/u/:token', signed(404)],
  ['GET', '/p/:token', signed(404)],
  ['POST', '/p/:token', signed(404)],
  ['GET', '/v/:token', signed(404)],
  ['GET', '/address-change/:token', signed(404)],
  ['POST', '/address-change/:token', signed(404)],

  // reports
  ['GET', '/reports/campaigns/:id', key('viewer')],
  ['GET', '/reports/campaigns/:id/export.csv', key('viewer')],
  ['GET', '/reports/bounces', key('viewer')],
  ['GET', '/reports/complaints', key('viewer')],
  ['GET', '/reports/cleanup', key('viewer')],
  ['GET', '/reports/leads', key('viewer')],

  // admin UI: sign-in (its form carries a CSRF cookie of its own) and the static files
  ['GET', '/admin/assets/admin.css', PUBLIC],
  ['GET', '/admin/assets/:file', PUBLIC],
  ['GET', '/admin/login', PUBLIC],
  ['POST', '/admin/login', signed(403)],
  ['POST', '/admin/logout', session('viewer')],
  ['GET', '/admin/profile', session('viewer')],
  ['POST', '/admin/profile', session('viewer')],
  ['POST', '/admin/profile/locale', session('viewer')],
  ['GET', '/admin', session('viewer')],
  ['GET', '/admin/campaigns', session('viewer')],
  ['GET', '/admin/campaigns/new', session('marketer')],
  ['GET', '/admin/campaigns/reach', session('marketer')], // the wizard's live count: changes nothing
  ['POST', '/admin/campaigns/preview', session('marketer')], // the wizard's preview: changes nothing
  ['GET', '/admin/campaigns/preview-frame', session('marketer')],
  ['POST', '/admin/campaigns', session('marketer')],
  ['GET', '/admin/campaigns/:id', session('viewer')],
  ['GET', '/admin/campaigns/:id/edit', session('marketer')],
  ['POST', '/admin/campaigns/:id', session('marketer')],
  ['GET', '/admin/campaigns/:id/review', session('marketer')],
  ['POST', '/admin/campaigns/:id/test-send', session('marketer')],
  ['GET', '/admin/campaigns/:id/report-:section.csv', session('viewer')],
  ['POST', '/admin/campaigns/:id/:action', session('marketer')],
  ['GET', '/admin/automations', session('viewer')],
  ['GET', '/admin/automations/new', session('marketer')],
  ['POST', '/admin/automations', session('marketer')],
  ['GET', '/admin/automations/:id', session('viewer')],
  ['GET', '/admin/automations/:id/edit', session('marketer')],
  ['POST', '/admin/automations/:id', session('marketer')],
  ['POST', '/admin/automations/:id/pause', session('marketer')],
  ['POST', '/admin/automations/:id/resume', session('marketer')],
  ['POST', '/admin/automations/:id/delete', session('marketer')],
  ['GET', '/admin/scoring', session('viewer')],
  ['POST', '/admin/scoring/runs', session('marketer')],
  ['POST', '/admin/scoring/config', session('marketer')],
  ['POST', '/admin/scoring/config/reset', session('marketer')],
  ['GET', '/admin/reports/bounces', session('viewer')],
  ['GET', '/admin/reports/complaints', session('viewer')],
  ['GET', '/admin/reports/leads', session('viewer')],
  ['GET', '/admin/reports/cleanup', session('viewer')],
  ['POST', '/admin/reports/cleanup/:id/undo', session('admin')],
  ['POST', '/admin/reports/cleanup/:id/apply', session('admin')],
  ['POST', '/admin/reports/address-changes/:id/accept', session('admin')],
  ['POST', '/admin/reports/address-changes/:id/reject', session('admin')],
  ['GET', '/admin/imports', session('viewer')],
  ['POST', '/admin/imports', session('marketer')], // the upload (multipart; its CSRF field is read before the file)
  ['GET', '/admin/imports/:id', session('viewer')],
  ['POST', '/admin/imports/:id/start', session('marketer')],
  ['POST', '/admin/imports/:id/import', session('marketer')],
  ['GET', '/admin/imports/:id/issues.csv', session('marketer')], // an export of the file's problems
  ['GET', '/admin/customers', session('viewer')],
  ['GET', '/admin/customers/:id', session('viewer')],
  ['POST', '/admin/customers/:id', session('marketer')],
  ['POST', '/admin/customers/:id/consent', session('marketer')],
  ['GET', '/admin/customers/:id/export', session('marketer')], // everything stored about the customer, as the API's export
  ['POST', '/admin/customers/:id/erase', session('admin')],
  ['GET', '/admin/segments', session('viewer')],
  ['GET', '/admin/segments/new', session('viewer')],
  ['GET', '/admin/segments/:id', session('viewer')],
  ['POST', '/admin/segments/preview', session('viewer')], // the builder's live count and sample: changes nothing
  ['POST', '/admin/segments', session('marketer')],
  ['POST', '/admin/segments/:id', session('marketer')],
  ['POST', '/admin/images', session('marketer')], // the studio's upload (multipart, x-csrf-token header; JSON answers)
  ['GET', '/admin/images', session('viewer')], // the builder's asset list (JSON)
  ['GET', '/admin/templates', session('viewer')],
  ['POST', '/admin/templates', session('marketer')],
  ['GET', '/admin/templates/:id', session('viewer')],
  ['POST', '/admin/templates/:id', session('marketer')],
  ['POST', '/admin/templates/:id/locales', session('marketer')],
  ['POST', '/admin/templates/:id/details', session('marketer')],
  ['POST', '/admin/templates/:id/clone', session('marketer')],
  ['POST', '/admin/templates/:id/delete', session('marketer')],
  ['GET', '/admin/templates/:id/versions', session('viewer')],
  ['GET', '/admin/templates/:id/versions/:versionId', session('viewer')],
  ['POST', '/admin/templates/:id/versions/:versionId/restore', session('marketer')],
  ['POST', '/admin/templates/:id/preview-frame', session('viewer')], // the preview frame: the saved version for a viewer, a draft for a marketer
  ['POST', '/admin/templates/:id/preview', session('viewer')], // the same as JSON: changes nothing
  ['POST', '/admin/templates/:id/test-send', session('marketer')],
  ['GET', '/admin/customers/pick', session('viewer')], // the preview's customer search
  ['GET', '/admin/suppression', session('viewer')],
  ['POST', '/admin/suppression', session('admin')],
  ['POST', '/admin/suppression/:id/delete', session('admin')],
  ['GET', '/admin/settings', session('admin')],
  ['POST', '/admin/settings/api-keys', session('admin')],
  ['POST', '/admin/settings/api-keys/:id/revoke', session('admin')],
  ['POST', '/admin/settings/users', session('admin')],
];

const ROLES: Role[] = ['viewer', 'marketer', 'admin'];
const RANK: Record<Role, number> = { viewer: 0, marketer: 1, admin: 2 };
/** A well-formed token ("1") with a signature of zeros: what a forger has. */
const FORGED_TOKEN = 'MQ.AAAAAAAAAAAAAAAAAAAAAA';
/** Values for path parameters: ids that do not exist, so an allowed call changes nothing. */
const PARAMS: Record<string, string> = {
  id: '999999',
  versionId: '999999',
  token: FORGED_TOKEN,
  channel: 'email',
  locale: 'ru',
  kind: 'nothing',
  action: 'nothing',
  section: 'nothing',
  file: 'admin.js',
};

/** Every method + path the Express router serves, as `METHOD /path`. */
function registeredRouteIds(app: INestApplication): string[] {
  return registeredRoutes(app).map(({ method, path }) => routeId(method, path));
}

let t: TestApp;
const keys = {} as Record<Role, string>;
const sessions = {} as Record<Role, { token: string; csrf: string; email: string; password: string }>;
let client = 0;

beforeAll(async () => {
  // The webhooks are on, so their gate is the signature and not "not configured".
  t = await startTestApp({
    OTKLIK_ROLE: 'api',
    MAILGUN_WEBHOOK_SIGNING_KEY: 'key-route-matrix-0123',
    SES_SNS_TOPIC_ARNS: 'arn:aws:sns:eu-west-1:123456789012:ses-events',
  });
  const users = t.app.get(AdminAuthService);
  for (const role of ROLES) {
    keys[role] = await t.key(role);
    const email = `${role}@route-matrix.test`;
    const password = `password of the ${role}`;
    await users.createUser({ email, role, password });
    sessions[role] = { ...(await signIn(email, password)), email, password };
  }
});

afterAll(async () => {
  await t?.close();
});

async function signIn(email: string, password: string): Promise<{ token: string; csrf: string }> {
  const users = t.app.get(AdminAuthService);
  const { token } = (await users.login(email, password))!;
  return { token, csrf: (await users.session(token))!.csrfToken };
}

type Caller = { kind: 'none' } | { kind: 'key'; role: Role } | { kind: 'session'; role: Role };

async function call(method: string, pattern: string, caller: Caller): Promise<{ status: number; location: string | null; text: string }> {
  const path = pattern.replace(/:(\w+)/g, (_m, name: string) => PARAMS[name] ?? '999999');
  // Each call from its own client address (the app trusts X-Forwarded-For from loopback), so
  // per-client limits on public routes never turn an answer into a 429.
  client++;
  const headers: Record<string, string> = { 'x-forwarded-for': `198.18.${client >> 8}.${client & 255}` };
  let body: string | undefined;
  if (caller.kind === 'key') headers.authorization = `Bearer ${keys[caller.role]}`;
  if (caller.kind === 'session') {
    headers.cookie = `otk_admin=${sessions[caller.role].token}`;
    headers['x-csrf-token'] = sessions[caller.role].csrf;
  }
  if (method !== 'GET') {
    const form = pattern.startsWith('/admin');
    headers['content-type'] = form ? 'application/x-www-form-urlencoded' : 'application/json';
    body = form ? '' : '{}';
  }
  const response = await fetch(`${t.url}${path}`, { method, headers, body, redirect: 'manual' });
  const result = { status: response.status, location: response.headers.get('location'), text: await response.text() };
  // A route that ends the session (sign-out) gets the next caller a new one.
  if (caller.kind === 'session' && !(await t.app.get(AdminAuthService).session(sessions[caller.role].token))) {
    Object.assign(sessions[caller.role], await signIn(sessions[caller.role].email, sessions[caller.role].password));
  }
  return result;
}

const toLogin = (answer: { status: number; location: string | null }) =>
  answer.status === 303 && (answer.location ?? '').startsWith('/admin/login');

/** What is wrong with the answers of one route, as readable lines (none when it obeys its line). */
async function violations(method: string, path: string, access: Access): Promise<string[]> {
  const problems: string[] = [];
  const check = (caller: string, answer: { status: number; location: string | null }, ok: boolean, wanted: string) => {
    if (!ok)
      problems.push(
        `${method} ${path} (${policyOf(access)}), ${caller}: wanted ${wanted}, got ${answer.status}${answer.location ? ` → ${answer.location}` : ''}`,
      );
  };
  const asEveryone: Array<[string, Caller]> = [
    ['no credentials', { kind: 'none' }],
    ['admin API key', { kind: 'key', role: 'admin' }],
    ['admin session', { kind: 'session', role: 'admin' }],
  ];
  switch (access.kind) {
    case 'public':
      for (const [name, caller] of asEveryone) {
        const answer = await call(method, path, caller);
        check(name, answer, answer.status === access.status, String(access.status));
      }
      break;
    case 'signed':
      for (const [name, caller] of asEveryone) {
        const answer = await call(method, path, caller);
        check(`${name} and a forged token`, answer, answer.status === access.status, String(access.status));
      }
      break;
    case 'key': {
      const none = await call(method, path, { kind: 'none' });
      check('no credentials', none, none.status === 401, '401');
      const cookieOnly = await call(method, path, { kind: 'session', role: 'admin' });
      check('admin session cookie, no key', cookieOnly, cookieOnly.status === 401, '401');
      for (const role of ROLES) {
        const answer = await call(method, path, { kind: 'key', role });
        if (RANK[role] < RANK[access.role])
          check(
            `${role} key`,
            answer,
            answer.status === 403 && answer.text.includes(`needs the ${access.role} role`),
            `403 naming the ${access.role} role`,
          );
        else
          check(
            `${role} key`,
            answer,
            answer.status !== 401 && answer.status !== 403 && answer.status < 500,
            'past the gate (not 401/403, no 5xx)',
          );
      }
      break;
    }
    case 'session': {
      const none = await call(method, path, { kind: 'none' });
      check('no credentials', none, toLogin(none), '303 to /admin/login');
      const keyOnly = await call(method, path, { kind: 'key', role: 'admin' });
      check('admin API key, no session', keyOnly, toLogin(keyOnly), '303 to /admin/login');
      for (const role of ROLES) {
        const answer = await call(method, path, { kind: 'session', role });
        if (RANK[role] < RANK[access.role])
          check(
            `${role} session`,
            answer,
            // The admin UI speaks Russian by default: «нужна роль «маркетолог»».
            answer.status === 403 && answer.text.includes(`нужна роль «${ru[`role.${access.role}`]}»`),
            `403 naming the ${access.role} role`,
          );
        else
          check(
            `${role} session`,
            answer,
            answer.status !== 401 && answer.status !== 403 && answer.status < 500 && !(toLogin(answer) && path !== '/admin/logout'),
            'past the gate (not 401/403/login, no 5xx)',
          );
      }
      break;
    }
  }
  return problems;
}

function policyOf(access: Access): string {
  if (access.kind === 'public') return `public → ${access.status}`;
  if (access.kind === 'signed') return `signed, forged → ${access.status}`;
  return `${access.kind} ${access.role}`;
}

it('has exactly one line of policy for every registered route', () => {
  // The admin UI's catch-all (@All('*path'), every HTTP method: an HTML 404 after sign-in) is
  // checked apart: registered for GET, behind the session guard like every admin page.
  const catchAll = ' /admin/*path';
  const everyRoute = registeredRouteIds(t.app);
  expect(everyRoute).toContain(`GET${catchAll}`);
  const registered = everyRoute.filter((id) => !id.endsWith(catchAll));
  const declared = ROUTES.map(([method, path]) => routeId(method, path));
  expect(registered.length).toBeGreaterThan(150);
  expect(new Set(registered).size).toBe(registered.length);
  expect(declared.filter((id, i) => declared.indexOf(id) !== i)).toEqual([]); // no route twice
  expect({ registeredWithoutPolicy: registered.filter((id) => !declared.includes(id)) }).toEqual({ registeredWithoutPolicy: [] });
  expect({ policyWithoutRoute: declared.filter((id) => !registered.includes(id)) }).toEqual({ policyWithoutRoute: [] });
  // A router mounted with app.use() would hide its routes from the list above.
  expect(
    appRouter(t.app)
      .stack.filter((layer) => !layer.route && Array.isArray(layer.handle?.stack))
      .map((layer) => layer.name),
  ).toEqual([]);
});

it('finds every operation of the OpenAPI document among the registered routes', async () => {
  const spec = (await (await fetch(`${t.url}/docs/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  const registered = new Set(registeredRouteIds(t.app));
  const operations = Object.entries(spec.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => routeId(method.toUpperCase(), path.replace(/\{(\w+)\}/g, ':$1'))),
  );
  expect(operations.length).toBeGreaterThan(50);
  expect(operations.filter((id) => !registered.has(id))).toEqual([]);
});

it('answers every route as its line says: without credentials, with each API key role and each admin session role', async () => {
  const problems: string[] = [];
  for (const [method, path, access] of ROUTES) problems.push(...(await violations(method, path, access)));
  expect(problems).toEqual([]);
});
