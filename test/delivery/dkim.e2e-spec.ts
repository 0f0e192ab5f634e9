// DKIM on every email path, with keys per sender domain (issue 19), checked by an independent
// verifier (dkimpy, test/support/dkim-verify.py) against the TXT records the API shows: a
// campaign through SMTP_URL, a campaign through a provider row, a transactional message, the
// double opt-in email and the test email; the one-click headers are signed; a sender on another
// domain is signed with its own d=; rotation and deactivation choose the signing key.
import { generateKeyPairSync } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { PrismaService } from '../../src/database/prisma.service';
import { makeCustomers, segmentByTag, templateId } from '../campaigns/campaign-fixtures';
import { apiCaller } from '../support/api-call';
import { txtRecordOf, verifyDkim } from '../support/dkim-verify';
import { startSmtpSink, waitFor, type SmtpSink, type SunkMessage } from '../support/smtp-sink';
import { startAppOn, startTestApp, type TestApp } from '../support/test-app';

describe('DKIM on every path, per sender domain', () => {
  let t: TestApp;
  let relay: SmtpSink; // SMTP_URL
  let providerRelay: SmtpSink; // a provider row's relay
  let call: ReturnType<typeof apiCaller<'admin' | 'viewer'>>;
  const bodies: string[] = [];
  // The DKIM_* variables: the default sender's key (shop.example).
  const envKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const envPem = envKey.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const envRecord = txtRecordOf('env2026', 'shop.example', envKey.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'));
  /** Every TXT record published so far (the verifier's DNS). */
  const dns: Array<{ name: string; value: string }> = [envRecord];
  let prisma: PrismaService;
  let keys: { admin: string; viewer: string };
  /** The app after a SECRET_KEY rotation (same database), when the last test restarted it. */
  let restarted: TestApp | undefined;

  beforeAll(async () => {
    relay = await startSmtpSink();
    providerRelay = await startSmtpSink();
    t = await startTestApp({
      SMTP_URL: relay.url,
      MAIL_FROM: 'shop@shop.example',
      PUBLIC_URL: 'https://mail.shop.example',
      DKIM_DOMAIN: 'shop.example',
      DKIM_SELECTOR: 'env2026',
      DKIM_PRIVATE_KEY: envPem.replace(/\n/g, '\\n'),
    });
    prisma = t.app.get(PrismaService);
    keys = { admin: await t.key('admin'), viewer: await t.key('viewer') };
    useApp(t);
  });

  function useApp(app: TestApp) {
    const raw = apiCaller(app, keys);
    call = async (method, path, role, body) => {
      const answer = await raw(method, path, role, body);
      bodies.push(JSON.stringify(answer.body));
      return answer;
    };
  }

  afterAll(async () => {
    if (restarted) {
      await restarted.close();
      await t.cleanup();
    } else await t?.close();
    await relay?.close();
    await providerRelay?.close();
  });

  async function addKey(domain: string, selector: string, privateKey?: string) {
    const created = await call('POST', '/settings/dkim-keys', 'admin', { domain, selector, ...(privateKey ? { privateKey } : {}) });
    expect(created.status).toBe(201);
    dns.push(created.body.dnsRecord);
    return created.body;
  }

  /** Runs a campaign of one new customer as `senderId` (null: the default sender); what `sink` got. */
  async function campaignMessage(tag: string, senderId: number | null, sink: SmtpSink): Promise<SunkMessage> {
    const [customer] = await makeCustomers(prisma, tag, 1);
    const campaign = await call('POST', '/campaigns', 'admin', {
      name: tag,
      channel: 'email',
      templateId: await templateId(prisma, 'welcome'),
      segmentId: await segmentByTag(prisma, tag),
      ...(senderId !== null ? { senderId } : {}),
      schedule: { kind: 'now' },
    });
    expect(campaign.status).toBe(201);
    expect((await call('POST', `/campaigns/${campaign.body.id}/schedule`, 'admin')).status).toBe(201);
    return waitFor(() => sink.messages.find((m) => m.to.includes(customer.email)), 60_000, `the message of campaign ${tag}`);
  }

  it('generates and imports keys per domain, shows the DNS record and never the private key', async () => {
    const generated = await addKey('brand2.example', 'b2a');
    expect(generated).toMatchObject({ domain: 'brand2.example', selector: 'b2a', bits: 2048, active: true, signing: true });
    expect(generated.dnsRecord.name).toBe('b2a._domainkey.brand2.example');
    expect(generated.dnsRecord.value).toMatch(/^v=DKIM1; k=rsa; p=MII[A-Za-z0-9+/=]+$/);

    const imported = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const brand3 = await addKey('Brand3.Example.', 'b3', imported);
    expect(brand3).toMatchObject({ domain: 'brand3.example', bits: 2048 });

    const listed = await call('GET', '/settings/dkim-keys', 'viewer');
    expect(listed.status).toBe(200);
    expect(listed.body.map((k: { selector: string }) => k.selector).sort()).toEqual(['b2a', 'b3']);
    // Neither the PEM nor its base64 body is answered, nor stored in the clear.
    const pemBody = imported.split('\n')[1];
    for (const body of bodies) {
      expect(body).not.toContain('PRIVATE KEY');
      expect(body).not.toContain(pemBody);
    }
    const stored = await prisma.dkimKey.findMany();
    for (const row of stored) expect(row.privateKeyEncrypted).not.toMatch(/PRIVATE KEY|MII/);

    // Bad input names the field; a duplicate selector is a conflict; viewers cannot write.
    const bad = await call('POST', '/settings/dkim-keys', 'admin', { domain: 'brand2.example', selector: 'x', privateKey: 'not a key' });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toBe('privateKey');
    expect((await call('POST', '/settings/dkim-keys', 'admin', { domain: 'not a domain', selector: 'x' })).body.issues[0].path).toBe(
      'domain',
    );
    expect((await call('POST', '/settings/dkim-keys', 'admin', { domain: 'brand2.example', selector: 'b2a' })).status).toBe(409);
    expect((await call('POST', '/settings/dkim-keys', 'viewer', { domain: 'brand2.example', selector: 'v' })).status).toBe(403);
  });

  it('signs a campaign through SMTP_URL with the DKIM_* key, the one-click headers in h=, and a removed header fails', async () => {
    const message = await campaignMessage('dkim-relay', null, relay);
    const verdict = await verifyDkim(message.raw, dns);
    expect(verdict).toMatchObject({ ok: true, d: 'shop.example', s: 'env2026' });
    for (const header of [
      'from',
      'to',
      'subject',
      'date',
      'message-id',
      'mime-version',
      'content-type',
      'list-unsubscribe',
      'list-unsubscribe-post',
      'feedback-id',
      'x-otklik-message',
    ])
      expect(verdict.h).toContain(header);
    // RFC 8058 §4: stripping List-Unsubscribe-Post must break the signature.
    const stripped = Buffer.from(message.raw.toString('latin1').replace(/^List-Unsubscribe-Post:.*\r\n/m, ''), 'latin1');
    expect(stripped.length).toBeLessThan(message.raw.length);
    expect((await verifyDkim(stripped, dns)).ok).toBe(false);
  });

  it("signs a campaign through a provider row, as a sender on another domain, with that domain's own key", async () => {
    const provider = await call('POST', '/providers', 'admin', { name: 'Brand2 relay', kind: 'smtp', config: { url: providerRelay.url } });
    const sender = await call('POST', '/senders', 'admin', {
      name: 'Brand2',
      fromAddress: 'hello@brand2.example',
      providerId: provider.body.id,
    });
    expect(sender.status).toBe(201);
    const message = await campaignMessage('dkim-provider', sender.body.id, providerRelay);
    const verdict = await verifyDkim(message.raw, dns);
    expect(verdict).toMatchObject({ ok: true, d: 'brand2.example', s: 'b2a' });
    expect(verdict.h).toEqual(expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post', 'feedback-id']));
    // EHLO: the PUBLIC_URL host (no SMTP_EHLO_NAME, no BOUNCE_DOMAIN), on the provider's relay and SMTP_URL's alike.
    expect(new Set([...providerRelay.ehloNames, ...relay.ehloNames])).toEqual(new Set(['mail.shop.example']));
  });

  it('rotates: the newest active key signs; deactivated, the previous one signs again; deleted, it is gone', async () => {
    const rotated = await addKey('brand2.example', 'b2b');
    expect(rotated.signing).toBe(true);
    const listed = await call('GET', '/settings/dkim-keys?domain=brand2.example', 'viewer');
    expect(listed.body.map((k: { selector: string; signing: boolean }) => [k.selector, k.signing])).toEqual([
      ['b2b', true],
      ['b2a', false],
    ]);
    const sender = await call('POST', '/senders', 'admin', { name: 'Brand2 direct', fromAddress: 'news@brand2.example' });
    const after = await campaignMessage('dkim-rotated', sender.body.id, relay);
    expect(await verifyDkim(after.raw, dns)).toMatchObject({ ok: true, d: 'brand2.example', s: 'b2b' });

    const off = await call('PATCH', `/settings/dkim-keys/${rotated.id}`, 'admin', { active: false });
    expect(off.body).toMatchObject({ active: false, signing: false });
    const back = await campaignMessage('dkim-deactivated', sender.body.id, relay);
    expect(await verifyDkim(back.raw, dns)).toMatchObject({ ok: true, d: 'brand2.example', s: 'b2a' });

    expect((await call('DELETE', `/settings/dkim-keys/${rotated.id}`, 'admin')).status).toBe(204);
    expect((await call('GET', `/settings/dkim-keys/${rotated.id}`, 'viewer')).status).toBe(404);
  });

  it('signs transactional mail, the double opt-in email and the test email', async () => {
    const customer = await call('POST', '/customers', 'admin', { email: 'tx@example.com', firstName: 'Тест' });
    expect((await call('POST', '/messages', 'admin', { template: 'welcome', customerId: customer.body.id })).status).toBe(201);
    const transactional = await waitFor(
      () => relay.messages.find((m) => m.to.includes('tx@example.com')),
      30_000,
      'the transactional message',
    );
    const tx = await verifyDkim(transactional.raw, dns);
    expect(tx).toMatchObject({ ok: true, d: 'shop.example' });
    expect(tx.h).toContain('auto-submitted');

    const pending = await call('POST', '/customers', 'admin', { email: 'doi@example.com', firstName: 'Анна' });
    expect(
      (await call('PUT', `/customers/${pending.body.id}/consents/email`, 'admin', { status: 'pending', source: 'form' })).body,
    ).toMatchObject({
      confirmationQueued: true,
    });
    const confirmation = await waitFor(
      () => relay.messages.find((m) => m.to.includes('doi@example.com')),
      30_000,
      'the double opt-in email',
    );
    expect((await simpleParser(confirmation.raw)).text).toMatch(/consent\/confirm/);
    expect(await verifyDkim(confirmation.raw, dns)).toMatchObject({ ok: true, d: 'shop.example' });

    expect((await call('POST', '/delivery/test-email', 'admin', { to: 'test@example.com' })).status).toBeLessThan(300);
    const test = await waitFor(() => relay.messages.find((m) => m.to.includes('test@example.com')), 30_000, 'the test email');
    expect(await verifyDkim(test.raw, dns)).toMatchObject({ ok: true, d: 'shop.example' });
  });

  it('keeps signing across a SECRET_KEY rotation: the stored keys are sealed again under the new key', async () => {
    const before = await prisma.dkimKey.findFirstOrThrow({ where: { selector: 'b2a' } });
    const oldKey = t.input.SECRET_KEY;
    const newKey = 'n'.repeat(40);
    await t.app.close();
    const rotating = await startAppOn(t, { SECRET_KEY: newKey, SECRET_KEY_PREVIOUS: oldKey }, false);
    restarted = rotating;
    useApp(rotating);
    prisma = rotating.app.get(PrismaService);
    const sender = await call('POST', '/senders', 'admin', { name: 'Brand2 rotated', fromAddress: 'rot@brand2.example' });
    const during = await campaignMessage('dkim-ring-rotating', sender.body.id, relay);
    expect(await verifyDkim(during.raw, dns)).toMatchObject({ ok: true, d: 'brand2.example', s: 'b2a' });
    const after = await prisma.dkimKey.findFirstOrThrow({ where: { id: before.id } });
    expect(after.privateKeyEncrypted).not.toBe(before.privateKeyEncrypted);

    // The old key dropped: the key sealed again still signs.
    await rotating.app.close();
    restarted = await startAppOn(t, { SECRET_KEY: newKey }, false);
    useApp(restarted);
    prisma = restarted.app.get(PrismaService);
    const dropped = await campaignMessage('dkim-ring-dropped', sender.body.id, relay);
    expect(await verifyDkim(dropped.raw, dns)).toMatchObject({ ok: true, d: 'brand2.example', s: 'b2a' });
  });
});
