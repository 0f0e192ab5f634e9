// Issue 18: the monthly B2B mailing as a new user sends it, with the built-in `b2b-monthly`
// template, the built-in B2B segment, a price list attached and a real SMTP server. The
// template declares its data (month has a default, the price list's name and the catalogue
// link are required), so a campaign without them is refused at scheduling and sends nothing;
// with them every contact gets one complete message, and a recurring campaign names the month
// of each run.
import { simpleParser } from 'mailparser';
import { CampaignsService } from '../../src/campaigns/campaigns.service';
import { PrismaService } from '../../src/database/prisma.service';
import { keyedApi, type KeyedApi } from '../support/api-call';
import { startSmtpSink, waitFor, type SmtpSink } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';
import { receivedAt, templateId } from './campaign-fixtures';

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const CATALOG_URL = 'https://shop.example.com/b2b/catalogue?utm_source=mail';
const DATA = { priceListName: 'Оптовый прайс-лист', catalogUrl: CATALOG_URL };

let t: TestApp;
let api: KeyedApi;
let sink: SmtpSink;
let prisma: PrismaService;
let b2bSegment: number;
let monthly: number;
let recipients: string[];

/** A company with an address and two contact persons, each with email consent. */
async function makeCompany(name: string, prefix: string, locale = 'ru'): Promise<string[]> {
  const withConsent = async (data: Parameters<PrismaService['customer']['create']>[0]['data']) => {
    const row = await prisma.customer.create({ data, select: { id: true, email: true } });
    await prisma.consent.create({ data: { customerId: row.id, channel: 'email', status: 'opted_in', source: 'test' } });
    return row;
  };
  const company = await withConsent({
    kind: 'company',
    companyName: name,
    email: `office@${prefix}.example`,
    locale,
    timeZone: 'Europe/Moscow',
  });
  const contacts = await Promise.all(
    ['Ирина', 'Павел'].map((firstName, i) =>
      withConsent({
        firstName,
        lastName: 'Закупкина',
        email: `buyer${i}@${prefix}.example`,
        companyId: company.id,
        locale,
        timeZone: 'Europe/Moscow',
      }),
    ),
  );
  return [company, ...contacts].map((c) => c.email!);
}

async function createCampaign(extra: Record<string, unknown> = {}) {
  const attachment = await api('POST', '/attachments', {
    filename: 'price-list.xlsx',
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    contentBase64: Buffer.from('PK the price list').toString('base64'),
  });
  expect(attachment.status).toBe(201);
  const created = await api('POST', '/campaigns', {
    name: 'B2B monthly',
    templateId: monthly,
    segmentId: b2bSegment,
    attachmentIds: [attachment.body.id],
    ...extra,
  });
  expect(created.status).toBe(201);
  return created.body as { id: number; status: string; data: Record<string, unknown> };
}

/** The current version of a locale of b2b-monthly, as GET /templates/:id/versions/:versionId shows it. */
async function currentVersion(locale: string) {
  const { body } = await api('GET', `/templates/${monthly}/versions?locale=${locale}`);
  const id = body.items.find((v: { current: boolean }) => v.current).id;
  return (await api('GET', `/templates/${monthly}/versions/${id}`)).body;
}

async function runsOf(campaignId: number) {
  const { body } = await api('GET', `/campaigns/${campaignId}/runs`);
  return body as Array<{ id: number; status: string; statusReason: string | null; occurrenceAt: string; messages: Record<string, number> }>;
}

/** The sink's messages of one campaign run, parsed. */
async function mailsOf(runId: number) {
  const mails = await receivedAt(prisma, sink, { runId });
  return Promise.all(mails.map(async (m) => ({ to: m.to, mail: await simpleParser(m.raw) })));
}

/** An attribute value as a browser reads it (Handlebars escapes `=` and `&`). */
function unescapeHtml(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/** «декабрь 2026»: worded by Intl here, independently of the code under test. */
function monthOf(at: Date, locale = 'ru', timeZone = 'Europe/Moscow') {
  const name = new Intl.DateTimeFormat(locale, { month: 'long', timeZone }).format(at);
  const year = new Intl.DateTimeFormat('en', { year: 'numeric', timeZone }).format(at);
  return `${name} ${year}`;
}

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await startTestApp({
    SMTP_URL: sink.url,
    MAIL_FROM: 'news@shop.example',
    MAIL_FROM_NAME: 'Вектор-Опт',
    FREQUENCY_CAP_PER_WEEK: '0',
  });
  prisma = t.app.get(PrismaService);
  api = keyedApi(t, await t.key('marketer'));
  b2bSegment = (await prisma.segment.findUniqueOrThrow({ where: { key: 'b2b_companies' }, select: { id: true } })).id;
  monthly = await templateId(prisma, 'b2b-monthly');
  recipients = await makeCompany('ООО «Вектор»', 'vector');
});

