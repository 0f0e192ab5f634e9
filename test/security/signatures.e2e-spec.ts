// Forged and tampered signatures on the public routes: refused, and nothing applied.
//
// Covered elsewhere (not repeated here):
// - click links: a changed destination, a link of another message, no destination → 400,
//   nothing recorded beyond the genuine click — test/tracking/tracking.e2e-spec.ts "click tracking";
//   signature bound to the destination, scripts never followed — src/tracking/tracking-links.spec.ts.
// - open pixel: a broken token still gets the GIF, records nothing — tracking.e2e-spec "the open pixel".
// - unsubscribe / preference / web copy: a token that is no signed token at all (/u/bad-…,
//   /p/not-a-token, /v/not-a-token) → 404, then 429 — tracking.e2e-spec; the preference form's
//   CSRF token and cookie → 403 — tracking.e2e-spec "the preference page".
// - tokens in general: another secret, another purpose, a changed payload — src/common/signed-token.spec.ts,
//   src/tracking/tracking-links.spec.ts "message tokens".
// - double opt-in link with a changed customer id → 404 — test/customers/consent-timeline-gdpr.e2e-spec.ts.
// - SES through SNS: a forged signature, another topic, an untrusted certificate URL → 403 and
//   nothing stored or suppressed — test/feedback/ses-webhook.e2e-spec.ts; signature maths —
//   src/feedback/webhooks/sns-signature.spec.ts.
// - Mailgun: a signature over a changed token → 403 — test/feedback/provider-webhooks.e2e-spec.ts.
// - SendGrid: a wrong token → 401 — provider-webhooks.e2e-spec.
// - inbound SMS: a forged token → 401 — test/feedback/feedback-loop.e2e-spec.ts "inbound SMS".
//
// Added here: a tampered but well-formed unsubscribe / preference / web-copy token of a real
// message (its signature moved onto another message id, signed with another secret, or
// signed for another purpose) with the POSTs that would change consent, checking nothing
// changed; Mailgun signed with another key or unsigned, and Postmark (no test had its token
// refused), SendGrid's token on the Postmark and SMS URLs, each checking nothing was stored.
import { createHmac, randomUUID } from 'node:crypto';
import { signToken } from '../../src/common/signed-token';
import { PrismaService } from '../../src/database/prisma.service';
import { LINK_PURPOSE, messageLinks } from '../../src/tracking/tracking-links';
import { BOUNCE_DOMAIN, sentMessage } from '../feedback/feedback-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const MAILGUN_KEY = 'key-signatures-test-0123456789';
let t: TestApp;
let prisma: PrismaService;
let client = 0;

beforeAll(async () => {
  // The api role alone: what is refused must not even be stored, so no worker is needed.
  t = await startTestApp({ OTKLIK_ROLE: 'api', BOUNCE_DOMAIN, MAIL_FROM: 'news@shop.example', MAILGUN_WEBHOOK_SIGNING_KEY: MAILGUN_KEY });
  prisma = t.app.get(PrismaService);
});

afterAll(async () => {
  await t?.close();
});

/** Each request from its own client address, so the per-client limit on bad links never answers instead. */
function hit(path: string, init: RequestInit = {}) {
  client++;
  return fetch(`${t.url}${path}`, {
    redirect: 'manual',
    ...init,
    headers: { 'x-forwarded-for': `198.18.${client >> 8}.${client & 255}`, ...(init.headers as Record<string, string>) },
  });
}

const pathOf = (url: string) => new URL(url).pathname;
const oneClick = (path: string) =>
  hit(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });

/** The token's signature kept, its payload replaced by another message id. */
function moved(token: string, messageId: bigint): string {
  return `${Buffer.from(messageId.toString()).toString('base64url')}.${token.split('.')[1]}`;
}

async function stateOf(customerId: number, address: string) {
  const [consent, suppression, events, pauses] = await Promise.all([
    prisma.consent.findUniqueOrThrow({ where: { customerId_channel: { customerId, channel: 'email' } } }),
    prisma.suppression.findFirst({ where: { address } }),
    prisma.trackingEvent.count({ where: { customerId } }),
    prisma.consentPause.count({ where: { customerId } }),
  ]);
  return { consent: consent.status, suppressed: suppression !== null, events, pauses };
}
const UNTOUCHED = { consent: 'opted_in', suppressed: false, events: 0, pauses: 0 };

