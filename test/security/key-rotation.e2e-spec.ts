// Rotating SECRET_KEY: what was minted with the old key (the links and return paths of mail
// already out, the webhook URLs given to providers) keeps working while the old key is in
// SECRET_KEY_PREVIOUS, and stops working once it is dropped. The app is restarted on the same
// database, as an operator would do it.
import { simpleParser } from 'mailparser';
import { readTaggedAddress } from '../../src/common/mail-ids';
import { PrismaService } from '../../src/database/prisma.service';
import { InboundSmtpServer } from '../../src/feedback/intake/inbound-smtp.server';
import { BOUNCE_DOMAIN, lastInboundId, processed, smtpSend } from '../feedback/feedback-fixtures';
import { startSmtpSink, waitFor, type SmtpSink } from '../support/smtp-sink';
import { startAppOn, type TestApp } from '../support/test-app';
import { createTestEnv, type TestEnv } from '../support/test-env';

const NEW_KEY = `rotated-secret-key-${'n'.repeat(32)}`;

let sink: SmtpSink;
let testEnv: TestEnv;
let oldKey: string;

interface Minted {
  customerId: number;
  email: string;
  /** The path of the one-click unsubscribe link (List-Unsubscribe https). */
  unsubscribePath: string;
  returnPath: string;
  unsubscribeMailto: string;
}

