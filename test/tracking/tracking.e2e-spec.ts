// The public links of a real campaign sent to a real SMTP server: clicks (signed destination,
// no open redirect), the open pixel and its bot detection, RFC 8058 one-click unsubscribe
// with the next campaign skipping the address, the preference page with its CSRF check and
// pause, and the web copy.
import { simpleParser } from 'mailparser';
import { PrismaService } from '../../src/database/prisma.service';
import { messageLinks } from '../../src/tracking/tracking-links';
import { TrackingService } from '../../src/tracking/tracking.service';
import { makeCustomers, segmentByTag, templateId } from '../campaigns/campaign-fixtures';
import { keyedApi, type KeyedApi } from '../support/api-call';
import { startSmtpSink, waitFor, type SmtpSink } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const GMAIL_PROXY = 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';

let t: TestApp;
let api: KeyedApi;
let sink: SmtpSink;
let prisma: PrismaService;
let marketer: string;
let secret: string;

/** Runs a campaign to the sink and waits for it; returns its id. */
async function runCampaign(tag: string, name: string): Promise<number> {
  const created = await api('POST', '/campaigns', {
    name,
    templateId: await templateId(prisma, 'b2c-promo'),
    segmentId: await segmentByTag(prisma, tag),
  });
  expect(created.status).toBe(201);
  expect((await api('POST', `/campaigns/${created.body.id}/schedule`)).status).toBe(201);
  await waitFor(
    async () => (await prisma.campaign.findUnique({ where: { id: created.body.id } }))?.status === 'completed',
    30_000,
    `campaign ${name} to complete`,
  );
  return created.body.id;
}

/** The message of a customer in a campaign, marked as sent a while ago (so a hit is not taken for a scanner's). */
async function sentMessage(campaignId: number, customerId: number, sentMsAgo = 10 * 60_000): Promise<bigint> {
  const row = await prisma.message.findFirstOrThrow({ where: { campaignId, customerId }, select: { id: true } });
  await prisma.message.update({ where: { id: row.id }, data: { sentAt: new Date(Date.now() - sentMsAgo) } });
  return row.id;
}

const links = (id: bigint) => messageLinks(t.url, secret, id);
const hit = (url: string, headers: Record<string, string> = {}, init: RequestInit = {}) =>
  fetch(url, { redirect: 'manual', ...init, headers: { 'user-agent': FIREFOX, ...headers, ...(init.headers ?? {}) } });
const events = (messageId: bigint) => prisma.trackingEvent.findMany({ where: { messageId }, orderBy: { id: 'asc' } });

let campaignId: number;
let customers: Awaited<ReturnType<typeof makeCustomers>>;

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await startTestApp({
    SMTP_URL: sink.url,
    BOUNCE_DOMAIN: 'bounces.shop.example',
    MAIL_FROM: 'news@shop.example',
    MAIL_FROM_NAME: 'Магазин',
    FREQUENCY_CAP_PER_WEEK: '0',
  });
  prisma = t.app.get(PrismaService);
  secret = t.env.SECRET_KEY;
  marketer = await t.key('marketer');
  api = keyedApi(t, marketer);
  customers = await makeCustomers(prisma, 'trk', 8);
  await prisma.customer.update({ where: { id: customers[7].id }, data: { firstName: '<script>alert(1)</script>', phone: '+79161234567' } });
  await prisma.consent.create({ data: { customerId: customers[7].id, channel: 'sms', status: 'opted_in', source: 'test' } });
  campaignId = await runCampaign('trk', 'tracking one');
  expect(sink.messages).toHaveLength(8);
});

afterAll(async () => {
  await t?.close();
  await sink?.close();
});

describe('click tracking', () => {
  it('redirects a valid link and counts the click; refuses a tampered or foreign one with 400', async () => {
    const id = await sentMessage(campaignId, customers[0].id);
    const destination = 'https://shop.example/sale?utm_source=otklik&x=1';
    const link = links(id).trackLink(destination, 2);

    const ok = await hit(link);
    expect(ok.status).toBe(302);
    expect(ok.headers.get('location')).toBe(destination);

    const tampered = new URL(link);
    tampered.searchParams.set('u', 'https://evil.example/phish');
    expect((await hit(tampered.toString())).status).toBe(400);
    const changedQuery = new URL(link);
    changedQuery.searchParams.set('u', destination.replace('x=1', 'x=2'));
    expect((await hit(changedQuery.toString())).status).toBe(400);
    const noDestination = new URL(link);
    noDestination.search = '';
    expect((await hit(noDestination.toString())).status).toBe(400);
    // A link signed for another message, reused with its own destination on this message's token.
    const foreign = new URL(links(id + 1000n).trackLink('https://evil.example/', 0));
    expect((await hit(`${t.url}${new URL(link).pathname}?u=${encodeURIComponent(foreign.searchParams.get('u')!)}`)).status).toBe(400);

    const recorded = await events(id);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      type: 'click',
      url: destination,
      linkIndex: 2,
      isBot: false,
      campaignId,
      customerId: customers[0].id,
    });
    const message = await prisma.message.findUniqueOrThrow({ where: { id } });
    expect(message.clickedAt).not.toBeNull();
    expect(message.openedAt).not.toBeNull(); // a click implies an open
  });

  it('flags a click within two seconds of sending, and a HEAD probe, as a scanner', async () => {
    const id = await sentMessage(campaignId, customers[1].id, 200);
    const link = links(id).trackLink('https://shop.example/', 0);
    expect((await hit(link)).status).toBe(302);
    expect((await hit(link, {}, { method: 'HEAD' })).status).toBe(302);
    expect((await events(id)).map((e) => [e.type, e.isBot])).toEqual([
      ['click', true],
      ['click', true],
    ]);
    expect((await prisma.message.findUniqueOrThrow({ where: { id } })).clickedAt).toBeNull();
  });
});

