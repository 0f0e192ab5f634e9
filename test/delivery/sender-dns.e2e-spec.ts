// GET /senders/:id/dns-check (issue 19): the SPF, DKIM and DMARC records a sender's domains
// should publish, checked against DNS — here a stub resolver put in place of node:dns
// (DNS_RESOLVER) that publishes the DKIM record the API showed.
import { DNS_RESOLVER } from '../../src/delivery/dns/sender-dns.service';
import type { TxtResolver } from '../../src/delivery/dns/sender-dns';
import { apiCaller } from '../support/api-call';
import { startTestApp, type TestApp } from '../support/test-app';

describe('sender DNS check', () => {
  let t: TestApp;
  let call: ReturnType<typeof apiCaller<'admin' | 'viewer'>>;
  const zone = new Map<string, string[]>();

  beforeAll(async () => {
    t = await startTestApp({ SPF_INCLUDE: '_spf.relay.example', MAIL_FROM: 'shop@shop.example' });
    call = apiCaller(t, { admin: await t.key('admin'), viewer: await t.key('viewer') });
    const resolver = t.app.get<TxtResolver>(DNS_RESOLVER);
    resolver.resolveTxt = (name) => {
      const records = zone.get(name);
      if (!records) return Promise.reject(Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' }));
      return Promise.resolve(records.map((r) => [r]));
    };
  });

  afterAll(async () => {
    await t?.close();
  });

  it('shows what to publish, then finds it in place and aligned', async () => {
    const key = await call('POST', '/settings/dkim-keys', 'admin', { domain: 'shop.example', selector: 'news1' });
    expect(key.status).toBe(201);
    const sender = await call('POST', '/senders', 'admin', {
      name: 'News',
      fromAddress: 'news@shop.example',
      bounceDomain: 'bounces.shop.example',
    });
    expect(sender.status).toBe(201);

    const before = await call('GET', `/senders/${sender.body.id}/dns-check`, 'viewer');
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ fromDomain: 'shop.example', bounceDomain: 'bounces.shop.example', dmarcReady: false });
    expect(before.body.records).toEqual([
      expect.objectContaining({
        kind: 'spf',
        name: 'bounces.shop.example',
        publish: 'v=spf1 include:_spf.relay.example ~all',
        status: 'missing',
      }),
      expect.objectContaining({
        kind: 'dkim',
        name: 'news1._domainkey.shop.example',
        publish: key.body.dnsRecord.value,
        status: 'missing',
      }),
      expect.objectContaining({ kind: 'dmarc', name: '_dmarc.shop.example', status: 'missing' }),
    ]);

    // Publish what it asked for.
    for (const record of before.body.records as Array<{ name: string; publish: string }>) zone.set(record.name, [record.publish]);
    const after = await call('GET', `/senders/${sender.body.id}/dns-check`, 'viewer');
    expect(after.body.records.map((r: { status: string }) => r.status)).toEqual(['ok', 'ok', 'ok']);
    expect(after.body).toMatchObject({ spfAligned: true, dkimAligned: true, dmarcReady: true });
  });

  it('has nothing to check for an SMS sender', async () => {
    const sms = await call('POST', '/senders', 'admin', { name: 'SMS', channel: 'sms', fromAddress: 'MyShop' });
    const answer = await call('GET', `/senders/${sms.body.id}/dns-check`, 'viewer');
    expect(answer.status).toBe(400);
    expect(answer.body.issues[0].message).toContain('sends SMS');
  });
});
