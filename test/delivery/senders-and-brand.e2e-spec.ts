// Brand, providers and senders as settings (issue 18): through the API, validated, secrets never
// answered, and the brand in what is really sent.
import { createServer, type Server } from 'node:http';
import { AddressInfo, createServer as createTcpServer } from 'node:net';
import { simpleParser } from 'mailparser';
import { PrismaService } from '../../src/database/prisma.service';
import { makeCustomers, segmentByTag, templateId } from '../campaigns/campaign-fixtures';
import { apiCaller } from '../support/api-call';
import { startSmtpSink, waitFor, type SmtpSink } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';

const SECRETS = ['S3cret-Pass', 'tok-9f8e7d', 'key-1a2b3c', 'smsru-api-id-42'];

/** A port nothing listens on: one the system just gave and took back. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('brand, providers and senders as settings', () => {
  let t: TestApp;
  let relay: SmtpSink; // the server's SMTP_URL, where transactional mail goes
  let authRelay: SmtpSink; // a provider's relay that wants a password
  let gateway: Server;
  let gatewayPort: number;
  let call: ReturnType<typeof apiCaller<'admin' | 'marketer' | 'viewer'>>;
  /** Every response body this file received, to check that no secret ever came back. */
  const bodies: string[] = [];

  beforeAll(async () => {
    relay = await startSmtpSink();
    authRelay = await startSmtpSink({ auth: { user: 'shop', pass: 'S3cret-Pass' } });
    gateway = createServer((_request, response) => response.end('{}'));
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    gatewayPort = (gateway.address() as AddressInfo).port;
    t = await startTestApp({ SMTP_URL: relay.url, MAIL_FROM: 'shop@shop.example', MAIL_FROM_NAME: 'Shop Mailer' });
    const keys = { admin: await t.key('admin'), marketer: await t.key('marketer'), viewer: await t.key('viewer') };
    const raw = apiCaller(t, keys);
    call = async (method, path, role, body) => {
      const answer = await raw(method, path, role, body);
      bodies.push(JSON.stringify(answer.body));
      return answer;
    };
  });

  afterAll(async () => {
    await t?.close();
    await relay?.close();
    await authRelay?.close();
    await new Promise<void>((resolve) => (gateway ? gateway.close(() => resolve()) : resolve()));
  });

  describe('brand', () => {
    it('starts unset, is written by admins only, validated field by field, and read by every role', async () => {
      expect((await call('GET', '/settings/brand', 'viewer')).body).toEqual({
        name: null,
        address: null,
        website: null,
        logoUrl: null,
        supportEmail: null,
        supportPhone: null,
        updatedAt: null,
      });
      expect((await call('PUT', '/settings/brand', 'marketer', { name: 'Ромашка' })).status).toBe(403);

      const bad = await call('PUT', '/settings/brand', 'admin', {
        name: 'Ромашка',
        website: 'romashka.example',
        supportEmail: 'help at romashka',
        supportPhone: '12',
        colour: 'red',
      });
      expect(bad.status).toBe(400);
      expect(bad.body.issues.map((issue: { path: string }) => issue.path).sort()).toEqual([
        '(body)',
        'supportEmail',
        'supportPhone',
        'website',
      ]);
      expect(bad.body.message).toMatch(/website: expected an http/);

      const put = await call('PUT', '/settings/brand', 'admin', {
        name: 'Ромашка',
        address: 'Москва, ул. Полевая, 1',
        website: 'https://romashka.example',
        logoUrl: 'https://romashka.example/logo.png',
        supportEmail: 'Help@Romashka.Example',
        supportPhone: '8 (495) 123-45-67',
      });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ name: 'Ромашка', supportEmail: 'help@romashka.example', supportPhone: '+74951234567' });
      expect(typeof put.body.updatedAt).toBe('string');
      expect((await call('GET', '/settings/brand', 'viewer')).body).toEqual(put.body);
    });

    it('is what a really sent message shows, and what the preview shows', async () => {
      const customer = await call('POST', '/customers', 'admin', { firstName: 'Олег', email: 'oleg@example.com', locale: 'ru' });
      expect(customer.status).toBe(201);
      const sent = await call('POST', '/messages', 'admin', { template: 'welcome', customerId: customer.body.id });
      expect(sent.status).toBeLessThan(300);
      const message = await waitFor(
        () => relay.messages.find((m) => m.to.includes('oleg@example.com')),
        30_000,
        'the welcome email at the relay',
      );
      const parsed = await simpleParser(message.raw);
      expect(parsed.subject).toContain('Ромашка');
      expect(parsed.subject).not.toContain('Shop Mailer');
      expect(parsed.html || '').toContain('https://romashka.example/logo.png');

      const templates = await call('GET', '/templates?key=welcome', 'viewer');
      const welcome = (templates.body.items ?? templates.body).find((x: { key: string }) => x.key === 'welcome');
      const preview = await call('POST', `/templates/${welcome.id}/preview`, 'viewer', { locale: 'ru' });
      expect(preview.status).toBeLessThan(300);
      expect(preview.body.subject).toContain('Ромашка');
      expect(preview.body.sample).not.toContain('brand');
    });
  });

  describe('providers', () => {
    let smtpId: number;

    it('creates an SMTP provider and never answers its password', async () => {
      expect((await call('POST', '/providers', 'marketer', { name: 'x', kind: 'smtp', config: { url: authRelay.url } })).status).toBe(403);
      const created = await call('POST', '/providers', 'admin', {
        name: 'ESP relay',
        kind: 'smtp',
        config: { url: `smtp://shop:S3cret-Pass@127.0.0.1:${authRelay.port}` },
        perSecond: 50,
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        name: 'ESP relay',
        channel: 'email',
        kind: 'smtp',
        config: { url: `smtp://shop:***@127.0.0.1:${authRelay.port}` },
        hasSecret: true,
        maskedFields: ['url'],
        perSecond: 50,
        active: true,
      });
      smtpId = created.body.id;
      expect((await call('GET', `/providers/${smtpId}`, 'viewer')).body.config.url).toBe(`smtp://shop:***@127.0.0.1:${authRelay.port}`);
      const list = await call('GET', '/providers?channel=email', 'viewer');
      expect(list.body.map((p: { id: number }) => p.id)).toContain(smtpId);
    });

    it('tests the connection: EHLO and AUTH with the stored password, nothing sent', async () => {
      const before = authRelay.messages.length;
      expect((await call('POST', `/providers/${smtpId}/test`, 'marketer')).status).toBe(403);
      const test = await call('POST', `/providers/${smtpId}/test`, 'admin');
      expect(test.status).toBe(200);
      expect(test.body).toMatchObject({ ok: true, kind: 'smtp' });
      expect(test.body.steps.map((s: { step: string }) => s.step)).toEqual(['connect', 'ehlo', 'starttls', 'auth', 'quit']);
      expect(test.body.steps[2].detail).toMatch(/not offered/);
      expect(test.body.steps[3].detail).toBe('logged in as shop');
      expect(authRelay.logins).toContain('shop');
      expect(authRelay.messages.length).toBe(before);
    });

    it('keeps the stored password on an edit that leaves it out or sends it back masked', async () => {
      const renamed = await call('PATCH', `/providers/${smtpId}`, 'admin', { name: 'ESP relay (main)', perHour: 100000 });
      expect(renamed.body).toMatchObject({ name: 'ESP relay (main)', perHour: 100000, hasSecret: true });
      expect((await call('POST', `/providers/${smtpId}/test`, 'admin')).body.ok).toBe(true);

      for (const url of [`smtp://shop:***@127.0.0.1:${authRelay.port}`, `smtp://shop@127.0.0.1:${authRelay.port}`]) {
        const kept = await call('PATCH', `/providers/${smtpId}`, 'admin', { config: { url } });
        expect(kept.status).toBe(200);
        expect(kept.body.config.url).toBe(`smtp://shop:***@127.0.0.1:${authRelay.port}`);
        expect((await call('POST', `/providers/${smtpId}/test`, 'admin')).body.ok).toBe(true);
      }

      const wrong = await call('PATCH', `/providers/${smtpId}`, 'admin', {
        config: { url: `smtp://shop:wrong@127.0.0.1:${authRelay.port}` },
      });
      expect(wrong.status).toBe(200);
      const refused = await call('POST', `/providers/${smtpId}/test`, 'admin');
      expect(refused.body).toMatchObject({ ok: false });
      expect(refused.body.steps.at(-1)).toMatchObject({ step: 'auth', ok: false });
      expect(refused.body.error).toMatch(/^auth .*535/);
    });

    it('reports a closed port clearly', async () => {
      const port = await closedPort();
      const created = await call('POST', '/providers', 'admin', {
        name: 'Nowhere',
        kind: 'smtp',
        config: { url: `smtp://127.0.0.1:${port}` },
      });
      expect(created.body.hasSecret).toBe(false);
      const test = await call('POST', `/providers/${created.body.id}/test`, 'admin');
      expect(test.status).toBe(200);
      expect(test.body).toMatchObject({ ok: false, steps: [{ step: 'connect', ok: false }] });
      expect(test.body.error).toContain(`127.0.0.1:${port}`);
      expect(test.body.error).toMatch(/ECONNREFUSED/);
    });

    it('masks the secrets of SMS gateways and checks them without sending', async () => {
      const http = await call('POST', '/providers', 'admin', {
        name: 'Gateway',
        kind: 'sms_http',
        config: {
          url: `http://127.0.0.1:${gatewayPort}/send`,
          auth: { type: 'bearer', token: 'tok-9f8e7d' },
          headers: { 'X-Api-Key': 'key-1a2b3c', 'Idempotency-Key': 'otklik-{{messageId}}' },
          body: { format: 'json', template: { to: '{{to}}', text: '{{text}}' } },
        },
      });
      expect(http.status).toBe(201);
      expect(http.body).toMatchObject({
        channel: 'sms',
        config: { auth: { type: 'bearer', token: '***' }, headers: { 'X-Api-Key': '***', 'Idempotency-Key': 'otklik-{{messageId}}' } },
        hasSecret: true,
      });
      const test = await call('POST', `/providers/${http.body.id}/test`, 'admin');
      expect(test.body).toMatchObject({ ok: true, kind: 'sms_http' });
      expect(test.body.steps.map((s: { step: string }) => s.step)).toEqual(['config', 'dns', 'connect']);

      // Sent back as answered, the config keeps its secrets; the provider is then disabled.
      const back = await call('PATCH', `/providers/${http.body.id}`, 'admin', { config: http.body.config });
      expect(back.body.config).toEqual(http.body.config);
      const disabled = await call('POST', `/providers/${http.body.id}/disable`, 'admin');
      expect(disabled.body).toMatchObject({ active: false, hasSecret: true });
      expect((await call('GET', '/providers?active=false', 'viewer')).body.map((p: { id: number }) => p.id)).toEqual([http.body.id]);

      const smsru = await call('POST', '/providers', 'admin', {
        name: 'SMS.ru',
        kind: 'sms_smsru',
        config: { apiId: 'smsru-api-id-42', baseUrl: `http://127.0.0.1:${await closedPort()}` },
      });
      expect(smsru.body.config.apiId).toBe('***');
      const down = await call('POST', `/providers/${smsru.body.id}/test`, 'admin');
      expect(down.body).toMatchObject({ ok: false, kind: 'sms_smsru' });
      expect(down.body.steps.at(-1)).toMatchObject({ step: 'connect', ok: false });
    });

    it('answers 400 naming the field', async () => {
      const cases: Array<[unknown, string]> = [
        [{ name: 'a', kind: 'smtp', config: { url: 'http://relay.example' } }, 'config.url'],
        [{ name: 'a', kind: 'smtp', channel: 'sms', config: { url: 'smtp://relay.example' } }, 'kind'],
        [{ name: 'a', kind: 'carrier-pigeon' }, 'kind'],
        [{ name: 'a', kind: 'capture' }, 'channel'],
        [{ name: 'a', kind: 'sms_http', config: { url: 'https://gw.example', auth: { type: 'bearer' } } }, 'config.auth.token'],
        [{ name: '', kind: 'smtp', config: { url: 'smtp://relay.example' } }, 'name'],
        [{ name: 'a', kind: 'smtp', config: { url: 'smtp://relay.example' }, perSecond: 0 }, 'perSecond'],
      ];
      for (const [body, path] of cases) {
        const answer = await call('POST', '/providers', 'admin', body);
        expect({ body, status: answer.status }).toEqual({ body, status: 400 });
        expect(answer.body.issues.map((issue: { path: string }) => issue.path)).toContain(path);
      }
      expect(
        (await call('PATCH', `/providers/${smtpId}`, 'admin', { config: { url: 'smtp://new:***@127.0.0.1:25' } })).body.issues,
      ).toEqual([{ path: 'config.url', message: expect.stringContaining('none is stored') }]);
      expect((await call('POST', '/providers', 'admin', { name: 'ESP relay (main)', kind: 'capture', channel: 'email' })).status).toBe(409);
      expect((await call('GET', '/providers/999999', 'viewer')).status).toBe(404);
    });
  });

  describe('senders', () => {
    it('creates, edits and disables senders; validates per channel; marketers only read', async () => {
      const provider = (await call('GET', '/providers?channel=email', 'viewer')).body[0];
      expect((await call('POST', '/senders', 'marketer', { name: 'News', fromAddress: 'news@shop.example' })).status).toBe(403);
      const created = await call('POST', '/senders', 'admin', {
        name: 'News',
        fromAddress: 'News@Shop.Example',
        fromName: 'Ромашка',
        replyTo: 'help@shop.example',
        bounceDomain: 'bounces.shop.example',
        feedbackId: 'news',
        providerId: provider.id,
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ channel: 'email', fromAddress: 'news@shop.example', providerId: provider.id, active: true });

      const edited = await call('PATCH', `/senders/${created.body.id}`, 'admin', { fromName: 'Ромашка — новости', replyTo: null });
      expect(edited.body).toMatchObject({ fromName: 'Ромашка — новости', replyTo: null, fromAddress: 'news@shop.example' });
      expect((await call('GET', `/senders/${created.body.id}`, 'marketer')).body).toEqual(edited.body);
      expect((await call('POST', `/senders/${created.body.id}/disable`, 'admin')).body.active).toBe(false);
      expect((await call('GET', '/senders?active=false', 'viewer')).body.map((s: { id: number }) => s.id)).toEqual([created.body.id]);

      const cases: Array<[unknown, string]> = [
        [{ name: 'a', fromAddress: 'MyShop' }, 'fromAddress'],
        [{ name: 'a', channel: 'sms', fromAddress: 'Магазин Ромашка' }, 'fromAddress'],
        [{ name: 'a', fromAddress: 'a@shop.example', replyTo: 'nobody' }, 'replyTo'],
        [{ name: 'a', fromAddress: 'a@shop.example', providerId: 999999 }, 'providerId'],
        [{ name: 'a', channel: 'sms', fromAddress: 'MyShop', providerId: provider.id }, 'providerId'],
        [{ name: 'News', fromAddress: 'a@shop.example' }, 'name'],
      ];
      for (const [body, path] of cases) {
        const answer = await call('POST', '/senders', 'admin', body);
        expect({ body, status: answer.status >= 400 && answer.status < 500 }).toEqual({ body, status: true });
        expect(answer.body.issues.map((issue: { path: string }) => issue.path)).toContain(path);
      }
      const sms = await call('POST', '/senders', 'admin', { name: 'SMS', channel: 'sms', fromAddress: 'MyShop' });
      expect(sms.status).toBe(201);
      expect((await call('PATCH', `/senders/${sms.body.id}`, 'admin', { fromAddress: 'not a sender name!' })).body.issues[0].path).toBe(
        'fromAddress',
      );
    });
  });

  describe('campaigns through a sender and its provider', () => {
    /** Runs a one-off campaign of `tag`'s customers as `senderId`; the messages as the sinks got them. */
    async function runCampaign(tag: string, senderId: number): Promise<Array<{ sink: string; from: string; subject: string }>> {
      const prisma = t.app.get(PrismaService);
      const customers = await makeCustomers(prisma, tag, 2);
      const campaign = await call('POST', '/campaigns', 'admin', {
        name: tag,
        channel: 'email',
        templateId: await templateId(prisma, 'welcome'),
        segmentId: await segmentByTag(prisma, tag),
        senderId,
        schedule: { kind: 'now' },
      });
      expect(campaign.status).toBe(201);
      expect((await call('POST', `/campaigns/${campaign.body.id}/schedule`, 'admin')).status).toBe(201);
      const mine = (sink: SmtpSink) => sink.messages.filter((m) => customers.some((c) => m.to.includes(c.email)));
      await waitFor(() => mine(relay).length + mine(authRelay).length >= 2, 60_000, `the two messages of campaign ${tag}`);
      const out = [];
      for (const [name, sink] of [
        ['relay', relay],
        ['authRelay', authRelay],
      ] as const) {
        for (const m of mine(sink)) {
          const parsed = await simpleParser(m.raw);
          out.push({ sink: name, from: parsed.from?.value[0]?.address ?? '', subject: parsed.subject ?? '' });
        }
      }
      return out;
    }

    it("sends through the sender's provider, sees an edit of it at once, and falls back to the defaults once the sender is disabled", async () => {
      const provider = await call('POST', '/providers', 'admin', {
        name: 'Campaign relay',
        kind: 'smtp',
        config: { url: `smtp://shop:S3cret-Pass@127.0.0.1:${authRelay.port}` },
      });
      const sender = await call('POST', '/senders', 'admin', {
        name: 'Promo',
        fromAddress: 'promo@romashka.example',
        providerId: provider.body.id,
      });
      expect(sender.status).toBe(201);

      const first = await runCampaign('via-provider', sender.body.id);
      expect(first).toHaveLength(2);
      for (const m of first) expect(m).toMatchObject({ sink: 'authRelay', from: 'promo@romashka.example' });
      expect(first[0].subject).toContain('Ромашка');

      // The provider now points at the other relay (no password): the next run goes there.
      expect((await call('PATCH', `/providers/${provider.body.id}`, 'admin', { config: { url: relay.url } })).status).toBe(200);
      const second = await runCampaign('after-edit', sender.body.id);
      for (const m of second) expect(m).toMatchObject({ sink: 'relay', from: 'promo@romashka.example' });

      expect((await call('POST', `/senders/${sender.body.id}/disable`, 'admin')).body.active).toBe(false);
      const third = await runCampaign('sender-disabled', sender.body.id);
      for (const m of third) expect(m).toMatchObject({ sink: 'relay', from: 'shop@shop.example' });
    });
  });

  it('never answered a secret', () => {
    expect(bodies.length).toBeGreaterThan(30);
    for (const secret of SECRETS) expect(bodies.filter((body) => body.includes(secret))).toEqual([]);
  });
});