describe('unsubscribe, preference and web-copy tokens', () => {
  it('refuse a token moved to another message, signed with another secret or for another purpose, and change nothing; the genuine one works', async () => {
    const attacker = await sentMessage(prisma, 'sig.attacker@mail.example');
    const victim = await sentMessage(prisma, 'sig.victim@mail.example');
    const own = messageLinks(t.url, t.env.SECRET_KEY, attacker.messageId);
    const victimLinks = messageLinks(t.url, t.env.SECRET_KEY, victim.messageId);
    const token = (url: string) => url.split('/').pop()!;
    const victimId = victim.messageId.toString();

    const forgedUnsubscribe = [
      `/u/${moved(token(own.unsubscribeUrl), victim.messageId)}`, // the attacker's own link, re-pointed
      `/u/${signToken(`another-secret-${'y'.repeat(32)}`, LINK_PURPOSE.unsubscribe, victimId)}`,
      `/u/${token(victimLinks.preferencesUrl)}`, // the victim's genuine token, for another route
      `/u/${token(victimLinks.viewInBrowserUrl)}`,
      `/u/${token(victimLinks.openPixelUrl).replace(/\.gif$/, '')}`,
    ];
    for (const path of forgedUnsubscribe) {
      const page = await hit(path);
      expect({ path, status: page.status }).toEqual({ path, status: 404 });
      expect(await page.text()).not.toContain('sig.victim'); // not even the masked address
      expect({ path, status: (await oneClick(path)).status }).toEqual({ path, status: 404 });
    }

    const forgedPreferences = [`/p/${moved(token(own.preferencesUrl), victim.messageId)}`, `/p/${token(victimLinks.unsubscribeUrl)}`];
    for (const path of forgedPreferences) {
      expect({ path, status: (await hit(path)).status }).toEqual({ path, status: 404 });
      const save = await hit(path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'pauseDays=30',
      });
      expect({ path, status: save.status }).toEqual({ path, status: 404 });
    }
    const forgedView = await hit(`/v/${moved(token(own.viewInBrowserUrl), victim.messageId)}`);
    expect(forgedView.status).toBe(404);

    expect(await stateOf(victim.customerId, victim.email)).toEqual(UNTOUCHED);

    // The same requests with the victim's genuine link do what the forged ones could not.
    expect((await oneClick(pathOf(victimLinks.unsubscribeUrl))).status).toBe(200);
    expect(await stateOf(victim.customerId, victim.email)).toMatchObject({ consent: 'opted_out', suppressed: true, events: 1 });
    expect(await stateOf(attacker.customerId, attacker.email)).toEqual(UNTOUCHED);
  });
});

describe('provider webhooks', () => {
  let urls: { mailgun: string; sendgrid: string; postmark: string };
  let smsUrl: string;

  beforeAll(async () => {
    const admin = await t.key('admin');
    const get = async (path: string) => (await hit(path, { headers: { authorization: `Bearer ${admin}` } })).json();
    urls = (await get('/feedback/webhook-urls')) as typeof urls;
    smsUrl = ((await get('/feedback/sms/webhook-url')) as { url: string }).url;
  });

  const post = (path: string, body: unknown) =>
    hit(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const stored = () => prisma.inboundMessage.count();

  function mailgunBounce(to: string, messageId: bigint, key: string | null) {
    const signature = { timestamp: String(Math.floor(Date.now() / 1000)), token: `mailgun-token-${messageId}-${randomUUID()}` };
    return {
      ...(key
        ? {
            signature: {
              ...signature,
              signature: createHmac('sha256', key)
                .update(signature.timestamp + signature.token)
                .digest('hex'),
            },
          }
        : {}),
      'event-data': {
        event: 'failed',
        severity: 'permanent',
        recipient: to,
        'delivery-status': { code: 550, message: '5.1.1 No such user' },
        message: { headers: { 'message-id': `otk.${messageId}@${BOUNCE_DOMAIN}` } },
      },
    };
  }

  it('Mailgun: a body signed with another key, or not signed, is refused with 403 and not stored', async () => {
    const sent = await sentMessage(prisma, 'sig.mailgun@mail.example');
    const before = await stored();
    expect((await post(pathOf(urls.mailgun), mailgunBounce(sent.email, sent.messageId, 'key-of-someone-else-0123'))).status).toBe(403);
    expect((await post(pathOf(urls.mailgun), mailgunBounce(sent.email, sent.messageId, null))).status).toBe(403);
    const hexOfOtherLength = { ...mailgunBounce(sent.email, sent.messageId, MAILGUN_KEY) };
    hexOfOtherLength.signature!.signature = hexOfOtherLength.signature!.signature.slice(0, 32);
    expect((await post(pathOf(urls.mailgun), hexOfOtherLength)).status).toBe(403);
    expect(await stored()).toBe(before);
    // Control: the same event signed with the configured key is taken.
    const genuine = await post(pathOf(urls.mailgun), mailgunBounce(sent.email, sent.messageId, MAILGUN_KEY));
    expect(genuine.status).toBe(200);
    expect(await stored()).toBe(before + 1);
    expect(await prisma.suppression.findFirst({ where: { address: sent.email } })).toBeNull(); // stored, applied later by a worker (none runs here)
  });

  it('Postmark and SMS: a tampered token, or the token of another provider, is refused with 401 and nothing is stored', async () => {
    const sent = await sentMessage(prisma, 'sig.postmark@mail.example');
    const event = {
      RecordType: 'Bounce',
      Type: 'HardBounce',
      Email: sent.email,
      Details: 'smtp;550 5.1.1 unknown',
      Metadata: { 'otklik-message-id': `otk.${sent.messageId}@${BOUNCE_DOMAIN}` },
    };
    const postmarkToken = pathOf(urls.postmark).split('/').pop()!;
    const sendgridToken = pathOf(urls.sendgrid).split('/').pop()!;
    const [payload, signature] = postmarkToken.split('.');
    const flipped = `${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'AB' : 'AA'}`;
    const before = await stored();
    for (const token of [flipped, sendgridToken, signToken(`another-secret-${'z'.repeat(32)}`, 'webhook-postmark', 'v1'), 'v1']) {
      expect({ token, status: (await post(`/webhooks/postmark/${token}`, event)).status }).toEqual({ token, status: 401 });
    }
    expect((await post(`/webhooks/sms/inbound/${sendgridToken}`, { from: '+79161234509', text: 'STOP' })).status).toBe(401);
    expect((await post(`/webhooks/sendgrid/${postmarkToken}`, [{ event: 'spamreport', email: sent.email }])).status).toBe(401);
    expect(await stored()).toBe(before);
    // Control: each genuine URL is taken.
    expect((await post(pathOf(urls.postmark), event)).status).toBe(200);
    expect((await post(pathOf(smsUrl), { from: '+79161234509', text: 'STOP' })).status).toBe(200);
    expect(await stored()).toBe(before + 2);
  });
});
