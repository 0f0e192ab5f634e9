// Issue 18, pre-flight and test send, through the API to a real SMTP server: a deliberately
// broken campaign gets every problem listed at once and its scheduling refused with nothing
// sent; a recurring run that fails its pre-flight records why, sends nothing and leaves the
// campaign scheduled; a test send arrives marked «[ТЕСТ] » / X-Otklik-Test and changes no
// counter, run or message row. The server starts with no brand and no sender name.
import { simpleParser } from 'mailparser';
import { CampaignsService } from '../../src/campaigns/campaigns.service';
import { PrismaService } from '../../src/database/prisma.service';
import { keyedApi, type KeyedApi } from '../support/api-call';
import { startSmtpSink, waitFor, type SmtpSink } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';
import { makeCustomers, segmentByTag, type FixtureCustomer } from './campaign-fixtures';

let t: TestApp;
let api: KeyedApi;
let admin: KeyedApi;
let sink: SmtpSink;
let prisma: PrismaService;
let segmentId: number;
let people: FixtureCustomer[];

/** A template with six things wrong: see the first test. */
const BROKEN_BODY = `<mjml><mj-body><mj-section><mj-column>
  <mj-text>{{brand.name}}: здравствуйте, {{customer.fristName}}!</mj-text>
  <mj-text>Актуальный прайс-лист во вложении.</mj-text>
  <mj-button href="{{data.catalogUrl}}">Каталог</mj-button>
  <mj-text><a href="shop.example/delivery">Доставка</a> <a href="{{unsubscribeUrl}}">Отписаться</a></mj-text>
</mj-column></mj-section></mj-body></mjml>`;

const GOOD_BODY = `<mjml><mj-body><mj-section><mj-column>
  <mj-text>{{brand.name}}: здравствуйте, {{firstName default="клиент"}}! Новинки на {{run.month}}.</mj-text>
  <mj-button href="{{track data.catalogUrl}}">Каталог</mj-button>
  <mj-text><a href="{{unsubscribeUrl}}">Отписаться</a></mj-text>
</mj-column></mj-section></mj-body></mjml>`;

async function template(key: string, subject: string, body: string) {
  const created = await api('POST', '/templates', {
    key,
    name: key,
    channel: 'email',
    locale: 'ru',
    subject,
    body,
    dataSchema: [
      { name: 'headline', type: 'text' },
      { name: 'catalogUrl', type: 'url', required: true },
    ],
  });
  expect(created.status).toBe(201);
  return created.body.id as number;
}

async function runsOf(campaignId: number) {
  const { body } = await api('GET', `/campaigns/${campaignId}/runs`);
  return body as Array<{ id: number; status: string; statusReason: string | null; messages: Record<string, number> }>;
}

async function setBrandName(name: string | null) {
  expect((await admin('PUT', '/settings/brand', { name })).status).toBe(200);
}

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await startTestApp({ SMTP_URL: sink.url, MAIL_FROM: 'news@shop.example', MAIL_FROM_NAME: '', FREQUENCY_CAP_PER_WEEK: '1' });
  prisma = t.app.get(PrismaService);
  api = keyedApi(t, await t.key('marketer'));
  admin = keyedApi(t, await t.key('admin'));
  people = await makeCustomers(prisma, 'preflight', 3);
  // the longest profile: the pre-flight renders it whatever the random picks are
  await prisma.customer.update({ where: { id: people[2].id }, data: { companyName: 'ООО «Очень длинное название компании»' } });
  segmentId = await segmentByTag(prisma, 'preflight');
});

afterAll(async () => {
  await t?.close();
  await sink?.close();
});