describe('the open pixel', () => {
  it('serves an uncached GIF; an open through a known proxy is flagged and not counted as human', async () => {
    const id = await sentMessage(campaignId, customers[2].id);
    const pixel = links(id).openPixelUrl;

    const viaGmail = await hit(pixel, { 'user-agent': GMAIL_PROXY });
    expect(viaGmail.status).toBe(200);
    expect(viaGmail.headers.get('content-type')).toBe('image/gif');
    expect(viaGmail.headers.get('cache-control')).toContain('no-store');
    expect(
      Buffer.from(await viaGmail.arrayBuffer())
        .subarray(0, 6)
        .toString('latin1'),
    ).toBe('GIF89a');
    // Apple Mail Privacy Protection: Apple's proxy address (the app trusts X-Forwarded-For from loopback).
    expect(
      (
        await hit(pixel, {
          'x-forwarded-for': '17.58.101.12',
          'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)',
        })
      ).status,
    ).toBe(200);
    expect((await events(id)).map((e) => [e.type, e.isBot, e.ip])).toEqual([
      ['open', true, '127.0.0.1'],
      ['open', true, '17.58.101.12'],
    ]);
    expect((await prisma.message.findUniqueOrThrow({ where: { id } })).openedAt).toBeNull();

    const person = await hit(pixel, { 'x-forwarded-for': '198.51.100.7' });
    expect(person.status).toBe(200);
    expect((await events(id)).at(-1)).toMatchObject({ isBot: false, ip: '198.51.100.7', userAgent: FIREFOX });
    expect((await prisma.message.findUniqueOrThrow({ where: { id } })).openedAt).not.toBeNull();

    const report = await api('GET', `/reports/campaigns/${campaignId}`);
    expect(report.body.totals).toMatchObject({ opensTotal: 1, botOpens: 2 });
  });

  it('still answers a broken pixel link with the image, recording nothing', async () => {
    const before = await prisma.trackingEvent.count();
    const response = await hit(`${t.url}/o/bm90LWEtdG9rZW4.AAAAAAAAAAAAAAAAAAAAAA.gif`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/gif');
    expect(await prisma.trackingEvent.count()).toBe(before);
  });
});

describe('one-click unsubscribe', () => {
  it('GET only shows a button; POST List-Unsubscribe=One-Click unsubscribes, and the next campaign skips the address', async () => {
    const leaver = customers[3];
    const mail = await simpleParser(sink.messages.find((m) => m.to[0] === leaver.email)!.raw);
    const header = mail.headerLines.find((h) => h.key === 'list-unsubscribe')!.line;
    const published = /<(http[^>]+)>/.exec(header)![1];
    const url = `${t.url}${new URL(published).pathname}`;

    const page = await hit(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(html).toContain(`${leaver.email[0]}***@example.com`); // masked; no customer id in the page either
    expect(html).not.toContain(leaver.email);
    expect((await prisma.consent.findFirstOrThrow({ where: { customerId: leaver.id, channel: 'email' } })).status).toBe('opted_in');

    const wrongBody = await hit(
      url,
      { 'content-type': 'application/x-www-form-urlencoded' },
      { method: 'POST', body: 'List-Unsubscribe=Maybe' },
    );
    expect(wrongBody.status).toBe(400);

    const oneClick = await hit(
      url,
      { 'content-type': 'application/x-www-form-urlencoded' },
      { method: 'POST', body: 'List-Unsubscribe=One-Click' },
    );
    expect(oneClick.status).toBe(200);
    expect(await oneClick.text()).toContain('отписан');
    expect((await prisma.consent.findFirstOrThrow({ where: { customerId: leaver.id, channel: 'email' } })).status).toBe('opted_out');
    const history = await prisma.consentEvent.findFirstOrThrow({ where: { customerId: leaver.id, status: 'opted_out' } });
    expect(history.proofForm).toMatch(/^List-Unsubscribe one-click, message \d+$/);
    expect(await prisma.suppression.findFirst({ where: { address: leaver.email } })).toMatchObject({
      reason: 'unsubscribe',
      customerId: leaver.id,
    });

    const again = await hit(
      url,
      { 'content-type': 'application/x-www-form-urlencoded' },
      { method: 'POST', body: 'List-Unsubscribe=One-Click' },
    );
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('уже был отписан');
    expect(await prisma.trackingEvent.count({ where: { type: 'unsubscribe', customerId: leaver.id } })).toBe(1);

    // Some mailbox providers post multipart/form-data.
    const other = customers[4];
    const otherId = await sentMessage(campaignId, other.id);
    const form = new FormData();
    form.set('List-Unsubscribe', 'One-Click');
    expect((await fetch(links(otherId).unsubscribeUrl, { method: 'POST', body: form })).status).toBe(200);
    expect((await prisma.consent.findFirstOrThrow({ where: { customerId: other.id, channel: 'email' } })).status).toBe('opted_out');

    const before = sink.messages.length;
    const next = await runCampaign('trk', 'tracking two');
    const sentTo = sink.messages.slice(before).map((m) => m.to[0]);
    expect(sentTo).toHaveLength(6);
    expect(sentTo).not.toContain(leaver.email);
    expect(sentTo).not.toContain(other.email);
    const report = await api('GET', `/reports/campaigns/${campaignId}`);
    expect(report.body.totals.unsubscribed).toBe(2);
    expect((await api('GET', `/reports/campaigns/${next}`)).body.totals.sent).toBe(6);
  });
});

describe('the preference page', () => {
  it('needs its CSRF token and cookie, pauses for N days, and the pause sweep ends it', async () => {
    const who = customers[7];
    const id = await sentMessage(campaignId, who.id);
    const url = links(id).preferencesUrl;
    const page = await hit(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    const cookie = page.headers.get('set-cookie')!.split(';')[0];
    expect(page.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(page.headers.get('set-cookie')).toMatch(/SameSite=Strict/i);
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1];
    expect(html).toContain('name="email" value="on" checked');
    expect(html).toContain('name="sms" value="on" checked');
    expect(html).toContain('+7******4567');
    expect(html).not.toContain('<script>');

    const post = (body: string, headers: Record<string, string> = {}) =>
      hit(url, { 'content-type': 'application/x-www-form-urlencoded', ...headers }, { method: 'POST', body });
    expect((await post(`csrf=${encodeURIComponent(csrf)}&email=on&sms=on&pauseDays=30`)).status).toBe(403); // no cookie
    expect((await post(`email=on&sms=on&pauseDays=30`, { cookie })).status).toBe(403); // no token
    const bad = await post(`csrf=${encodeURIComponent(csrf)}&email=on&pauseDays=3`, { cookie });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('pauseDays');
    expect((await prisma.consent.findFirstOrThrow({ where: { customerId: who.id, channel: 'email' } })).status).toBe('opted_in');

    // Pause email for 30 days, turn SMS off for good.
    const saved = await post(`csrf=${encodeURIComponent(csrf)}&email=on&pauseDays=30`, { cookie });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain('Рассылки на паузе до');
    const consents = await prisma.consent.findMany({ where: { customerId: who.id }, orderBy: { channel: 'asc' } });
    expect(consents.map((c) => [c.channel, c.status, c.source])).toEqual([
      ['email', 'opted_out', 'preference page: pause'],
      ['sms', 'opted_out', 'preference page'],
    ]);
    const pause = await prisma.consentPause.findUniqueOrThrow({ where: { customerId_channel: { customerId: who.id, channel: 'email' } } });
    expect(Math.round((pause.until.getTime() - Date.now()) / 86_400_000)).toBe(30);

    // The sweep before the date leaves it; after the date it opts email in again.
    const tracking = t.app.get(TrackingService);
    expect(await tracking.endPauses(new Date())).toEqual({ resumed: 0, left: 0 });
    expect(await tracking.endPauses(new Date(Date.now() + 31 * 86_400_000))).toEqual({ resumed: 1, left: 0 });
    expect((await prisma.consent.findFirstOrThrow({ where: { customerId: who.id, channel: 'email' } })).status).toBe('opted_in');
    expect((await prisma.consent.findFirstOrThrow({ where: { customerId: who.id, channel: 'sms' } })).status).toBe('opted_out');
  });

  it('shows the web copy with customer data escaped, and refuses unknown links', async () => {
    const id = await sentMessage(campaignId, customers[7].id);
    const view = await hit(links(id).viewInBrowserUrl);
    expect(view.status).toBe(200);
    const html = await view.text();
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(view.headers.get('content-security-policy')).toContain("script-src 'none'");
    expect((await hit(`${t.url}/v/not-a-token`)).status).toBe(404);
    expect((await hit(`${t.url}/p/not-a-token`)).status).toBe(404);
  });

  it('answers 429 to a client that keeps sending invalid links', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 35; i++) statuses.push((await hit(`${t.url}/u/bad-${i}`, { 'x-forwarded-for': '203.0.113.9' })).status);
    expect(statuses.slice(0, 30).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(30)).toContain(429);
    // Another client is unaffected.
    expect((await hit(`${t.url}/u/bad-x`, { 'x-forwarded-for': '203.0.113.10' })).status).toBe(404);
  });
});
