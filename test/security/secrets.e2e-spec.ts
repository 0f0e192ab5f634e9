// Secrets never reach the logs, and the database keeps no credential in clear.
//
// The built server runs as an operator starts it (dist/src/main.js, role all: API, worker
// and scheduler in one process) with LOG_LEVEL=debug, a password in every connection URL, a
// Mailgun signing key and an SMS provider credential; everything it writes to stdout and
// stderr, from start-up to shutdown, is kept. Meanwhile: an admin signs in with a password
// (session cookie), creates an API key in the settings page, calls the API with it (Bearer
// and X-Api-Key, plus a wrong key), sends a transactional email that the worker delivers
// through an SMTP relay requiring AUTH, follows the email's tracking, unsubscribe and
// preference links (tokens in the path, a secret in a query string), and posts signed
// webhooks. No secret may appear in the captured output, in any spelling.
//
// Then the database: no table holds the API key, the password or the session token in clear;
// the key is kept as its SHA-256, the password as an scrypt hash that verifies. (The key_hash
// column alone is checked in test/foundation/auth-and-health.e2e-spec.ts; the hash format in
// src/admin/html.spec.ts. This scans every row of every table.)
import { spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { Client } from 'pg';
import { verifyPassword } from '../../src/admin/password';
import { messageLinks } from '../../src/tracking/tracking-links';
import { startSmtpSink, waitFor, type SmtpSink } from '../support/smtp-sink';
import { createTestEnv, NODE, ROOT, runCli, type TestEnv } from '../support/test-env';

const MAIN = path.join(ROOT, 'dist/src/main.js');
const SECRETS = {
  dbPassword: 'Db-Pass-4d1c2e',
  redisPassword: 'Redis-Pass-93ab1f',
  smtpPassword: 'Smtp-Pass-7e21c0',
  imapPassword: 'Imap-Pass-0c44d2',
  mailgunKey: 'key-mailgun-5b3f0a9e1d',
  smsApiId: 'SmsRu-ApiId-8f2d61',
  secretKey: `Secret-Key-${'q7'.repeat(20)}`,
  querySecret: 'Query-Secret-6a0e3b',
  wrongKey: `otk_guessed0_${'G'.repeat(32)}`,
};
const SMTP_USER = 'mailer';
const ADMIN_EMAIL = 'admin@secrets.test';

let t: TestEnv;
let sink: SmtpSink;
let port: number;
let base: string;
const out = { stdout: '', stderr: '' };
let exited: Promise<number | string>;
let stop: (signal?: NodeJS.Signals) => void;
/** Secrets that exist only once the flow has run: the password, the key, tokens. */
const found: Record<string, string> = {};

beforeAll(async () => {
  sink = await startSmtpSink({ auth: { user: SMTP_USER, pass: SECRETS.smtpPassword } });
  t = await createTestEnv();
  port = 20000 + Math.floor(Math.random() * 20000);
  base = `http://127.0.0.1:${port}`;
  const db = new URL(t.databaseUrl);
  db.password = SECRETS.dbPassword; // the server trusts loopback, so any password connects
  const redis = new URL(t.env.REDIS_URL);
  redis.password = SECRETS.redisPassword; // Redis here has none: AUTH is refused and ioredis carries on
  const env = {
    PATH: process.env.PATH ?? '',
    OTKLIK_ROLE: 'all',
    LOG_LEVEL: 'debug',
    DATABASE_URL: db.toString(),
    REDIS_URL: redis.toString(),
    QUEUE_PREFIX: t.env.QUEUE_PREFIX,
    SECRET_KEY: SECRETS.secretKey,
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: base,
    SMTP_URL: `smtp://${SMTP_USER}:${SECRETS.smtpPassword}@127.0.0.1:${sink.port}`,
    MAIL_FROM: 'news@shop.example',
    BOUNCE_DOMAIN: 'bounces.shop.example',
    IMAP_URL: `imap://bounces:${SECRETS.imapPassword}@127.0.0.1:1/INBOX`, // polled once a minute: in the config, rarely in a poll
    MAILGUN_WEBHOOK_SIGNING_KEY: SECRETS.mailgunKey,
    SMS_PROVIDER: 'sms_smsru',
    SMS_PROVIDER_CONFIG: JSON.stringify({ apiId: SECRETS.smsApiId, test: true }),
  };
  const child = spawn(NODE, [MAIN], { cwd: '/tmp', env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => (out.stdout += d));
  child.stderr.on('data', (d) => (out.stderr += d));
  exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  stop = (signal = 'SIGTERM') => child.kill(signal);
  await waitFor(
    async () => (await fetch(`${base}/health`).catch(() => null))?.status === 200,
    30_000,
    `the server to answer /health (stderr: ${out.stderr})`,
  );
}, 60_000);

afterAll(async () => {
  // Normally stopped by the first test already; if it failed half-way, stop it before its database goes.
  stop?.();
  if (
    exited !== undefined &&
    (await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('running'), 5000))])) === 'running'
  ) {
    stop('SIGKILL');
    await exited;
  }
  await sink?.close();
  await t?.cleanup();
});

