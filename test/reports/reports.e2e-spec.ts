// The reports against a seeded dataset whose every number is worked out by hand below: an A/B
// campaign with person and machine opens and clicks, a hard and a soft bounce, an unsubscribe,
// a feedback-loop complaint and a reclamation, a reply with a lead, attributed and
// unattributed orders; plus bounces, a cleanup log and leads for the admin reports.
import { parse } from 'csv-parse/sync';
import { PrismaService } from '../../src/database/prisma.service';
import { makeCustomers, templateId } from '../campaigns/campaign-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let prisma: PrismaService;
let viewer: string;
let campaignId: number;
let runId: number;
const T0 = new Date('2026-11-10T09:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const L1 = 'https://shop.example/sale';
const L2 = 'https://shop.example/catalog';

async function get(path: string, key: string | null = viewer) {
  const response = await fetch(`${t.url}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    text,
    body: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null,
  };
}

async function seed(): Promise<void> {
  const c = await makeCustomers(prisma, 'rep', 10);
  const template = await templateId(prisma, 'b2c-promo');
  const abTest = {
    variants: [
      { key: 'A', templateId: template },
      { key: 'B', templateId: template },
    ],
    samplePercent: 20,
    metric: 'open',
    decideAfterMinutes: 60,
  };
  const campaign = await prisma.campaign.create({
    data: { name: 'Ноябрьская акция', channel: 'email', templateId: template, status: 'completed', abTest },
  });
  campaignId = campaign.id;
  runId = (await prisma.campaignRun.create({ data: { campaignId, occurrenceAt: T0, status: 'completed', audienceCount: 10 } })).id;
  const message = (i: number, variant: string | null, status: string, extra: Record<string, unknown> = {}) =>
    prisma.message.create({
      data: { runId, campaignId, customerId: c[i].id, channel: 'email', variant, status: status as never, ...extra },
      select: { id: true },
    });
  // opened_at / clicked_at as the tracking module stamps them: the first person open or click.
  const m = [
    await message(0, 'A', 'sent', { sentAt: T0, openedAt: at(HOUR), clickedAt: at(2 * HOUR) }),
    await message(1, 'A', 'sent', { sentAt: T0 }),
    await message(2, 'A', 'hard_bounced'), // refused at SMTP time: never sent_at
    await message(3, 'A', 'soft_bounced', { sentAt: T0 }),
    await message(4, 'B', 'sent', { sentAt: T0, openedAt: at(3 * HOUR) }),
    await message(5, 'B', 'sent', { sentAt: T0, openedAt: at(5 * HOUR), clickedAt: at(5 * HOUR) }),
    await message(6, 'B', 'delivered', { sentAt: T0, deliveredAt: at(60_000) }),
    await message(7, null, 'suppressed'),
    await message(8, null, 'skipped'),
    await message(9, null, 'queued'),
  ].map((row) => row.id);
  const event = (i: number, type: 'open' | 'click' | 'unsubscribe', isBot: boolean, when: number, url: string | null = null) => ({
    type,
    messageId: m[i],
    customerId: c[i].id,
    campaignId,
    isBot,
    at: at(when),
    url,
    linkIndex: url === L1 ? 0 : url === L2 ? 1 : null,
  });
  await prisma.trackingEvent.createMany({
    data: [
      event(0, 'open', false, HOUR),
      event(0, 'open', false, 2 * HOUR),
      event(0, 'click', false, 2 * HOUR, L1),
      event(1, 'open', true, 1000),
      event(1, 'click', true, 1500, L1),
      event(4, 'open', false, 3 * HOUR),
      event(4, 'unsubscribe', false, 3 * HOUR),
      event(5, 'click', false, 5 * HOUR, L1),
      event(5, 'click', false, 5 * HOUR, L2),
    ],
  });
  await prisma.bounce.createMany({
    data: [
      {
        address: c[2].email,
        domain: 'example.com',
        hard: true,
        reason: 'userunknown',
        statusCode: '5.1.1',
        customerId: c[2].id,
        messageId: m[2],
        campaignId,
        at: at(1000),
      },
      {
        address: c[3].email,
        domain: 'example.com',
        hard: false,
        reason: 'mailboxfull',
        statusCode: '4.2.2',
        customerId: c[3].id,
        messageId: m[3],
        campaignId,
        at: at(2 * HOUR),
      },
      { address: 'old@mail.ru', domain: 'mail.ru', hard: false, reason: 'mailboxfull', statusCode: '4.2.2', at: at(-2 * DAY) },
    ],
  });
  const inbound = (kind: 'reply' | 'complaint' | 'bounce', i: number | null, subject: string) =>
    prisma.inboundMessage.create({
      data: {
        source: 'smtp',
        status: 'applied',
        kind,
        raw: new Uint8Array(Buffer.from(`Subject: ${subject}\r\n\r\nbody`)),
        rawSize: 30,
        subject,
        fromAddress: i === null ? 'postmaster@mail.ru' : c[i].email,
        messageId: i === null ? null : m[i],
        customerId: i === null ? null : c[i].id,
        campaignId: i === null ? null : campaignId,
      },
      select: { id: true },
    });
  const reply = await inbound('reply', 5, 'Re: Ноябрьская акция');
  const arf = await inbound('complaint', 4, 'Abuse report');
  const dsn = await inbound('bounce', null, 'Undelivered Mail Returned to Sender');
  await prisma.complaint.create({
    data: {
      kind: 'feedback_loop',
      customerId: c[4].id,
      campaignId,
      messageId: m[4],
      inboundMessageId: arf.id,
      feedbackType: 'abuse',
      createdAt: at(4 * HOUR),
    },
  });
  await prisma.complaint.create({
    data: {
      kind: 'reclamation',
      customerId: c[6].id,
      campaignId,
      messageId: m[6],
      text: 'Заказ пришёл <b>разбитым</b>, верните деньги',
      createdAt: at(6 * HOUR),
    },
  });
  await prisma.lead.create({
    data: {
      customerId: c[5].id,
      campaignId,
      messageId: m[5],
      inboundMessageId: reply.id,
      fromAddress: c[5].email,
      subject: 'Re: Ноябрьская акция',
      text: 'Пришлите счёт на 20 штук',
      createdAt: at(5 * HOUR),
    },
  });
  await prisma.order.createMany({
    data: [
      { customerId: c[0].id, total: '100.00', orderedAt: at(DAY) }, // within 7 days: counts
      { customerId: c[5].id, total: '50.50', orderedAt: at(3 * DAY) }, // counts
      { customerId: c[5].id, total: '999.00', orderedAt: at(10 * DAY) }, // after the window
      { customerId: c[5].id, total: '777.00', orderedAt: at(2 * HOUR), status: 'cancelled' }, // cancelled
      { customerId: c[1].id, total: '300.00', orderedAt: at(-DAY) }, // before the message
    ],
  });
  await prisma.cleanupLogEntry.createMany({
    data: [
      {
        action: 'invalidated',
        channel: 'email',
        address: c[2].email,
        reason: 'hard bounce: 5.1.1 user unknown',
        customerId: c[2].id,
        inboundMessageId: dsn.id,
        createdAt: at(2000),
      },
      {
        action: 'unsubscribed',
        channel: 'email',
        address: c[4].email,
        reason: 'feedback-loop complaint',
        customerId: c[4].id,
        inboundMessageId: arf.id,
        createdAt: at(4 * HOUR),
        undoneAt: at(5 * HOUR),
        undoneBy: 'api_key:1',
      },
    ],
  });
}

beforeAll(async () => {
  t = await startTestApp({ DEFAULT_TIME_ZONE: 'Europe/Moscow' });
  prisma = t.app.get(PrismaService);
  viewer = await t.key('viewer');
  await seed();
});

afterAll(async () => {
  await t?.close();
});

describe('the campaign report', () => {
  it('matches the seeded dataset exactly, in total and per A/B variant', async () => {
    const { status, body } = await get(`/reports/campaigns/${campaignId}`);
    expect(status).toBe(200);
    expect(body.campaign).toMatchObject({ id: campaignId, name: 'Ноябрьская акция' });
    expect(body.totals).toEqual({
      audience: 10,
      sent: 7,
      delivered: 5,
      deliveryConfirmed: 1,
      softBounced: 1,
      hardBounced: 1,
      openedUnique: 3,
      opensTotal: 3,
      botOpens: 1,
      clickedUnique: 2,
      clicksTotal: 3,
      botClicks: 1,
      unsubscribed: 1,
      complained: 1,
      reclamations: 1,
      replied: 1,
      leads: 1,
      suppressed: 1,
      skipped: 1,
      failed: 0,
      cancelled: 0,
      pending: 1,
      orders: 2,
      buyers: 2,
      revenue: { RUB: '150.50' },
      rates: {
        deliveryRate: 0.7143,
        bounceRate: 0.2857,
        openRate: 0.6,
        clickRate: 0.4,
        clickToOpenRate: 0.6667,
        unsubscribeRate: 0.2,
        complaintRate: 0.2,
        replyRate: 0.2,
        conversionRate: 0.4,
      },
    });
    const [a, b] = body.variants;
    expect(body.variants).toHaveLength(2);
    expect(a).toMatchObject({
      variant: 'A',
      audience: 4,
      sent: 4,
      delivered: 2,
      hardBounced: 1,
      softBounced: 1,
      openedUnique: 1,
      opensTotal: 2,
      botOpens: 1,
      clickedUnique: 1,
      clicksTotal: 1,
      botClicks: 1,
      unsubscribed: 0,
      orders: 1,
      revenue: { RUB: '100.00' },
    });
    expect(b).toMatchObject({
      variant: 'B',
      audience: 3,
      sent: 3,
      delivered: 3,
      deliveryConfirmed: 1,
      openedUnique: 2,
      opensTotal: 1,
      clickedUnique: 1,
      clicksTotal: 2,
      unsubscribed: 1,
      complained: 1,
      reclamations: 1,
      replied: 1,
      leads: 1,
      orders: 1,
      revenue: { RUB: '50.50' },
    });
    expect(a.rates.openRate).toBe(0.5);
    expect(b.rates.openRate).toBe(0.6667);
    expect(body.links).toEqual([
      { url: L1, linkIndex: 0, clicks: 2, uniqueClicks: 2, botClicks: 1 },
      { url: L2, linkIndex: 1, clicks: 1, uniqueClicks: 1, botClicks: 0 },
    ]);
  });

  it('counts orders over a longer attribution window when asked', async () => {
    const { body } = await get(`/reports/campaigns/${campaignId}?attributionDays=14&runId=${runId}`);
    expect(body.totals).toMatchObject({ orders: 3, buyers: 2, revenue: { RUB: '1149.50' } });
  });

  it('draws the chart in hours of the given time zone, gaps filled', async () => {
    const { body } = await get(`/reports/campaigns/${campaignId}?timeZone=Asia/Yekaterinburg`);
    expect(body.chart.interval).toBe('hour');
    const points = body.chart.points as Array<Record<string, number | string>>;
    // 09:00 UTC is 14:00 in Yekaterinburg (UTC+5).
    expect(points[0]).toMatchObject({ bucket: '2026-11-10T14:00', sent: 6, botOpens: 1, hardBounces: 1 });
    const sum = (key: string) => points.reduce((total, p) => total + (p[key] as number), 0);
    expect([
      sum('sent'),
      sum('opens'),
      sum('clicks'),
      sum('unsubscribes'),
      sum('softBounces'),
      sum('hardBounces'),
      sum('complaints'),
      sum('botOpens'),
    ]).toEqual([6, 3, 3, 1, 1, 1, 1, 1]);
    const hours = points.map((p) => p.bucket as string);
    expect(hours).toEqual([...hours].sort());
    expect(hours.length).toBe(6); // 14:00 (sending) to 19:00 (the last clicks), the empty hours included
  });

  it('exports CSV that parses back to the same numbers', async () => {
    const summary = await get(`/reports/campaigns/${campaignId}/export.csv`);
    expect(summary.status).toBe(200);
    expect(summary.type).toMatch(/^text\/csv/);
    const rows = parse(summary.text, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r.scope)).toEqual(['all', 'variant A', 'variant B']);
    expect(rows[0]).toMatchObject({
      audience: '10',
      sent: '7',
      delivered: '5',
      openedUnique: '3',
      clickedUnique: '2',
      orders: '2',
      revenue_RUB: '150.50',
      openRate: '0.6',
    });
    expect(rows[2]).toMatchObject({ audience: '3', complained: '1', revenue_RUB: '50.50' });
    const links = parse((await get(`/reports/campaigns/${campaignId}/export.csv?section=links`)).text, { bom: true, columns: true });
    expect(links).toEqual([
      { url: L1, link_index: '0', clicks: '2', unique_clicks: '2', bot_clicks: '1' },
      { url: L2, link_index: '1', clicks: '1', unique_clicks: '1', bot_clicks: '0' },
    ]);
    const chart = parse((await get(`/reports/campaigns/${campaignId}/export.csv?section=chart`)).text, {
      bom: true,
      columns: true,
    }) as Array<Record<string, string>>;
    expect(chart.reduce((total, r) => total + Number(r.opens), 0)).toBe(3);
  });

  it('answers bad input with the field, an unknown campaign with 404, and no key with 401', async () => {
    const bad = await get(`/reports/campaigns/${campaignId}?attributionDays=0&timeZone=Mars/Olympus`);
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['query.attributionDays', 'query.timeZone']);
    expect((await get(`/reports/campaigns/${campaignId}?runId=999999`)).body.issues[0].path).toBe('query.runId');
    expect((await get('/reports/campaigns/999999')).status).toBe(404);
    expect((await get(`/reports/campaigns/${campaignId}`, null)).status).toBe(401);
  });
});

describe('the admin reports', () => {
  const range = `from=${at(-5 * DAY).toISOString()}&to=${at(DAY).toISOString()}`;

  it('bounces: by reason, domain and campaign, with the daily trend', async () => {
    const { status, body } = await get(`/reports/bounces?${range}&interval=day&timeZone=UTC`);
    expect(status).toBe(200);
    expect(body.summary).toEqual({ total: 3, hard: 1, soft: 2, addresses: 3 });
    expect(body.byReason).toEqual([
      { reason: 'mailboxfull', hard: false, count: 2 },
      { reason: 'userunknown', hard: true, count: 1 },
    ]);
    expect(body.byDomain).toEqual([
      { domain: 'example.com', count: 2, hard: 1, soft: 1 },
      { domain: 'mail.ru', count: 1, hard: 0, soft: 1 },
    ]);
    expect(body.byCampaign).toEqual([
      { campaignId, name: 'Ноябрьская акция', count: 2, hard: 1, soft: 1 },
      { campaignId: null, name: null, count: 1, hard: 0, soft: 1 },
    ]);
    expect(body.trend.points).toEqual([
      { bucket: '2026-11-08T00:00', hard: 0, soft: 1 },
      { bucket: '2026-11-09T00:00', hard: 0, soft: 0 },
      { bucket: '2026-11-10T00:00', hard: 1, soft: 1 },
    ]);
    const one = await get(`/reports/bounces?${range}&campaignId=${campaignId}`);
    expect(one.body.summary.total).toBe(2);
    expect(one.body.byCampaign).toBeUndefined();
  });

  it('complaints: feedback loop and reclamations with their text, paginated', async () => {
    const first = await get(`/reports/complaints?${range}&limit=1`);
    expect(first.body.summary).toEqual({ feedbackLoop: 1, reclamations: 1, open: 2, resolved: 0 });
    expect(first.body.items).toHaveLength(1);
    expect(first.body.items[0]).toMatchObject({
      kind: 'reclamation',
      text: 'Заказ пришёл <b>разбитым</b>, верните деньги',
      campaignName: 'Ноябрьская акция',
    });
    expect(first.body.next).toBe(first.body.items[0].id);
    const second = await get(`/reports/complaints?${range}&limit=1&before=${first.body.next}`);
    expect(second.body.items[0]).toMatchObject({
      kind: 'feedback_loop',
      feedbackType: 'abuse',
      inboundMessage: { subject: 'Abuse report' },
    });
    const onlyReclamations = await get(`/reports/complaints?${range}&kind=reclamation`);
    expect(onlyReclamations.body.items).toHaveLength(1);
    expect(onlyReclamations.body.next).toBeNull();
  });

  it('base cleanup: what changed, when, why, with the evidence message', async () => {
    const { body } = await get(`/reports/cleanup?${range}`);
    expect(body.summary).toEqual([
      { action: 'invalidated', count: 1, undone: 0 },
      { action: 'unsubscribed', count: 1, undone: 1 },
    ]);
    expect(body.items.map((i: { action: string }) => i.action)).toEqual(['unsubscribed', 'invalidated']);
    const invalidated = body.items[1];
    expect(invalidated).toMatchObject({
      reason: 'hard bounce: 5.1.1 user unknown',
      inboundMessage: { kind: 'bounce', subject: 'Undelivered Mail Returned to Sender' },
    });
    expect(invalidated.inboundMessageId).toEqual(expect.any(String));
    expect((await get(`/reports/cleanup?${range}&undone=true`)).body.items.map((i: { action: string }) => i.action)).toEqual([
      'unsubscribed',
    ]);
  });

  it('leads inbox: newest first, with the customer and the campaign', async () => {
    const { body } = await get('/reports/leads?status=new');
    expect(body.summary).toEqual({ new: 1 });
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      subject: 'Re: Ноябрьская акция',
      text: 'Пришлите счёт на 20 штук',
      campaignName: 'Ноябрьская акция',
      customer: { firstName: 'Имя5' },
    });
  });
});