async function api(t: TestApp, method: string, path: string, body?: unknown) {
  const response = await fetch(`${t.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${await t.key('admin')}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** A real message through the relay; its links and return path as received. */
async function mint(t: TestApp, email: string): Promise<Minted> {
  const prisma = t.app.get(PrismaService);
  const c = await prisma.customer.create({ data: { email, firstName: 'Анна' }, select: { id: true } });
  await prisma.consent.create({ data: { customerId: c.id, channel: 'email', status: 'opted_in', source: 'test' } });
  expect((await api(t, 'POST', '/messages', { template: 'welcome', customerId: c.id })).status).toBe(201);
  const sunk = await waitFor(() => sink.messages.find((m) => m.to.includes(email)), 30_000, `the email to ${email}`);
  const line = (await simpleParser(sunk.raw)).headerLines.find((h) => h.key === 'list-unsubscribe')!.line;
  return {
    customerId: c.id,
    email,
    unsubscribePath: new URL(/<(http[^>]+)>/.exec(line)![1]).pathname,
    returnPath: sunk.from,
    unsubscribeMailto: /<mailto:([^>]+)>/.exec(line)![1],
  };
}

const oneClick = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' };
const inboundPort = (t: TestApp) => t.app.get(InboundSmtpServer).port as number;
const dsnTo = (to: string, recipient: string) =>
  [
    'From: MAILER-DAEMON@mx.mail.example',
    `To: ${to}`,
    'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
    '',
    '--b',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.mail.example',
    '',
    `Final-Recipient: rfc822; ${recipient}`,
    'Action: failed',
    'Status: 5.1.1',
    'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
    '',
    '--b--',
    '',
  ].join('\r\n');

async function deliver(t: TestApp, envelope: { from: string; to: string[] }, raw: string) {
  const prisma = t.app.get(PrismaService);
  const start = await lastInboundId(prisma);
  expect(await smtpSend(inboundPort(t), envelope, raw)).toMatch(/^250 /);
  return processed(prisma, { after: start });
}

beforeAll(async () => {
  sink = await startSmtpSink();
  testEnv = await createTestEnv({
    SMTP_URL: sink.url,
    INBOUND_SMTP_PORT: '0',
    BOUNCE_DOMAIN,
    MAIL_FROM: 'news@shop.example',
    FREQUENCY_CAP_PER_WEEK: '0',
  });
  oldKey = testEnv.input.SECRET_KEY;
});

afterAll(async () => {
  await testEnv?.cleanup();
  await sink?.close();
});

it('what the old key minted works after a rotation and stops once the old key is dropped', async () => {
  // Before the rotation: two of each (one to use after the rotation, one after the drop).
  let t = await startAppOn(testEnv, {}, false);
  const before: Minted[] = [];
  let webhookUrls: { postmark: string; sendgrid: string };
  let smsUrl: string;
  try {
    for (const name of ['link', 'verp', 'mailto', 'link2', 'verp2', 'mailto2']) before.push(await mint(t, `${name}@mail.example`));
    webhookUrls = (await api(t, 'GET', '/feedback/webhook-urls')).body;
    smsUrl = (await api(t, 'GET', '/feedback/sms/webhook-url')).body.url;
  } finally {
    await t.close();
  }
  const [link, verp, mailto, link2, verp2, mailto2] = before;
  const postmarkPath = new URL(webhookUrls.postmark).pathname;
  const sendgridPath = new URL(webhookUrls.sendgrid).pathname;
  const smsPath = new URL(smsUrl).pathname;
  const postmarkEvent = { RecordType: 'SpamComplaint', Email: 'nobody@mail.example' };

  // Rotated: the new key signs, the old one still verifies.
  t = await startAppOn(testEnv, { SECRET_KEY: NEW_KEY, SECRET_KEY_PREVIOUS: oldKey }, false);
  try {
    const prisma = t.app.get(PrismaService);
    expect((await fetch(`${t.url}${link.unsubscribePath}`)).status).toBe(200);
    expect((await fetch(`${t.url}${link.unsubscribePath}`, oneClick)).status).toBe(200);
    expect(
      await prisma.consent.findUnique({ where: { customerId_channel: { customerId: link.customerId, channel: 'email' } } }),
    ).toMatchObject({ status: 'opted_out' });

    await deliver(t, { from: '', to: [verp.returnPath] }, dsnTo(verp.returnPath, verp.email));
    expect(await prisma.suppression.findFirst({ where: { address: verp.email } })).toMatchObject({ reason: 'hard_bounce' });

    await deliver(t, { from: mailto.email, to: [mailto.unsubscribeMailto] }, `From: ${mailto.email}\r\nSubject: unsubscribe\r\n\r\n\r\n`);
    expect(await prisma.suppression.findFirst({ where: { address: mailto.email } })).toMatchObject({ reason: 'unsubscribe' });

    for (const path of [postmarkPath])
      expect(
        (
          await fetch(`${t.url}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(postmarkEvent),
          })
        ).status,
      ).toBe(200);
    expect(
      (await fetch(`${t.url}${sendgridPath}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' })).status,
    ).toBe(200);
    expect(
      (
        await fetch(`${t.url}${smsPath}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ from: '+79161234500', text: 'привет' }),
        })
      ).status,
    ).toBe(200);

    // What is minted now carries the new key.
    const fresh = await mint(t, 'fresh@mail.example');
    expect(readTaggedAddress(NEW_KEY, fresh.returnPath)).toMatchObject({ kind: 'bounce' });
    expect(readTaggedAddress(oldKey, fresh.returnPath)).toBe('forged');
    before.push(fresh);
  } finally {
    await t.close();
  }
  const fresh = before[6];

  // The old key dropped: everything it minted is refused and changes nobody; the new key's work goes on.
  t = await startAppOn(testEnv, { SECRET_KEY: NEW_KEY }, false);
  try {
    const prisma = t.app.get(PrismaService);
    expect((await fetch(`${t.url}${link2.unsubscribePath}`)).status).toBe(404);
    expect((await fetch(`${t.url}${link2.unsubscribePath}`, oneClick)).status).toBe(404);
    expect(
      await prisma.consent.findUnique({ where: { customerId_channel: { customerId: link2.customerId, channel: 'email' } } }),
    ).toMatchObject({ status: 'opted_in' });
    const stored = await prisma.inboundMessage.count();
    await expect(smtpSend(inboundPort(t), { from: '', to: [verp2.returnPath] }, dsnTo(verp2.returnPath, verp2.email))).rejects.toThrow(
      /550 5\.7\.1/,
    );
    await expect(
      smtpSend(inboundPort(t), { from: mailto2.email, to: [mailto2.unsubscribeMailto] }, 'Subject: unsubscribe\r\n\r\n\r\n'),
    ).rejects.toThrow(/550 5\.7\.1/);
    expect(
      (
        await fetch(`${t.url}${postmarkPath}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(postmarkEvent),
        })
      ).status,
    ).toBe(401);
    expect(
      (await fetch(`${t.url}${sendgridPath}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' })).status,
    ).toBe(401);
    expect(
      (
        await fetch(`${t.url}${smsPath}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ from: '+79161234500', text: 'STOP' }),
        })
      ).status,
    ).toBe(401);
    expect(await prisma.inboundMessage.count()).toBe(stored);
    expect(await prisma.suppression.count({ where: { address: { in: [verp2.email, mailto2.email] } } })).toBe(0);

    expect((await fetch(`${t.url}${fresh.unsubscribePath}`)).status).toBe(200);
    await deliver(t, { from: '', to: [fresh.returnPath] }, dsnTo(fresh.returnPath, fresh.email));
    expect(await prisma.suppression.findFirst({ where: { address: fresh.email } })).toMatchObject({ reason: 'hard_bounce' });
  } finally {
    await t.close();
  }
}, 180_000);
