// Custom headers per sender and per campaign (issue 19): Handlebars values with the body's
// variables, rendered per message, signed by DKIM (checked by dkimpy against the published
// record), the campaign's over the sender's; the headers Otklik writes are refused by name.
import { generateKeyPairSync } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { PrismaService } from '../../src/database/prisma.service';
import { makeCustomers, segmentByTag, templateId } from '../campaigns/campaign-fixtures';
import { apiCaller } from '../support/api-call';
import { txtRecordOf, verifyDkim } from '../support/dkim-verify';
import { startSmtpSink, waitFor, type SmtpSink } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';

describe('custom headers', () => {
  let t: TestApp;
  let relay: SmtpSink;
  let prisma: PrismaService;
  let call: ReturnType<typeof apiCaller<'admin'>>;
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const dns = [txtRecordOf('hdr2026', 'shop.example', key.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'))];

  beforeAll(async () => {
    relay = await startSmtpSink();
    t = await startTestApp({
      SMTP_URL: relay.url,
      FREQUENCY_CAP_PER_WEEK: '0',
      MAIL_FROM: 'shop@shop.example',
      DKIM_DOMAIN: 'shop.example',
      DKIM_SELECTOR: 'hdr2026',
      DKIM_PRIVATE_KEY: pem.replace(/\n/g, '\\n'),
    });
    prisma = t.app.get(PrismaService);
    call = apiCaller(t, { admin: await t.key('admin') });
  });

  afterAll(async () => {
    await t?.close();
    await relay?.close();
  });

  it('renders the sender and campaign headers into each message, signed by DKIM', async () => {
    const sender = await call('POST', '/senders', 'admin', {
      name: 'News',
      fromAddress: 'news@shop.example',
      headers: { 'X-Postmaster-Msgtype': 'sender-default', 'X-Sender-Tag': 'news {{customer.firstName}}' },
    });
    expect(sender.status).toBe(201);
    expect(sender.body.headers).toEqual({ 'X-Postmaster-Msgtype': 'sender-default', 'X-Sender-Tag': 'news {{customer.firstName}}' });
    const [customer] = await makeCustomers(prisma, 'hdr', 1);
    const campaign = await call('POST', '/campaigns', 'admin', {
      name: 'Осенняя распродажа',
      channel: 'email',
      templateId: await templateId(prisma, 'welcome'),
      segmentId: await segmentByTag(prisma, 'hdr'),
      senderId: sender.body.id,
      headers: { 'x-postmaster-msgtype': '{{campaign.name}}' },
      schedule: { kind: 'now' },
    });
    expect(campaign.status).toBe(201);
    expect(campaign.body.headers).toEqual({ 'x-postmaster-msgtype': '{{campaign.name}}' });
    expect((await call('POST', `/campaigns/${campaign.body.id}/schedule`, 'admin')).status).toBe(201);
    const message = await waitFor(() => relay.messages.find((m) => m.to.includes(customer.email)), 60_000, 'the message');

    const parsed = await simpleParser(message.raw);
    // The campaign's value wins over the sender's (one header, not two), non-ASCII encoded.
    expect(parsed.headers.get('x-postmaster-msgtype')).toBe('Осенняя распродажа');
    expect(message.raw.toString('latin1').match(/^x-postmaster-msgtype:/gim)).toHaveLength(1);
    expect(parsed.headers.get('x-sender-tag')).toBe(`news ${customer.firstName}`);
    const verdict = await verifyDkim(message.raw, dns);
    expect(verdict).toMatchObject({ ok: true, d: 'shop.example', s: 'hdr2026' });
    expect(verdict.h).toEqual(expect.arrayContaining(['x-postmaster-msgtype', 'x-sender-tag']));
  });

  it('refuses the headers Otklik writes, naming each', async () => {
    const refused = await call('POST', '/senders', 'admin', {
      name: 'Bad',
      fromAddress: 'bad@shop.example',
      headers: { From: 'x@evil.example', 'List-Unsubscribe': '<https://x>', 'X-Otklik-Message': '1', 'Bad Name': 'x', 'X-Ok': '{{#if}}' },
    });
    expect(refused.status).toBe(400);
    const paths = refused.body.issues.map((i: { path: string }) => i.path).sort();
    expect(paths).toEqual(['headers.Bad Name', 'headers.From', 'headers.List-Unsubscribe', 'headers.X-Ok', 'headers.X-Otklik-Message']);
    expect(refused.body.issues.find((i: { path: string }) => i.path === 'headers.From').message).toBe(
      'From is written by Otklik itself and cannot be set',
    );
    const campaign = await call('POST', '/campaigns', 'admin', {
      name: 'bad headers',
      channel: 'email',
      templateId: await templateId(prisma, 'welcome'),
      segmentId: await segmentByTag(prisma, 'hdr'),
      headers: { 'DKIM-Signature': 'v=1' },
    });
    expect(campaign.status).toBe(400);
    expect(campaign.body.issues.map((i: { path: string }) => i.path)).toEqual(['headers.DKIM-Signature']);
  });
});