const form = (body: Record<string, string>) => new URLSearchParams(body).toString();
const FORM = 'application/x-www-form-urlencoded';

async function signIn(email: string, password: string): Promise<string> {
  const page = await fetch(`${base}/admin/login`);
  const loginCookie = /otk_login=([^;]+)/.exec(page.headers.get('set-cookie')!)![1];
  const response = await fetch(`${base}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': FORM, cookie: `otk_login=${loginCookie}` },
    body: form({ email, password, _csrf: loginCookie }),
  });
  expect(response.status).toBe(303);
  return /otk_admin=([^;]+)/.exec(response.headers.get('set-cookie')!)![1];
}

it('runs the flow: sign-in, a new API key, API calls, an email through SMTP AUTH, tracking links and webhooks', async () => {
  const created = await runCli('users-create', ['--email', ADMIN_EMAIL, '--role', 'admin'], { DATABASE_URL: t.databaseUrl });
  expect(created.code).toBe(0);
  found.password = /Password \(shown once, store it now\): (\S+)/.exec(created.stdout)![1];
  found.session = await signIn(ADMIN_EMAIL, found.password);
  const cookie = `otk_admin=${found.session}`;

  const settings = await (await fetch(`${base}/admin/settings`, { headers: { cookie } })).text();
  found.csrf = /name="_csrf" value="([^"]+)"/.exec(settings)![1];
  const keyPage = await fetch(`${base}/admin/settings/api-keys`, {
    method: 'POST',
    headers: { cookie, 'content-type': FORM },
    body: form({ name: 'shop', role: 'admin', _csrf: found.csrf }),
  });
  // Post, redirect, get: the settings page shows the new key once (fetch follows the 303).
  expect([keyPage.redirected, keyPage.status]).toEqual([true, 200]);
  found.apiKey = /otk_[a-z0-9]{8}_[A-Za-z0-9_-]{32}/.exec(await keyPage.text())![0];
  found.apiKeySecret = found.apiKey.slice('otk_12345678_'.length);
  const bearer = { authorization: `Bearer ${found.apiKey}`, 'content-type': 'application/json' };

  expect((await fetch(`${base}/customers`, { headers: bearer })).status).toBe(200);
  expect((await fetch(`${base}/customers`, { headers: { 'x-api-key': found.apiKey } })).status).toBe(200);
  expect((await fetch(`${base}/customers`, { headers: { authorization: `Bearer ${SECRETS.wrongKey}` } })).status).toBe(401);
  expect((await fetch(`${base}/health?token=${SECRETS.querySecret}&key=${found.apiKey}`)).status).toBe(200);

  // A transactional email: queued by the API, sent by the worker through the relay's AUTH.
  const customer = await fetch(`${base}/customers`, {
    method: 'POST',
    headers: bearer,
    body: JSON.stringify({ email: 'reader@example.com', firstName: 'Анна', consents: { email: { status: 'opted_in', source: 'test' } } }),
  });
  expect(customer.status).toBe(201);
  const customerId = ((await customer.json()) as { id: number }).id;
  const queued = await fetch(`${base}/messages`, {
    method: 'POST',
    headers: bearer,
    body: JSON.stringify({ template: 'welcome', customerId }),
  });
  expect(queued.status).toBe(201);
  await waitFor(() => sink.messages.length > 0, 30_000, 'the email at the SMTP relay');
  expect(sink.logins).toContain(SMTP_USER);

  // The links of that email, as its reader would follow them.
  const mail = await simpleParser(sink.messages[0].raw);
  const unsubscribeUrl = /<(http[^>]+)>/.exec(mail.headerLines.find((h) => h.key === 'list-unsubscribe')!.line)![1];
  found.unsubscribeToken = unsubscribeUrl.split('/').pop()!;
  expect((await fetch(unsubscribeUrl)).status).toBe(200);
  // The other links of that message, signed as the renderer signs them (this template tracks no click).
  const links = messageLinks(base, SECRETS.secretKey, BigInt(sink.messages[0].otklikId!));
  const click = links.trackLink('https://shop.example/sale?utm_source=otklik', 0);
  found.clickToken = new URL(click).pathname.split('/').pop()!;
  expect((await fetch(click, { redirect: 'manual' })).status).toBe(302);
  found.preferencesToken = links.preferencesUrl.split('/').pop()!;
  expect((await fetch(`${links.preferencesUrl}?token=${SECRETS.querySecret}`)).status).toBe(200);
  found.viewToken = links.viewInBrowserUrl.split('/').pop()!;
  expect((await fetch(links.viewInBrowserUrl)).status).toBe(200);
  expect((await fetch(links.openPixelUrl)).status).toBe(200);
  expect(
    (await fetch(unsubscribeUrl, { method: 'POST', headers: { 'content-type': FORM }, body: 'List-Unsubscribe=One-Click' })).status,
  ).toBe(200);

  // Webhooks: a signed Mailgun post (and a forged one), a token URL for Postmark.
  const signature = { timestamp: String(Math.floor(Date.now() / 1000)), token: 'mailgun-token-31e0' };
  found.mailgunSignature = createHmac('sha256', SECRETS.mailgunKey)
    .update(signature.timestamp + signature.token)
    .digest('hex');
  const mailgun = (sig: string) =>
    fetch(`${base}/webhooks/mailgun`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        signature: { ...signature, signature: sig },
        'event-data': { event: 'complained', recipient: 'reader@example.com' },
      }),
    });
  expect((await mailgun(found.mailgunSignature)).status).toBe(200);
  expect((await mailgun('00'.repeat(32))).status).toBe(403);
  const urls = (await (await fetch(`${base}/feedback/webhook-urls`, { headers: bearer })).json()) as { postmark: string };
  found.postmarkToken = urls.postmark.split('/').pop()!;
  expect(
    (
      await fetch(urls.postmark, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ RecordType: 'Delivery', Recipient: 'reader@example.com' }),
      })
    ).status,
  ).toBe(200);

  expect(Object.keys(found).sort()).toEqual([
    'apiKey',
    'apiKeySecret',
    'clickToken',
    'csrf',
    'mailgunSignature',
    'password',
    'postmarkToken',
    'preferencesToken',
    'session',
    'unsubscribeToken',
    'viewToken',
  ]);

  // Let the worker process the stored webhook events (its log lines count too), then stop.
  await waitFor(
    async () =>
      (await inDatabase((db) => db.query("SELECT 1 FROM inbound_messages WHERE status IN ('received', 'classified')"))).rowCount === 0,
    20_000,
    'the webhook events processed',
  );
  stop();
  expect([0, 'SIGTERM']).toContain(await exited); // shut down cleanly: its last lines are captured too
}, 60_000);

it('wrote none of the secrets to stdout or stderr, in any spelling', () => {
  const logs = `${out.stdout}\n${out.stderr}`;
  const secrets: Record<string, string> = { ...SECRETS, ...found };
  const leaks = Object.entries(secrets).flatMap(([name, value]) =>
    [...new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)])]
      .filter((spelling) => logs.includes(spelling))
      .map((spelling) => `${name} (${spelling}) in: ${around(logs, spelling)}`),
  );
  expect(leaks).toEqual([]);

  // And the capture did see the run: debug lines, start-up, the requests (with tokens as route patterns).
  const entries = out.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(entries.some((e) => e.level === 'debug')).toBe(true);
  expect(entries.some((e) => String(e.msg).startsWith('Otklik listening'))).toBe(true);
  const requests = entries.filter((e) => e.msg === 'request').map((e) => `${e.method} ${e.path} ${e.status}`);
  expect(requests).toEqual(
    expect.arrayContaining([
      'POST /admin/login 303',
      'GET /customers 200',
      'POST /messages 201',
      'GET /u/:token 200',
      'POST /u/:token 200',
      'GET /c/:token 302',
      'GET /p/:token 200',
      'POST /webhooks/mailgun 200',
      'POST /webhooks/postmark/:token 200',
    ]),
  );
});

it('keeps no API key, password or session token in clear in any table; the key as SHA-256, the password as scrypt', async () => {
  await inDatabase(async (db) => {
    const tables = (
      await db.query<{ name: string }>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
      )
    ).rows.map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['api_keys', 'users', 'sessions']));
    const inClear: string[] = [];
    for (const table of tables) {
      const rows = (await db.query<{ row: string }>(`SELECT t::text AS row FROM "${table}" t`)).rows;
      for (const name of ['apiKey', 'apiKeySecret', 'password', 'session'] as const)
        if (rows.some((r) => r.row.includes(found[name]))) inClear.push(`${name} in ${table}`);
    }
    expect(inClear).toEqual([]);

    const keyRow = (await db.query<{ key_hash: string; prefix: string }>('SELECT key_hash, prefix FROM api_keys WHERE name = $1', ['shop']))
      .rows[0];
    expect(keyRow.key_hash).toBe(createHash('sha256').update(found.apiKey).digest('hex'));
    expect(found.apiKey.startsWith(`otk_${keyRow.prefix}_`)).toBe(true);
    const userRow = (await db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE email = $1', [ADMIN_EMAIL])).rows[0];
    expect(userRow.password_hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword(found.password, userRow.password_hash)).toBe(true);
    expect(await verifyPassword(`${found.password}x`, userRow.password_hash)).toBe(false);
    const sessionIds = (await db.query<{ id: string }>('SELECT id FROM sessions')).rows.map((r) => r.id);
    expect(sessionIds).toContain(createHash('sha256').update(found.session).digest('hex'));
  });
});

async function inDatabase<T>(use: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: t.databaseUrl });
  await db.connect();
  try {
    return await use(db);
  } finally {
    await db.end();
  }
}

function around(text: string, spelling: string): string {
  const at = text.indexOf(spelling);
  return text.slice(Math.max(0, at - 100), at + spelling.length + 40);
}
