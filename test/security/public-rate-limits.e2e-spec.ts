// The public routes without a limit of their own (provider webhooks, double opt-in links) get
// one per client address: a burst past it is answered 429 with Retry-After, before the body is
// read, while other clients and the limited client's other routes go on working. /health and
// /docs stay unlimited. (Tracking links and the admin sign-in have their own limits, tested
// with their modules.) The webhook limit is lowered here (WEBHOOK_RATE_LIMIT_PER_MINUTE) so a
// burst is quick to send; the clients are told apart by X-Forwarded-For, trusted from loopback.
import { CONSENT_CONFIRMS_PER_MINUTE } from '../../src/common/public-rate-limits';
import { startTestApp, type TestApp } from '../support/test-app';

const WEBHOOK_LIMIT = 20;

let t: TestApp;
let urls: { sendgrid: string; postmark: string };

beforeAll(async () => {
  t = await startTestApp({ WEBHOOK_RATE_LIMIT_PER_MINUTE: String(WEBHOOK_LIMIT) });
  const key = await t.key('admin');
  urls = (await (await fetch(`${t.url}/feedback/webhook-urls`, { headers: { authorization: `Bearer ${key}` } })).json()) as typeof urls;
});
afterAll(async () => {
  await t?.close();
});

function from(client: string, init: RequestInit = {}): RequestInit {
  return { ...init, headers: { ...(init.headers as Record<string, string>), 'x-forwarded-for': client } };
}

/** The limits count in fixed one-minute windows: a burst must not straddle two of them. */
async function clearOfWindowEnd(): Promise<void> {
  const into = Date.now() % 60_000;
  // 20 s of margin: on a busy machine a burst of a few hundred requests can take seconds.
  if (into > 40_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - into + 50));
}

/** A SendGrid post that means nothing to the base (an open): 200, nothing stored. */
function sendgridPost(client: string, url = new URL(urls.sendgrid).pathname): Promise<Response> {
  return fetch(
    `${t.url}${url}`,
    from(client, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ event: 'open', email: 'ivan@client.example' }]),
    }),
  );
}

describe('rate limits on public routes', () => {
  it('webhooks: a burst from one address gets 429 with Retry-After; other addresses pass', async () => {
    const flood = '203.0.113.10';
    await clearOfWindowEnd();
    const answers = await Promise.all(
      Array.from({ length: WEBHOOK_LIMIT }, (_, i) =>
        i % 2 ? sendgridPost(flood) : sendgridPost(flood, '/webhooks/postmark/forged-token'),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([...Array(WEBHOOK_LIMIT / 2).fill(200), ...Array(WEBHOOK_LIMIT / 2).fill(401)]);

    const refused = await sendgridPost(flood);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter >= 1 && retryAfter <= 60).toBe(true);
    expect(await refused.json()).toEqual({
      error: 'too_many_requests',
      message: expect.stringMatching(
        new RegExp(`^Too many requests to /webhooks from this address: the limit is ${WEBHOOK_LIMIT} a minute; retry after \\d+ s$`),
      ),
    });
    // Every provider route shares the address's count.
    expect((await fetch(`${t.url}/webhooks/mailgun`, from(flood, { method: 'POST' }))).status).toBe(429);

    // Another sender (the provider's next address) and the same address on other routes still pass.
    expect((await sendgridPost('203.0.113.20')).status).toBe(200);
    expect((await fetch(`${t.url}/health`, from(flood))).status).toBe(200);
  });

  it('a provider-sized burst under the limit all passes', async () => {
    const answers = await Promise.all(Array.from({ length: WEBHOOK_LIMIT }, () => sendgridPost('203.0.113.30')));
    expect(answers.every((a) => a.status === 200)).toBe(true);
  });

  it('double opt-in links: 429 past the per-address limit, as a page for a browser', async () => {
    const person = '198.51.100.7';
    await clearOfWindowEnd();
    const page = (client: string) => fetch(`${t.url}/consent/confirm/not-a-real-token`, from(client, { headers: { accept: 'text/html' } }));
    const answers = await Promise.all(Array.from({ length: CONSENT_CONFIRMS_PER_MINUTE }, () => page(person)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const refused = await page(person);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await refused.text()).toContain(`the limit is ${CONSENT_CONFIRMS_PER_MINUTE} a minute`);
    expect((await page('198.51.100.8')).status).toBe(200);
  });

  it('/health and /docs are not limited', async () => {
    const client = '192.0.2.99';
    const statuses = await Promise.all(
      Array.from({ length: CONSENT_CONFIRMS_PER_MINUTE + 10 }, (_, i) =>
        fetch(`${t.url}${i % 2 ? '/health' : '/docs/openapi.json'}`, from(client)).then((r) => r.status),
      ),
    );
    expect(new Set(statuses)).toEqual(new Set([200]));
  });
});