afterAll(async () => {
  await t?.close();
  await sink?.close();
});

describe('the monthly B2B mailing', () => {
  it('shows what b2b-monthly declares through the templates API', async () => {
    const current = await currentVersion('ru');
    expect(current.dataSchema).toEqual(
      expect.arrayContaining([
        { name: 'month', label: 'Месяц', type: 'text', required: true, default: '{{run.month}}' },
        { name: 'priceListName', label: 'Название прайс-листа', type: 'text', required: true },
        { name: 'catalogUrl', label: 'Ссылка на каталог', type: 'url', required: true },
        expect.objectContaining({ name: 'highlights', type: 'list' }),
      ]),
    );
    expect(current.dataFields).toEqual(expect.arrayContaining(['month', 'priceListName', 'catalogUrl', 'managerName']));
  });

  it('refuses to schedule without the required data, naming each field, and sends nothing', async () => {
    const draft = await createCampaign();
    expect(draft.status).toBe('draft'); // a draft may be saved without them
    const refused = await api('POST', `/campaigns/${draft.id}/schedule`);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('validation_failed');
    // month has a default ({{run.month}}), so it is not missing
    expect(refused.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['data.catalogUrl', 'data.priceListName']);
    expect((await api('GET', `/campaigns/${draft.id}`)).body.status).toBe('draft');
    expect(await runsOf(draft.id)).toEqual([]);
    expect(await prisma.message.count({ where: { campaignId: draft.id } })).toBe(0);
    expect(sink.messages).toHaveLength(0);
    await api('POST', `/campaigns/${draft.id}/cancel`);
  });

  it('refuses an unknown data field and a value of the wrong type, naming the field', async () => {
    const base = { name: 'x', templateId: monthly, segmentId: b2bSegment };
    const unknown = await api('POST', '/campaigns', { ...base, data: { ...DATA, priceListNmae: 'typo' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.issues).toEqual([
      { path: 'data.priceListNmae', message: expect.stringContaining('declares no field "priceListNmae"') },
    ]);
    const badUrl = await api('POST', '/campaigns', { ...base, data: { ...DATA, catalogUrl: 'shop.example.com/catalogue' } });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.issues).toEqual([{ path: 'data.catalogUrl', message: expect.stringContaining('http(s) URL') }]);
    const notAList = await api('POST', '/campaigns', { ...base, data: { ...DATA, highlights: 'Весенняя коллекция' } });
    expect(notAList.status).toBe(400);
    expect(notAList.body.issues.map((i: { path: string }) => i.path)).toEqual(['data.highlights']);
    const draft = await createCampaign();
    const put = await api('PUT', `/campaigns/${draft.id}`, { ...base, data: { month: 12 } });
    expect(put.status).toBe(400);
    expect(put.body.issues.map((i: { path: string }) => i.path)).toEqual(['data.month']);
    await api('POST', `/campaigns/${draft.id}/cancel`);
  });

  it('checks an automation’s data against its template the same way', async () => {
    const trigger = (data: Record<string, unknown>) =>
      api('POST', '/triggers', {
        name: 'Win-back',
        type: 'win_back',
        channels: ['email'],
        template: 'win-back',
        options: { days: 90, data },
      });
    const wrongType = await trigger({ discountPercent: '10%' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.issues).toEqual([{ path: 'options.data.discountPercent', message: 'expected a number' }]);
    const unknown = await trigger({ discount: 10 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.issues.map((i: { path: string }) => i.path)).toEqual(['options.data.discount']);
    expect((await trigger({ discountPercent: 10, shopUrl: 'https://shop.example.com' })).status).toBe(201);
  });

  it('with the data, sends each contact one complete message with a tracked catalogue link', async () => {
    const campaign = await createCampaign({
      data: { ...DATA, highlights: [{ title: 'Новинки', text: '120 позиций' }], managerName: 'Дмитрий Орлов' },
    });
    expect(campaign.data).toMatchObject(DATA);
    expect((await api('POST', `/campaigns/${campaign.id}/schedule`)).status).toBe(201);
    const run = await waitFor(async () => (await runsOf(campaign.id)).find((r) => r.status === 'completed'), 30_000, 'the run completed');
    expect(run.messages).toEqual({ sent: recipients.length });

    const mails = await mailsOf(run.id);
    expect(mails.map((m) => m.to[0]).sort()).toEqual([...recipients].sort()); // each exactly once
    const month = monthOf(new Date(run.occurrenceAt));
    for (const { mail } of mails) {
      expect(mail.subject).toContain(`на ${month}`);
      const html = String(mail.html);
      expect(html).toContain('«Оптовый прайс-лист»');
      expect(html).toContain(`Прайс-лист на ${month}`);
      expect(html).toContain('Дмитрий Орлов');
      for (const hole of ['на для', '«»', 'href=""', 'на  ']) expect(`${mail.subject} ${html}`).not.toContain(hole);
      expect(mail.attachments.map((a) => a.filename)).toEqual(['price-list.xlsx']);
    }
    const company = mails.find((m) => m.to[0] === 'office@vector.example')!;
    expect(company.mail.subject).toContain('для ООО «Вектор»');

    // The button's link is tracked and redirects to the catalogue.
    const hrefs = [...String(mails[0].mail.html).matchAll(/href="(https?:\/\/[^"]+)"/g)].map((m) => unescapeHtml(m[1]));
    const tracked = hrefs.filter((href) => /\/c\//.test(new URL(href).pathname));
    expect(tracked).toHaveLength(1);
    const { pathname, search } = new URL(tracked[0]);
    const click = await fetch(`${t.url}${pathname}${search}`, { redirect: 'manual', headers: { 'user-agent': FIREFOX } });
    expect([301, 302, 303, 307]).toContain(click.status);
    expect(click.headers.get('location')).toBe(CATALOG_URL);
  });

  it('names the month of each run of a recurring campaign, in the campaign zone and each locale', async () => {
    const english = await makeCompany('Northwind Ltd', 'northwind', 'en');
    const campaign = await createCampaign({
      // 01:30 in Moscow on the 1st: still the previous day (and month) in UTC
      schedule: { kind: 'recurring', cron: '30 1 1 * *', timeZone: 'Europe/Moscow' },
      data: DATA,
    });
    const campaigns = t.app.get(CampaignsService);
    await campaigns.schedule(campaign.id, new Date('2026-11-20T00:00:00Z'));
    expect((await api('GET', `/campaigns/${campaign.id}`)).body.nextRunAt).toBe('2026-11-30T22:30:00.000Z');

    const subjects = async (runNumber: number) => {
      const run = await waitFor(
        async () => (await runsOf(campaign.id)).filter((r) => r.status === 'completed')[runNumber],
        30_000,
        `run ${runNumber + 1} completed`,
      );
      return new Map((await mailsOf(run.id)).map((m) => [m.to[0], m.mail.subject ?? '']));
    };
    expect((await campaigns.tick(new Date('2026-11-30T22:30:10Z'))).started).toHaveLength(1);
    const december = await subjects(0);
    expect(december.size).toBe(recipients.length + english.length);
    for (const address of recipients) expect(december.get(address)).toContain('на декабрь 2026');
    for (const address of english) expect(december.get(address)).toContain('for December 2026');

    expect((await campaigns.tick(new Date('2026-12-31T22:30:10Z'))).started).toHaveLength(1);
    const january = await subjects(1);
    for (const address of recipients) expect(january.get(address)).toContain('на январь 2027');
    for (const address of english) expect(january.get(address)).toContain('for January 2027');
    await api('POST', `/campaigns/${campaign.id}/cancel`);
  });

  it('fails a recurring run whose template gained a required field since scheduling, and sends nothing', async () => {
    const campaign = await createCampaign({ schedule: { kind: 'recurring', cron: '0 10 1 * *', timeZone: 'Europe/Moscow' }, data: DATA });
    const campaigns = t.app.get(CampaignsService);
    await campaigns.schedule(campaign.id, new Date('2027-03-20T00:00:00Z'));
    // The campaign is scheduled; the template then gets a version requiring one more field.
    const ru = await currentVersion('ru');
    const saved = await api('POST', `/templates/${monthly}/versions`, {
      locale: 'ru',
      subject: ru.subject,
      preheader: ru.preheader,
      body: ru.body,
      dataSchema: [...ru.dataSchema, { name: 'season', type: 'text', required: true }],
    });
    expect(saved.status).toBe(201);
    try {
      expect((await campaigns.tick(new Date('2027-04-01T07:00:10Z'))).started).toHaveLength(1);
      const run = await waitFor(async () => (await runsOf(campaign.id)).find((r) => r.status === 'failed'), 30_000, 'the run failed');
      expect(run.statusReason).toBe('required data missing: data.season');
      expect(await prisma.message.count({ where: { runId: run.id } })).toBe(0);
    } finally {
      // back to the file's version, for the other tests of this file
      expect((await api('POST', `/templates/${monthly}/locales/ru/reset`)).status).toBeLessThan(300);
    }
  });
});
