// The customer pages in real headless Chromium, in Russian: the search (a phone written any way,
// «Имя Фамилия» in either order, a company's name), the editable card (a refused email named on the
// form with the other typed values kept, then saved), consent changed by hand and seen on the card
// and in the timeline as a sentence, the export download, erasure for admins only, and a viewer's
// read-only card. Set-up data goes through the services and Prisma; the actions under test are
// clicks and typing. Screenshots at 1366 and 390 px.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CustomersService } from '../../src/customers/customers.service';
import { OrdersService } from '../../src/customers/orders/orders.service';
import { PrismaService } from '../../src/database/prisma.service';
import { runningCampaign } from '../feedback/feedback-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { browserIt, createUser, launchBrowser, SCREENSHOTS, signIn } from './admin-browser';

let t: TestApp;
let prisma: PrismaService;
let browser: Browser | null;
const ids = { ivan: 0, company: 0, other: 0 };

beforeAll(async () => {
  t = await startTestApp();
  prisma = t.app.get(PrismaService);
  browser = await launchBrowser();
  const customers = t.app.get(CustomersService);
  const company = await customers.create({ kind: 'company', companyName: 'ООО Вектор', email: 'office@vector.example' }, 'test');
  ids.company = company.id;
  const ivan = await customers.create(
    {
      firstName: 'Иван',
      patronymic: 'Сергеевич',
      lastName: 'Петров',
      email: 'ivan.petrov@example.com',
      phone: '+7 916 123-45-67',
      companyId: company.id,
      position: 'закупщик',
      tags: ['VIP'],
      attributes: { city: 'Москва', ltv: 5 },
      consents: { email: { status: 'opted_in', source: 'checkout' }, sms: { status: 'opted_in', source: 'checkout' } },
    },
    'test',
  );
  ids.ivan = ivan.id;
  // Namesakes the search must not return for «Иван Петров».
  await customers.create({ firstName: 'Иван', lastName: 'Сидоров', email: 'sidorov@example.com', phone: '+79161234500' }, 'test');
  await customers.create({ firstName: 'Анна', lastName: 'Петрова', email: 'anna.p@example.com' }, 'test');
  ids.other = (await customers.create({ firstName: 'Олег', lastName: 'Удаляемый', email: 'erase.me@example.com' }, 'test')).id;

  await t.app.get(OrdersService).create({ customerId: ivan.id, externalId: 'A-1042', total: '5400', status: 'paid' });
  await prisma.customer.update({
    where: { id: ivan.id },
    data: {
      rfmRecency: 5,
      rfmFrequency: 4,
      rfmMonetary: 5,
      rfmCell: '545',
      rfmGroup: 'champions',
      abcClass: 'A',
      xyzClass: 'X',
      rating: 'A',
      scoredAt: new Date(),
    },
  });
  const autumn = await runningCampaign(prisma, 'Осенняя распродажа');
  await prisma.message.create({
    data: {
      channel: 'email',
      customerId: ivan.id,
      campaignId: autumn.campaignId,
      runId: autumn.runId,
      status: 'delivered',
      sentAt: new Date(),
    },
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function search(page: Page, query: string): Promise<string[]> {
  await page.fill('input[name=q]', query);
  await Promise.all([page.waitForURL(/\/admin\/customers\?q=/), page.click('[data-test=customer-search] button')]);
  return page.locator('[data-test=customer-link]').allTextContents();
}

async function fitsPhone(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 390, height: 844 });
  expect([name, (await page.evaluate('document.documentElement.scrollWidth')) as number]).toEqual([name, 390]);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-390.png`), fullPage: true });
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-1366.png`), fullPage: true });
}