describe('pre-flight', () => {
  it('lists every problem of a broken campaign at once, and scheduling it is refused with nothing sent', async () => {
    const broken = await template('preflight-broken', '{{data.headline}}', BROKEN_BODY);
    const created = await api('POST', '/campaigns', { name: 'broken', templateId: broken, segmentId });
    expect(created.status).toBe(201);
    const id = created.body.id as number;

    const report = await api('POST', `/campaigns/${id}/preflight`);
    expect(report.status).toBe(200);
    expect(report.body.ok).toBe(false);
    const problems = report.body.problems as Array<{ code: string; severity: string; field?: string; recipient?: { customerId: number } }>;
    const errors = problems.filter((p) => p.severity === 'error').map((p) => `${p.code} ${p.field}`);
    expect(errors).toEqual(
      expect.arrayContaining([
        'data_missing data.catalogUrl', // required, no value, no default
        'brand_unset brand.name', // printed, no brand and no sender name
        'unknown_variable customer.fristName',
        'subject_empty subject', // the subject is only data.headline, not given
        'link_invalid href', // «shop.example/delivery» is no absolute http(s) URL
        'attachment_missing attachmentIds', // «прайс-лист во вложении», nothing attached
      ]),
    );
    expect(new Set(problems.map((p) => p.code)).size).toBeGreaterThanOrEqual(6);
    // the catalogue button renders href="" (its URL is missing): a warning beside the data error
    expect(problems).toContainEqual(
      expect.objectContaining({ code: 'link_invalid', severity: 'warning', message: expect.stringContaining('href=""') }),
    );
    // the samples are real recipients of the segment, the longest profile among them
    const sampled = (report.body.samples as Array<{ customerId: number; sample: string }>).map((s) => s.customerId);
    expect(sampled).toContain(people[2].id);
    for (const customerId of sampled) expect(people.map((p) => p.id)).toContain(customerId);
    expect(problems.find((p) => p.code === 'subject_empty')?.recipient?.customerId).toEqual(expect.any(Number));

    // the check changed nothing
    expect((await api('GET', `/campaigns/${id}`)).body.status).toBe('draft');

    const refused = await api('POST', `/campaigns/${id}/schedule`);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('validation_failed');
    expect(refused.body.issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(['data.catalogUrl', 'brand.name', 'customer.fristName', 'subject', 'href', 'attachmentIds']),
    );
    expect((await api('GET', `/campaigns/${id}`)).body.status).toBe('draft');
    expect(await runsOf(id)).toEqual([]);
    expect(await prisma.message.count({ where: { campaignId: id } })).toBe(0);
    expect(sink.messages).toHaveLength(0);
    await api('POST', `/campaigns/${id}/cancel`);
  });

  it('fails a recurring run whose pre-flight fails (the brand was cleared), sends nothing, and keeps the campaign scheduled', async () => {
    await setBrandName('Вектор');
    const good = await template('preflight-good', 'Новинки {{brand.name}}', GOOD_BODY);
    const created = await api('POST', '/campaigns', {
      name: 'monthly',
      templateId: good,
      segmentId,
      data: { catalogUrl: 'https://shop.example/catalogue' },
      schedule: { kind: 'recurring', cron: '0 10 1 * *', timeZone: 'Europe/Moscow' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    const clean = await api('POST', `/campaigns/${id}/preflight`);
    expect(clean.body).toMatchObject({ ok: true });
    const campaigns = t.app.get(CampaignsService);
    await campaigns.schedule(id, new Date('2027-02-20T00:00:00Z'));

    await setBrandName(null);
    expect((await campaigns.tick(new Date('2027-03-01T07:00:10Z'))).started).toHaveLength(1);
    const run = await waitFor(async () => (await runsOf(id)).find((r) => r.status === 'failed'), 30_000, 'the run failed its pre-flight');
    expect(run.statusReason).toMatch(/^pre-flight failed: brand_unset \(brand\.name\)/);
    expect(await prisma.message.count({ where: { runId: run.id } })).toBe(0);
    const campaign = (await api('GET', `/campaigns/${id}`)).body;
    expect(campaign.status).toBe('scheduled');
    expect(campaign.nextRunAt).toBe('2027-04-01T07:00:00.000Z');
    expect(campaign.statusReason).toContain(`run ${run.id} failed`);
    // the report (and so the admin campaign page) shows the reason on the run
    const report = await api('GET', `/reports/campaigns/${id}`);
    expect(report.body.runs).toEqual([expect.objectContaining({ id: run.id, status: 'failed', statusReason: run.statusReason })]);
    expect(sink.messages).toHaveLength(0);
    await api('POST', `/campaigns/${id}/cancel`);
  });
});

describe('an SMS campaign', () => {
  it('is refused over its segment budget, naming the recipient whose text is too long; a test SMS goes to a given phone', async () => {
    await setBrandName('Вектор');
    const long = await prisma.customer.create({
      data: {
        firstName: 'Константин',
        patronymic: 'Вячеславович',
        companyName: 'ООО «Северо-Западная торговая компания»',
        phone: '+79161110101',
        tags: ['preflight-sms'],
        locale: 'ru',
      },
    });
    const short = await prisma.customer.create({ data: { firstName: 'Ян', phone: '+79161110102', tags: ['preflight-sms'], locale: 'ru' } });
    for (const c of [long, short])
      await prisma.consent.create({ data: { customerId: c.id, channel: 'sms', status: 'opted_in', source: 'test' } });
    const sms = await api('POST', '/templates', {
      key: 'preflight-sms',
      name: 'preflight sms',
      channel: 'sms',
      locale: 'ru',
      maxSegments: 1,
      body: '{{brand.name}}: {{firstName}} {{customer.patronymic}}, для {{customer.companyName}} скидка 10% до конца недели.',
    });
    expect(sms.status).toBe(201);
    const created = await api('POST', '/campaigns', {
      name: 'sms',
      channel: 'sms',
      templateId: sms.body.id,
      segmentId: await segmentByTag(prisma, 'preflight-sms'),
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    const report = await api('POST', `/campaigns/${id}/preflight`);
    expect(report.body.ok).toBe(false);
    // the longest profile overflows one UCS-2 segment (70 units); the emptiest fits
    expect(report.body.problems).toEqual([
      expect.objectContaining({
        code: 'sms_too_long',
        severity: 'error',
        field: 'text',
        recipient: { customerId: long.id, sample: 'longest' },
      }),
    ]);
    expect((await api('POST', `/campaigns/${id}/schedule`)).status).toBe(400);

    const noPhone = await api('POST', `/campaigns/${id}/test-send`, { customerId: short.id });
    expect(noPhone.status).toBe(400);
    expect(noPhone.body.issues.map((i: { path: string }) => i.path)).toEqual(['to']);
    const sent = await api('POST', `/campaigns/${id}/test-send`, { customerId: short.id, to: '8 916 222-33-44' });
    expect(sent.status).toBe(200);
    expect(sent.body.to).toBe('+79162223344');
    const captured = await prisma.outboxMessage.findFirstOrThrow({ where: { channel: 'sms', toAddress: '+79162223344' } });
    expect(captured.text).toMatch(/^\[ТЕСТ\] Вектор: Ян /);
    expect(captured.messageId).toBeNull();
    expect(await prisma.message.count({ where: { campaignId: id } })).toBe(0);
  });
});

describe('test send', () => {
  it('sends the real render marked as a test, outside counters, runs and messages', async () => {
    await setBrandName('Вектор');
    const good = await template('preflight-test-send', 'Новинки {{brand.name}} для {{firstName}}', GOOD_BODY);
    const created = await api('POST', '/campaigns', {
      name: 'to test',
      templateId: good,
      segmentId,
      data: { catalogUrl: 'https://shop.example/catalogue' },
    });
    const id = created.body.id as number;
    const messagesBefore = await prisma.message.count();

    const sent = await api('POST', `/campaigns/${id}/test-send`, { customerId: people[1].id, to: 'qa@agency.example' });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({
      to: 'qa@agency.example',
      customerId: people[1].id,
      subject: `[ТЕСТ] Новинки Вектор для ${people[1].firstName}`,
    });
    const arrived = await waitFor(async () => sink.messages.find((m) => m.to.includes('qa@agency.example')), 10_000, 'the test message');
    const mail = await simpleParser(arrived.raw);
    expect(mail.subject).toBe(`[ТЕСТ] Новинки Вектор для ${people[1].firstName}`);
    expect(mail.headers.get('x-otklik-test')).toBe('1');
    expect(arrived.otklikId).toBeNull(); // no Message row behind it
    expect(String(mail.html)).toContain('https://shop.example/catalogue'); // the link, untracked

    // default address: the sender's own; default customer: one of the campaign's recipients
    const own = await api('POST', `/campaigns/${id}/test-send`, {});
    expect(own.status).toBe(200);
    expect(own.body.to).toBe('news@shop.example');
    expect(people.map((p) => p.id)).toContain(own.body.customerId);
    await waitFor(async () => sink.messages.find((m) => m.to.includes('news@shop.example')), 10_000, 'the test to the sender');

    expect(await prisma.message.count()).toBe(messagesBefore);
    expect(await runsOf(id)).toEqual([]);
    expect((await api('GET', `/campaigns/${id}`)).body.status).toBe('draft');
    const stats = await api('GET', `/reports/campaigns/${id}`);
    expect(stats.body.totals).toMatchObject({ audience: 0, sent: 0 });

    const unknown = await api('POST', `/campaigns/${id}/test-send`, { customerId: 999999 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.issues.map((i: { path: string }) => i.path)).toEqual(['customerId']);
    const badAddress = await api('POST', `/campaigns/${id}/test-send`, { to: 'not an address' });
    expect(badAddress.status).toBe(400);
    expect(badAddress.body.issues.map((i: { path: string }) => i.path)).toEqual(['to']);
    const extra = await api('POST', `/campaigns/${id}/test-send`, { email: 'qa@agency.example' });
    expect(extra.status).toBe(400);

    // the frequency cap (1 a week) was not spent by the tests: the real send reaches everyone
    expect((await api('POST', `/campaigns/${id}/schedule`)).status).toBe(201);
    const run = await waitFor(async () => (await runsOf(id)).find((r) => r.status === 'completed'), 30_000, 'the real run completed');
    expect(run.messages).toEqual({ sent: people.length });
  });
});

describe('triggers', () => {
  it('refuses to activate an automation whose template prints an unset brand, naming the field', async () => {
    await setBrandName(null);
    const trigger = (active: boolean) =>
      api('POST', '/triggers', {
        name: 'Shipped',
        type: 'order_status',
        channels: ['sms'],
        template: 'order-shipped',
        active,
        options: { orderStatus: 'shipped' },
      });
    const refused = await trigger(true);
    expect(refused.status).toBe(400);
    expect(refused.body.issues.map((i: { path: string }) => i.path)).toEqual(['brand.name']);
    const inactive = await trigger(false);
    expect(inactive.status).toBe(201);
    expect((await api('PATCH', `/triggers/${inactive.body.id}`, { active: true })).status).toBe(400);
    await setBrandName('Вектор');
    expect((await api('PATCH', `/triggers/${inactive.body.id}`, { active: true })).status).toBe(200);
  });
});
