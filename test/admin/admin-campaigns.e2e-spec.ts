// The campaign wizard, its check step, the campaigns list and the report, in real Chromium, in
// Russian, as a marketer: the monthly B2B campaign with its template's data fields, a price
// list attached and a monthly schedule in Europe/Moscow; a test send that a real SMTP server
// receives with the data filled in and the file attached; a broken campaign the pre-flight
// stops, each problem said in Russian; a finished campaign's rates on the list and the report,
// over a chosen period. Set-up data comes from services and Prisma; the actions are clicks.
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { PrismaService } from '../../src/database/prisma.service';
import { DocumentsService } from '../../src/documents/documents.service';
import { TemplateEditorService } from '../../src/templates/template-editor.service';
import { makeCustomers, segmentByTag } from '../campaigns/campaign-fixtures';
import { startSmtpSink, waitFor, type SmtpSink } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';
import { browserIt, createUser, launchBrowser, SCREENSHOTS, signIn, waitForFrameText } from './admin-browser';

let t: TestApp;
let sink: SmtpSink;
let prisma: PrismaService;
let browser: Browser | null;
let templateId: number;
let segmentId: number;
let documentId: number;

const BODY = `<mjml><mj-body><mj-section><mj-column>
  <mj-text>Здравствуйте, {{firstName default="коллега"}}! {{data.offer}} — предложение действует до {{data.deadline}}.</mj-text>
  <mj-text>Актуальный прайс-лист во вложении.</mj-text>
  {{#if data.promoLink}}<mj-button href="{{data.promoLink}}">Подробнее об акции</mj-button>{{/if}}
  <mj-text><a href="{{unsubscribeUrl}}">Отписаться</a></mj-text>
</mj-column></mj-section></mj-body></mjml>`;

/** Whitespace as a reader sees it (Intl puts no-break spaces in numbers and before %). */
const plain = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await startTestApp({ SMTP_URL: sink.url, MAIL_FROM: 'news@shop.example', FREQUENCY_CAP_PER_WEEK: '0' });
  prisma = t.app.get(PrismaService);
  browser = await launchBrowser();
  await makeCustomers(prisma, 'b2b-wizard', 3);
  segmentId = await segmentByTag(prisma, 'b2b-wizard');
  const template = await t.app.get(TemplateEditorService).create(
    {
      key: 'b2b-month-offer',
      name: 'B2B: предложение месяца',
      channel: 'email',
      locale: 'ru',
      subject: 'Предложение месяца: {{data.offer}}',
      body: BODY,
      dataSchema: [
        { name: 'offer', label: 'Предложение месяца', type: 'text', required: true },
        { name: 'deadline', label: 'Действует до', type: 'date', required: true },
        { name: 'promoLink', label: 'Ссылка на акцию', type: 'text' },
      ],
    },
    'test',
  );
  templateId = template.id;
  const document = await t.app
    .get(DocumentsService)
    .create(
      { kind: 'attachment', name: 'Прайс-лист (опт)' },
      { filename: 'price-list.csv', contentType: 'text/csv', data: Buffer.from('Товар;Цена\nБолт М8;12,50\n', 'utf8') },
    );
  documentId = document.id;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  await sink?.close();
});