describe('admin UI: customers', () => {
  browserIt(
    'a marketer finds a customer by phone and by name, edits the card, sees a bad email refused on the form, opts out of SMS',
    async () => {
      const marketer = await createUser(t, 'marketer');
      const page = await signIn(browser!, t, marketer);
      await page.click('nav a[href="/admin/customers"]');

      // The search: a phone written the Russian way, «Имя Фамилия» in either order, a company's name.
      expect(await search(page, '8 (916) 123-45-67')).toEqual(['Иван Петров']);
      expect(await search(page, 'Иван Петров')).toEqual(['Иван Петров']);
      expect(await search(page, 'Петров Иван')).toEqual(['Иван Петров']);
      expect(await search(page, 'петров иван сергеевич')).toEqual(['Иван Петров']);
      expect((await search(page, 'Вектор')).sort()).toEqual(['Иван Петров', 'ООО Вектор']);
      expect(await page.locator('main table').textContent()).toContain('vip');
      await fitsPhone(page, 'customers-search');
      await Promise.all([page.waitForURL(new RegExp(`/admin/customers/${ids.ivan}$`)), page.click('text=Иван Петров')]);

      // The card: the company as a link, orders and scoring as words, the timeline as sentences.
      expect(await page.locator('h1').textContent()).toBe('Клиент: Иван Сергеевич Петров');
      expect(await page.locator('[data-test=company-link]').textContent()).toBe('ООО Вектор');
      expect(await page.locator('[data-test=order-count]').textContent()).toBe('1');
      expect(await page.locator('[data-test=order-sum]').textContent()).toBe('5\u00a0400\u00a0₽');
      expect(await page.locator('[data-test=rfm]').textContent()).toContain('чемпионы');
      expect(await page.locator('[data-test=rating]').innerText()).toBe('A — лучшие клиенты');
      expect(await page.locator('[data-test=xyz]').innerText()).toBe('X — стабильный спрос');
      const timeline = page.locator('[data-test=timeline]');
      expect(await timeline.textContent()).toContain('Письмо «Осенняя распродажа» доставлено');
      expect(await timeline.textContent()).toContain('Заказ №A-1042 на 5\u00a0400\u00a0₽: оплачен');
      expect(await timeline.textContent()).toContain('Согласие на SMS: дано (источник: checkout)');
      expect(await timeline.textContent()).not.toContain('{');

      // A bad email is refused beside its field; what else was typed stays on the form; nothing is saved.
      await page.fill('#f-lastName', 'Петров-Водкин');
      await page.fill('#f-birthday', '1985-03-12');
      await page.fill('#f-email', 'ivan.petrov.example.com');
      await page.fill('#f-tags', 'VIP, Опт ');
      await page.click('[data-test=customer-form] button[type=submit]');
      expect(await page.locator('[data-test=error-email]').textContent()).toBe('«Эл. почта»: нет знака @');
      expect(await page.locator('main > .notice.error').textContent()).toContain('«Эл. почта»');
      expect(await page.getAttribute('#f-email', 'aria-invalid')).toBe('true');
      expect(await page.inputValue('#f-lastName')).toBe('Петров-Водкин');
      expect(await page.inputValue('#f-birthday')).toBe('1985-03-12');
      expect(await page.inputValue('#f-email')).toBe('ivan.petrov.example.com');
      expect(await page.inputValue('#f-tags')).toBe('VIP, Опт ');
      expect(await page.locator('[data-test=error-lastName]').count()).toBe(0);
      expect((await prisma.customer.findUniqueOrThrow({ where: { id: ids.ivan } })).lastName).toBe('Петров');
      await fitsPhone(page, 'customer-refused');

      await page.fill('#f-email', 'Ivan.Petrov@Example.COM');
      await Promise.all([page.waitForURL(/\?done=saved$/), page.click('[data-test=customer-form] button[type=submit]')]);
      expect(await page.locator('main > .notice.ok').textContent()).toBe('Данные клиента сохранены.');
      const saved = await prisma.customer.findUniqueOrThrow({ where: { id: ids.ivan } });
      expect({
        lastName: saved.lastName,
        birthday: saved.birthday?.toISOString(),
        email: saved.email,
        tags: saved.tags,
        attributes: saved.attributes,
        phone: saved.phone,
        companyId: saved.companyId,
      }).toEqual({
        lastName: 'Петров-Водкин',
        birthday: '1985-03-12T00:00:00.000Z',
        email: 'ivan.petrov@example.com',
        tags: ['vip', 'опт'],
        attributes: { city: 'Москва', ltv: 5 }, // the number stays a number
        phone: '+79161234567',
        companyId: ids.company,
      });
      expect(await page.inputValue('#f-lastName')).toBe('Петров-Водкин');

      // Opt out of SMS by hand: on the card, in the timeline as a sentence, in the database with its history event.
      await page.selectOption('#consent-channel', 'sms');
      await page.selectOption('#consent-status', 'opted_out');
      await page.fill('#consent-proof', 'звонок клиента');
      await Promise.all([page.waitForURL(/\?done=consent$/), page.click('[data-test=consent-form] button[type=submit]')]);
      expect(await page.locator('main > .notice.ok').textContent()).toBe('Согласие записано.');
      expect(await page.locator('[data-test=consent-sms]').textContent()).toBe('отказался');
      expect(await page.locator('[data-test=consent-email]').textContent()).toBe('согласие дано');
      const source = `вручную, администратор ${marketer.email}`;
      const latest = (await page.locator('[data-test=timeline] li').first().innerText()).replace(/\s+/g, ' ');
      expect(latest).toMatch(/^\d{1,2} [а-я]+\.? \d{4} г\., \d\d:\d\d — /);
      expect(latest).toContain(`— Согласие на SMS: отозвано (источник: ${source}; подтверждение: звонок клиента)`);
      expect(
        await prisma.consent.findUniqueOrThrow({ where: { customerId_channel: { customerId: ids.ivan, channel: 'sms' } } }),
      ).toMatchObject({
        status: 'opted_out',
        source,
        proofForm: 'звонок клиента',
      });
      const events = await prisma.consentEvent.findMany({ where: { customerId: ids.ivan, channel: 'sms' }, orderBy: { id: 'asc' } });
      expect(events.map((e) => [e.status, e.source])).toEqual([
        ['opted_in', 'checkout'],
        ['opted_out', source],
      ]);
      await fitsPhone(page, 'customer-card');

      // The export is a JSON file of everything stored; erasure is not offered to a marketer.
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=export]')]);
      expect(download.suggestedFilename()).toBe(`customer-${ids.ivan}.json`);
      const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as {
        customer: { id: number; lastName: string };
        consentHistory: unknown[];
      };
      expect(exported.customer).toMatchObject({ id: ids.ivan, lastName: 'Петров-Водкин' });
      expect(exported.consentHistory).toHaveLength(3);
      expect(await page.locator(`form[action="/admin/customers/${ids.ivan}/erase"]`).count()).toBe(0);

      // The company's card lists its contacts as links.
      await page.click('[data-test=company-link]');
      await page.waitForURL(new RegExp(`/admin/customers/${ids.company}$`));
      expect(await page.locator('[data-test=contact-link]').allTextContents()).toEqual(['Иван Сергеевич Петров-Водкин']);
      await fitsPhone(page, 'customer-company');
      await page.context().close();
    },
    90_000,
  );

  browserIt('a viewer reads the card without forms; an admin erases a customer after confirming', async () => {
    const viewer = await signIn(browser!, t, await createUser(t, 'viewer'));
    await viewer.goto(`${t.url}/admin/customers/${ids.ivan}`);
    expect(await viewer.locator('[data-test=customer-facts]').textContent()).toContain('Москва');
    expect(await viewer.locator('form[data-test=customer-form], form[data-test=consent-form], [data-test=export]').count()).toBe(0);
    expect(await viewer.locator('main form').count()).toBe(0);
    await viewer.context().close();

    const admin = await signIn(browser!, t, await createUser(t, 'admin'));
    await admin.goto(`${t.url}/admin/customers/${ids.other}`);
    const erase = admin.locator(`form[action="/admin/customers/${ids.other}/erase"]`);
    expect(await erase.getAttribute('data-confirm')).toContain('Олег Удаляемый');
    expect(await erase.locator('button').getAttribute('class')).toBe('danger');
    // Dismissed: nothing happens.
    admin.once('dialog', (d) => void d.dismiss());
    await erase.locator('button').click();
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: ids.other } })).erasedAt).toBeNull();
    admin.once('dialog', (d) => void d.accept());
    await Promise.all([admin.waitForURL(/\/admin\/customers\?done=erased$/), erase.locator('button').click()]);
    expect(await admin.locator('main > .notice.ok').textContent()).toBe('Персональные данные клиента удалены.');
    const erased = await prisma.customer.findUniqueOrThrow({ where: { id: ids.other } });
    expect({ erased: erased.erasedAt !== null, email: erased.email, lastName: erased.lastName }).toEqual({
      erased: true,
      email: null,
      lastName: null,
    });
    expect((await admin.goto(`${t.url}/admin/customers/${ids.other}`))!.status()).toBe(404);
    await admin.context().close();
  });
});
