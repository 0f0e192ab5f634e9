// Mailgun (HMAC-signed), SendGrid and Postmark (token URLs) events applied like DSNs.
import { createHmac, randomUUID } from 'node:crypto';
import { PrismaService } from '../../src/database/prisma.service';
import { waitFor } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';
import { BOUNCE_DOMAIN, sentMessage } from './feedback-fixtures';

const MAILGUN_KEY = 'key-mailgun-test-0123456789';
let t: TestApp;
let prisma: PrismaService;
let urls: { mailgun: string; sendgrid: string; postmark: string };

async function post(url: string, body: unknown) {
  const response = await fetch(`${t.url}${new URL(url).pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function applied(id: string) {
  return waitFor(
    () => prisma.inboundMessage.findFirst({ where: { id: BigInt(id), status: { not: 'received' } } }),
    20_000,
    `inbound ${id} processed`,
  );
}

beforeAll(async () => {
  t = await startTestApp({ BOUNCE_DOMAIN, MAIL_FROM: 'news@shop.example', MAILGUN_WEBHOOK_SIGNING_KEY: MAILGUN_KEY });
  prisma = t.app.get(PrismaService);
  const admin = await t.key('admin');
  urls = (await (await fetch(`${t.url}/feedback/webhook-urls`, { headers: { authorization: `Bearer ${admin}` } })).json()) as typeof urls;
});

afterAll(async () => {
  await t?.close();
});

describe('email provider webhooks', () => {
  it('Mailgun: a signed permanent failure suppresses; a bad signature is refused', async () => {
    const sent = await sentMessage(prisma, 'mg.gone@mail.example');
    const signature = { timestamp: String(Math.floor(Date.now() / 1000)), token: `mailgun-token-${randomUUID()}` };
    const body = {
      signature: {
        ...signature,
        signature: createHmac('sha256', MAILGUN_KEY)
          .update(signature.timestamp + signature.token)
          .digest('hex'),
      },
      'event-data': {
        event: 'failed',
        severity: 'permanent',
        recipient: sent.email,
        'delivery-status': { code: 550, message: '5.1.1 No such user' },
        message: { headers: { 'message-id': `otk.${sent.messageId}@${BOUNCE_DOMAIN}` } },
      },
    };
    expect((await post(urls.mailgun, { ...body, signature: { ...body.signature, token: 'forged' } })).status).toBe(403);
    const response = await post(urls.mailgun, body);
    expect(response.status).toBe(200);
    expect(await applied(response.body.stored[0])).toMatchObject({
      source: 'webhook_mailgun',
      status: 'applied',
      kind: 'bounce',
      messageId: sent.messageId,
    });
    expect(await prisma.suppression.findFirst({ where: { address: sent.email } })).toMatchObject({ reason: 'hard_bounce' });
  });

  it('Mailgun: a replayed post (token seen before) and a post outside ±5 minutes are refused and change nobody', async () => {
    const sent = await sentMessage(prisma, 'mg.replay@mail.example');
    const signed = (timestamp: number, token: string) => ({
      signature: {
        timestamp: String(timestamp),
        token,
        signature: createHmac('sha256', MAILGUN_KEY)
          .update(String(timestamp) + token)
          .digest('hex'),
      },
      'event-data': {
        event: 'complained',
        recipient: sent.email,
        message: { headers: { 'message-id': `otk.${sent.messageId}@${BOUNCE_DOMAIN}` } },
      },
    });
    const before = await prisma.inboundMessage.count();
    const now = Math.floor(Date.now() / 1000);
    const stale = await post(urls.mailgun, signed(now - 6 * 60, `mailgun-token-${randomUUID()}`));
    expect(stale).toMatchObject({ status: 403, body: { message: expect.stringMatching(/signature\.timestamp/) } });
    expect((await post(urls.mailgun, signed(now + 6 * 60, `mailgun-token-${randomUUID()}`))).status).toBe(403);
    // A leaked genuine post, replayed: taken once only.
    const leaked = signed(now, `mailgun-token-${randomUUID()}`);
    expect((await post(urls.mailgun, leaked)).status).toBe(200);
    const replay = await post(urls.mailgun, leaked);
    expect(replay).toMatchObject({ status: 403, body: { message: expect.stringMatching(/replay/) } });
    expect(await prisma.inboundMessage.count()).toBe(before + 1);
  });

  it('SendGrid: a spam report unsubscribes, opens are dropped, a wrong token is refused', async () => {
    const sent = await sentMessage(prisma, 'sg.spam@mail.example');
    const response = await post(urls.sendgrid, [
      { event: 'open', email: sent.email },
      { event: 'spamreport', email: sent.email, 'smtp-id': `<otk.${sent.messageId}@${BOUNCE_DOMAIN}>` },
    ]);
    expect(response.status).toBe(200);
    expect(response.body.ignored).toBe(1);
    expect(await applied(response.body.stored[0])).toMatchObject({ kind: 'complaint', messageId: sent.messageId });
    expect(
      await prisma.consent.findUnique({ where: { customerId_channel: { customerId: sent.customerId, channel: 'email' } } }),
    ).toMatchObject({ status: 'opted_out' });
    expect((await post(urls.sendgrid.replace(/[^/]+$/, 'bm9wZQ.AAAAAAAAAAAAAAAAAAAAAA'), [])).status).toBe(401);
  });

  it('Postmark: a soft bounce is counted, not suppressed', async () => {
    const sent = await sentMessage(prisma, 'pm.full@mail.example');
    const response = await post(urls.postmark, {
      RecordType: 'Bounce',
      Type: 'SoftBounce',
      Email: sent.email,
      Details: 'smtp;452 4.2.2 Mailbox full',
      Metadata: { 'otklik-message-id': `otk.${sent.messageId}@${BOUNCE_DOMAIN}` },
    });
    expect(await applied(response.body.stored[0])).toMatchObject({ kind: 'bounce', messageId: sent.messageId });
    expect(await prisma.bounce.findFirst({ where: { messageId: sent.messageId } })).toMatchObject({ hard: false, reason: 'mailboxfull' });
    expect(await prisma.suppression.findFirst({ where: { address: sent.email } })).toBeNull();
  });
});