async function shoot(page: Page, name: string): Promise<void> {
  for (const width of [1366, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
    if (width === 390) expect([name, (await page.evaluate('document.documentElement.scrollWidth')) as number]).toEqual([name, 390]);
  }
  await page.setViewportSize({ width: 1366, height: 900 });
}

const field = (page: Page, name: string) => page.locator(`[id="${name}"]`);

describe('admin UI: the campaign wizard', () => {
  browserIt(
    'a marketer sets up the monthly B2B campaign, sends a test that arrives with the data and the price list, and schedules it',
    async () => {
      const page = await signIn(browser!, t, await createUser(t, 'marketer'));
      await page.setViewportSize({ width: 1366, height: 900 });
      await page.click('nav a[href="/admin/campaigns"]');
      await page.click('[data-test=new-campaign]');
      expect(await page.locator('h1').textContent()).toBe('Новая рассылка');
      await page.fill('#name', 'Прайс-лист для партнёров');
      await page.selectOption('#templateId', String(templateId));
      // The template's declared fields, by their labels; the other templates' fields are hidden.
      await expect(page.locator('label[for="data.offer"]').textContent()).resolves.toContain('Предложение месяца');
      await page.locator('label[for="data.deadline"]').waitFor({ state: 'visible' });
      await page.locator('label[for="data.priceListName"]').waitFor({ state: 'hidden' });
      await field(page, 'data.offer').fill('Скидка 7% на крепёж');
      await field(page, 'data.deadline').fill('2026-12-31');
      await page.locator('[data-test=preview-subject]', { hasText: 'Скидка 7% на крепёж' }).waitFor({ timeout: 45_000 });
      // The frame shows the letter with the typed data (it reloads as the fields change: wait for
      // the text, not for the first body).
      await waitForFrameText(page, '#preview iframe', 'Скидка 7% на крепёж — предложение действует до 2026-12-31');
      await page.selectOption('#segmentId', String(segmentId));
      await page.locator('[data-test=reach]', { hasText: /3 получател/ }).waitFor();
      await page.check(`input[name=attach][value="${documentId}"]`);
      await page.check('input[name=scheduleKind][value=monthly]');
      expect(await page.locator('#monthDay').isVisible()).toBe(true);
      expect(await page.locator('#at').isVisible()).toBe(false);
      await page.selectOption('#monthDay', '1');
      await page.fill('#time', '10:00');
      await page.fill('#timeZone', 'Europe/Moscow');
      await shoot(page, 'campaign-wizard');
      await Promise.all([
        page.waitForURL(/\/admin\/campaigns\/\d+\/review\?done=created$/, { timeout: 30_000 }),
        page.click('[data-test=campaign-form] button[type=submit]'),
      ]);
      const id = Number(/campaigns\/(\d+)/.exec(page.url())![1]);
      const stored = await prisma.campaign.findUniqueOrThrow({ where: { id }, include: { attachments: true } });
      expect(stored).toMatchObject({
        status: 'draft',
        scheduleKind: 'recurring',
        cron: '0 10 1 * *',
        timeZone: 'Europe/Moscow',
        data: { offer: 'Скидка 7% на крепёж', deadline: '2026-12-31' },
      });
      expect(stored.attachments.map((a) => a.attachmentId)).toEqual([documentId]);

      // The check step: what goes out, no pre-flight error, the question naming the audience.
      expect(plain(await page.locator('[data-test=schedule]').textContent())).toContain('каждый месяц, 1-го числа в 10:00 (Europe/Moscow)');
      expect(plain(await page.locator('[data-test=documents]').textContent())).toContain('price-list.csv');
      expect(await page.locator('[data-test=preflight-ok]').isVisible()).toBe(true);
      expect(plain(await page.locator('[data-test=question]').textContent())).toBe('Запланировать отправку 3 получателям?');

      await page.fill('#to', 'buyer@partner.example');
      await Promise.all([
        page.waitForURL(new RegExp(`/admin/campaigns/${id}/review$`), { timeout: 30_000 }),
        page.click('[data-test=test-form] button'),
      ]);
      expect(plain(await page.locator('.notice.ok').first().textContent())).toContain('Тест отправлен на buyer@partner.example');
      const received = await waitFor(() => sink.messages.find((m) => m.to.includes('buyer@partner.example')), 20_000, 'the test message');
      const mail = await simpleParser(received.raw);
      expect(mail.subject).toBe('[ТЕСТ] Предложение месяца: Скидка 7% на крепёж');
      expect(mail.text).toContain('предложение действует до 2026-12-31');
      expect(mail.attachments.map((a) => a.filename)).toEqual(['price-list.csv']);
      expect(mail.attachments[0].content.toString('utf8')).toContain('Болт М8;12,50');
      await shoot(page, 'campaign-review');

      await Promise.all([
        page.waitForURL(new RegExp(`/admin/campaigns/${id}\\?done=scheduled$`)),
        page.click('[data-test=confirm-button]'),
      ]);
      expect(await page.locator('[data-test=campaign-status]').textContent()).toBe('запланирована');
      expect((await prisma.campaign.findUniqueOrThrow({ where: { id } })).nextRunAt).not.toBeNull();
      await page.context().close();
    },
    150_000,
  );

  browserIt(
    'a bad form names the field and keeps what was typed; a broken campaign is stopped by the pre-flight, each problem said in Russian',
    async () => {
      const page = await signIn(browser!, t, await createUser(t, 'marketer'));
      await page.goto(`${t.url}/admin/campaigns/new`);
      await page.fill('#name', 'Сломанная рассылка');
      await page.selectOption('#templateId', String(templateId));
      await page.selectOption('#segmentId', String(segmentId));
      await field(page, 'data.deadline').fill('2026-12-31');
      await field(page, 'data.promoLink').fill('javascript:alert(1)');
      await page.check('input[name=scheduleKind][value=at]');
      await page.click('[data-test=campaign-form] button[type=submit]');
      // Refused on the form: the field named beside it, everything typed kept.
      expect(await page.locator('[data-test=error-at]').textContent()).toBe('обязательное поле');
      expect(plain(await page.locator('.notice.error').textContent())).toContain('«Дата и время»: обязательное поле');
      expect(await page.inputValue('#name')).toBe('Сломанная рассылка');
      expect(await field(page, 'data.promoLink').inputValue()).toBe('javascript:alert(1)');
      expect(await page.locator('#at').isVisible()).toBe(true);
      await page.check('input[name=scheduleKind][value=now]');
      await Promise.all([
        page.waitForURL(/\/review\?done=created$/, { timeout: 30_000 }),
        page.click('[data-test=campaign-form] button[type=submit]'),
      ]);

      const problems = page.locator('[data-test=problem]');
      const byCode = async (code: string) => plain(await page.locator(`[data-test=problem][data-code=${code}]`).first().textContent());
      expect(await problems.count()).toBeGreaterThanOrEqual(3);
      expect(await byCode('data_missing')).toContain(
        'Не заполнено обязательное поле данных «Предложение месяца»: у него нет ни значения, ни значения по умолчанию.',
      );
      expect(await byCode('link_invalid')).toContain('Ссылка ведёт на «javascript:alert(1)» — это не полный адрес http(s)');
      expect(await byCode('link_invalid')).toMatch(/Пример: клиент №\d+ \((случайный выбор|самый длинный профиль|самый пустой профиль)\)/);
      expect(await byCode('attachment_missing')).toContain('В письме написано «прайс-лист»');
      expect(await byCode('attachment_missing')).toContain('Поле: Вложения.');
      // No confirmation: the page says why.
      expect(await page.locator('[data-test=confirm-button]').count()).toBe(0);
      expect(await page.locator('[data-test=blocked]').textContent()).toContain('Запланировать нельзя');
      await shoot(page, 'campaign-review-blocked');
      await page.context().close();
    },
    60_000,
  );
});

describe('admin UI: campaign results', () => {
  browserIt('a finished campaign shows its rates on the list and its report, over all time and over the last 30 days', async () => {
    const people = await makeCustomers(prisma, 'done-ui', 7);
    const now = Date.now();
    const campaign = await prisma.campaign.create({
      data: {
        name: 'Осенний прайс',
        channel: 'email',
        status: 'completed',
        templateId,
        segmentId,
        abTest: {
          variants: [
            { key: 'A', templateId },
            { key: 'B', templateId },
          ],
          samplePercent: 20,
          metric: 'open',
          decideAfterMinutes: 60,
        },
      },
    });
    const run = async (daysAgo: number, winner: string | null) =>
      prisma.campaignRun.create({
        data: {
          campaignId: campaign.id,
          occurrenceAt: new Date(now - daysAgo * 86_400_000),
          status: 'completed',
          startedAt: new Date(now - daysAgo * 86_400_000),
          finishedAt: new Date(now - daysAgo * 86_400_000 + 600_000),
          abWinner: winner,
        },
      });
    const recent = await run(2, 'B');
    const old = await run(60, null);
    const sentAt = new Date(now - 2 * 86_400_000 + 60_000);
    const message = (i: number, runId: number, extra: Record<string, unknown> = {}) =>
      prisma.message.create({
        data: { campaignId: campaign.id, runId, customerId: people[i].id, channel: 'email', status: 'sent', sentAt, ...extra },
      });
    // The recent run: five sent, one hard bounce, two opened, one of them clicked; A and B.
    const m0 = await message(0, recent.id, { variant: 'A', openedAt: sentAt, clickedAt: sentAt });
    await message(1, recent.id, { variant: 'A', openedAt: sentAt });
    await message(2, recent.id, { variant: 'B' });
    await message(3, recent.id, { variant: 'B' });
    const bounced = await message(4, recent.id, { variant: 'A', status: 'hard_bounced' });
    // The old run: two sent, nothing opened.
    await message(5, old.id, { sentAt: new Date(now - 60 * 86_400_000) });
    await message(6, old.id, { sentAt: new Date(now - 60 * 86_400_000) });
    await prisma.trackingEvent.create({
      data: {
        type: 'click',
        messageId: m0.id,
        campaignId: campaign.id,
        customerId: people[0].id,
        url: 'https://shop.example.com/autumn',
        at: sentAt,
      },
    });
    await prisma.bounce.create({
      data: {
        address: people[4].email,
        domain: 'example.com',
        hard: true,
        reason: 'userunknown',
        customerId: people[4].id,
        campaignId: campaign.id,
        messageId: bounced.id,
        at: sentAt,
      },
    });
    await prisma.order.create({
      data: {
        customerId: people[0].id,
        externalId: 'AUT-1',
        total: '15000',
        currency: 'RUB',
        status: 'paid',
        orderedAt: new Date(sentAt.getTime() + 3_600_000),
      },
    });

    const page = await signIn(browser!, t, await createUser(t, 'viewer'));
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.goto(`${t.url}/admin/campaigns`);
    expect(await page.locator(`[data-test=status-${campaign.id}]`).textContent()).toBe('завершена');
    expect(await page.locator(`[data-test=sent-${campaign.id}]`).textContent()).toBe('7');
    // Per delivered: 2 of 6 opened, 1 of 6 clicked.
    expect(plain(await page.locator(`[data-test=open-rate-${campaign.id}]`).textContent())).toBe('33,3 %');
    expect(plain(await page.locator(`[data-test=click-rate-${campaign.id}]`).textContent())).toBe('16,7 %');
    await shoot(page, 'campaigns-list');

    await page.click(`main a[href="/admin/campaigns/${campaign.id}"]`);
    expect(await page.locator('[data-test=sent]').textContent()).toBe('7');
    expect(plain(await page.locator('[data-test=open-rate]').textContent())).toBe('33,3 %');
    expect(plain(await page.locator('[data-test=click-rate]').textContent())).toBe('16,7 %');
    expect(plain(await page.locator('[data-test=bounce-rate]').textContent())).toBe('14,3 %');
    expect(plain(await page.locator('[data-test=delivery-rate]').textContent())).toBe('85,7 %');
    expect(plain(await page.locator('[data-test=revenue]').textContent())).toContain('15 000,00');
    expect(plain(await page.locator('[data-test=variants]').innerText())).toContain('B победитель');
    expect(await page.locator('[data-test=links]').textContent()).toContain('https://shop.example.com/autumn');
    expect(plain(await page.locator('[data-test=bounces]').innerText())).toContain(`${people[4].email} постоянная нет такого ящика`);
    await shoot(page, 'campaign-report-rates');

    // The last 30 days hold only the recent run: 2 of 4 delivered opened, 1 clicked.
    await Promise.all([page.waitForURL(/from=\d{4}-\d\d-\d\d&to=/), page.click('[data-test=range-30]')]);
    expect(await page.locator('[data-test=sent]').textContent()).toBe('5');
    expect(plain(await page.locator('[data-test=open-rate]').textContent())).toBe('50,0 %');
    expect(plain(await page.locator('[data-test=click-rate]').textContent())).toBe('25,0 %');
    expect(await page.locator('[data-test=range-note]').textContent()).toContain('Учтены запуски, начатые в этот период');
    // A period typed by hand: before the old run, nothing.
    await page.fill('#from', '2020-01-01');
    await page.fill('#to', '2020-01-31');
    await Promise.all([page.waitForURL(/from=2020-01-01&to=2020-01-31/), page.click('[data-test=range] button')]);
    expect(await page.locator('[data-test=sent]').textContent()).toBe('0');
    expect(await page.inputValue('#from')).toBe('2020-01-01');
    await page.context().close();
  });
});
