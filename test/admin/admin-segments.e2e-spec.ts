// The segment builder in real headless Chromium, in Russian, as a marketer: segments built by
// clicking rows (field / operator / value), the live counts (total, reachable by email and by
// SMS) and the first customers checked against the seeded database, errors named on the form
// with what was typed kept, the stored rule JSON, and a saved segment reopened as rows. The
// expected numbers are worked out here from the rows the database holds, not by the compiler.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { OrdersService } from '../../src/customers/orders/orders.service';
import { PrismaService } from '../../src/database/prisma.service';
import { waitFor } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';
import { browserIt, createUser, launchBrowser, SCREENSHOTS, signIn } from './admin-browser';

let t: TestApp;
let prisma: PrismaService;
let browser: Browser | null;

const DAY = 86_400_000;
const ZONE = 'Europe/Moscow';

/** The month (1–12) of a moment in a time zone. */
function monthIn(zone: string, at: Date): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, month: 'numeric' }).format(at));
}

beforeAll(async () => {
  t = await startTestApp();
  prisma = t.app.get(PrismaService);
  browser = await launchBrowser();
  const orders = t.app.get(OrdersService);
  const now = Date.now();
  const month = monthIn(ZONE, new Date());
  const otherMonth = (month % 12) + 1;
  // Birthdays on the 15th, so the month is the same in every zone whatever the hour.
  const birthday = (m: number, year: number) => new Date(Date.UTC(year, m - 1, 15));

  /** A customer with consents and orders (days ago, total), written as the API would. */
  const customer = async (
    data: {
      kind?: 'person' | 'company';
      firstName?: string;
      lastName?: string;
      companyName?: string;
      email?: string;
      phone?: string;
      birthday?: Date;
    },
    consents: Array<'email' | 'sms'>,
    placed: Array<[daysAgo: number, total: number]>,
  ) => {
    const row = await prisma.customer.create({ data: { timeZone: ZONE, locale: 'ru', ...data }, select: { id: true } });
    for (const channel of consents)
      await prisma.consent.create({ data: { customerId: row.id, channel, status: 'opted_in', source: 'test' } });
    for (const [daysAgo, total] of placed)
      await orders.create({ customerId: row.id, total, status: 'paid', orderedAt: new Date(now - daysAgo * DAY).toISOString() });
  };
  // Order dates are kept well away from the 90-day edge, so the local calendar day cannot tip them.
  await customer(
    { kind: 'company', companyName: 'ООО «Вектор»', email: 'zakaz@vektor.example', phone: '+79161110001' },
    ['email', 'sms'],
    [
      [30, 40_000],
      [200, 25_000],
    ],
  );
  await customer({ kind: 'company', companyName: 'АО «Север»', email: 'info@sever.example' }, ['email'], [[10, 120_000]]);
  await customer({ kind: 'company', companyName: 'ИП Ромашкин', phone: '+79161110003' }, ['sms'], [[45, 51_000]]);
  await customer({ kind: 'company', companyName: 'ООО «Без согласия»', email: 'office@nocons.example' }, [], [[20, 75_000]]);
  await customer({ kind: 'company', companyName: 'ООО «Давно»', email: 'old@davno.example' }, ['email'], [[200, 300_000]]);
  await customer({ kind: 'company', companyName: 'ООО «Мелкий»', email: 'small@melkiy.example' }, ['email'], [[5, 20_000]]);
  await customer({ kind: 'person', firstName: 'Пётр', lastName: 'Оптов', email: 'petr@example.com' }, ['email'], [[15, 90_000]]);
  await customer(
    { firstName: 'Анна', lastName: 'Летова', email: 'anna@example.com', phone: '+79161110008', birthday: birthday(month, 1990) },
    ['email'],
    [],
  );
  await customer({ firstName: 'Олег', lastName: 'Зимин', phone: '+79161110009', birthday: birthday(month, 1985) }, ['sms'], []);
  await customer(
    { firstName: 'Вера', lastName: 'Весенняя', email: 'vera@example.com', birthday: birthday(otherMonth, 1992) },
    ['email'],
    [],
  );
  await customer({ firstName: 'Иван', lastName: 'Безданных', email: 'ivan@example.com' }, [], []);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** What the database says, counted here: matching customers, and of them reachable by email and by SMS. */
async function expected(match: (c: Awaited<ReturnType<typeof everyone>>[number]) => boolean) {
  const rows = (await everyone()).filter((c) => c.erasedAt === null && match(c));
  expect(await prisma.suppression.count()).toBe(0); // so reachability is address + consent
  const consented = (c: (typeof rows)[number], channel: 'email' | 'sms') =>
    c.consents.some((k) => k.channel === channel && k.status === 'opted_in');
  return {
    ids: rows.map((c) => c.id).sort((a, b) => a - b),
    total: rows.length,
    email: rows.filter((c) => c.email && c.emailValid && consented(c, 'email')).length,
    sms: rows.filter((c) => c.phone && c.phoneValid && consented(c, 'sms')).length,
  };
}

function everyone() {
  return prisma.customer.findMany({ include: { consents: true } });
}

const stat = (page: Page, test: string) => page.locator(`[data-test=${test}]`);

/** Waits for the live count to settle on these numbers. */
async function liveCounts(page: Page, want: { total: number; email: number; sms: number }): Promise<void> {
  const shown = (n: number) => new Intl.NumberFormat('ru').format(n);
  const wanted = [shown(want.total), shown(want.email), shown(want.sms)].join(' / ');
  let seen = '';
  await waitFor(
    async () => {
      const state = await page.locator('[data-segb-live]').getAttribute('data-state');
      const counts = await Promise.all(['count-total', 'count-email', 'count-sms'].map((test) => stat(page, test).textContent()));
      seen = `${state}: ${counts.join(' / ')}`;
      return state === 'done' && counts.join(' / ') === wanted;
    },
    15_000,
    `live counts ${wanted}`,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; the page shows ${seen}`);
  });
}

/** Clicks «+ Условие» in the top group and fills the new row: field and operator by their Russian words. */
async function addRow(page: Page, field: string, op: string): Promise<ReturnType<Page['locator']>> {
  await page.click('[data-test=top-group] > .segb-actions [data-test=add-condition]');
  const row = page.locator('[data-test=top-group] > .segb-items > [data-test=row]').last();
  await row.locator('[data-test=field]').selectOption({ label: field });
  await row.locator('[data-test=op]').selectOption({ label: op });
  return page.locator('[data-test=top-group] > .segb-items > [data-test=row]').last();
}

describe('admin UI: the segment builder', () => {
  browserIt(
    'a marketer builds two segments by clicking, sees live counts equal to the database, saves them and reopens one as rows',
    async () => {
      const page = await signIn(browser!, t, await createUser(t, 'marketer'));
      await page.setViewportSize({ width: 1366, height: 900 });
      await page.click('nav a[href="/admin/segments"]');
      await Promise.all([page.waitForURL(/\/admin\/segments\/new$/), page.click('[data-test=new-segment]')]);
      // Script on: the JSON is behind «Расширенный режим», the builder starts empty (everyone).
      expect(await page.locator('#rules').isVisible()).toBe(false);
      expect(await page.locator('[data-test=top-group]').textContent()).toContain('Условий нет');
      const all = await expected(() => true);
      await liveCounts(page, all);

      // B2B companies with an order in the last 90 days and an order sum above 50 000 ₽.
      const kind = await addRow(page, 'Тип', 'равно');
      await kind.locator('[data-test=value]').selectOption({ label: 'компания' });
      const lastOrder = await addRow(page, 'Последний заказ', 'за последние N дней');
      await lastOrder.locator('[data-test=value]').fill('90');
      const sum = await addRow(page, 'Сумма заказов', 'больше');
      await sum.locator('[data-test=value]').fill('50000');
      const now = Date.now();
      const b2b = await expected(
        (c) =>
          c.kind === 'company' && c.lastOrderAt !== null && c.lastOrderAt.getTime() >= now - 90 * DAY && c.orderSum.toNumber() > 50_000,
      );
      expect(b2b).toMatchObject({ total: 4, email: 2, sms: 2 }); // the seed is what the test thinks it is
      await liveCounts(page, b2b);
      const names = await page.locator('[data-segb-sample] tr td:first-child').allTextContents();
      const companies = await prisma.customer.findMany({ where: { id: { in: b2b.ids } }, orderBy: { id: 'asc' } });
      expect(names).toEqual(companies.map((c) => c.companyName));
      expect(await page.locator('[data-segb-sample] tr').first().textContent()).toContain('zakaz@vektor.example');
      await page.screenshot({ path: join(SCREENSHOTS, 'segment-builder-1366.png'), fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      expect((await page.evaluate('document.documentElement.scrollWidth')) as number).toBeLessThanOrEqual(390);
      await page.screenshot({ path: join(SCREENSHOTS, 'segment-builder-390.png'), fullPage: true });
      await page.setViewportSize({ width: 1366, height: 900 });

      // Saved with a blank name (spaces pass the browser's own check): refused on the form, the
      // name named, the rows kept as typed.
      await page.fill('#name', '   ');
      await page.fill('#description', 'Компании с крупными заказами');
      await page.click('[data-test=segment-form] button[type=submit]');
      await page.waitForSelector('[data-test=name-error]');
      expect(await page.locator('[data-test=name-error]').textContent()).toContain('«Название»: обязательное поле');
      expect(await page.locator('[data-test=row]').count()).toBe(3);
      expect(await page.locator('[data-test=row]').nth(2).locator('[data-test=value]').inputValue()).toBe('50000');
      expect(await page.inputValue('#description')).toBe('Компании с крупными заказами');
      await page.fill('#name', 'B2B: заказ за 90 дней от 50 000 ₽');
      await Promise.all([
        page.waitForURL(/\/admin\/segments\/\d+\?done=created$/),
        page.click('[data-test=segment-form] button[type=submit]'),
      ]);
      expect(await page.locator('main > .notice.ok').textContent()).toBe('Создано.');
      const b2bId = Number(/segments\/(\d+)/.exec(page.url())![1]);
      expect((await prisma.segment.findUniqueOrThrow({ where: { id: b2bId } })).rules).toEqual({
        all: [
          { field: 'kind', op: 'eq', value: 'company' },
          { field: 'last_order_at', op: 'within_last_days', value: 90 },
          { field: 'order_sum', op: 'gt', value: 50000 },
        ],
      });

      // Birthday this month; a bad value on the way is named at its row, live.
      await page.goto(`${t.url}/admin/segments/new`);
      await page.fill('#name', 'День рождения в этом месяце');
      const bday = await addRow(page, 'День рождения', 'в ближайшие N дней');
      await bday.locator('[data-test=value]').fill('400');
      await page.waitForSelector('[data-test=row].invalid [data-test=row-error]');
      expect(await page.locator('[data-test=row-error]').textContent()).toContain('не больше 366');
      // Saved so: refused on the form, the rule named under the rules and at its row, the rows kept.
      await page.click('[data-test=segment-form] button[type=submit]');
      await page.waitForSelector('[data-test=rules-error]');
      expect(await page.locator('[data-test=rules-error]').textContent()).toContain('«Правила, условие 1»: не больше 366');
      expect(await page.locator('[data-test=row].invalid [data-test=row-error]').textContent()).toBe('не больше 366');
      expect(await page.inputValue('#name')).toBe('День рождения в этом месяце');
      await page.screenshot({ path: join(SCREENSHOTS, 'segment-refused-1366.png'), fullPage: true });
      await bday.locator('[data-test=op]').selectOption({ label: 'в этом месяце' });
      expect(await bday.locator('[data-test=value]').count()).toBe(0);
      const month = monthIn(ZONE, new Date());
      const birthdays = await expected((c) => c.birthday !== null && c.birthday.getUTCMonth() + 1 === month);
      expect(birthdays).toMatchObject({ total: 2, email: 1, sms: 1 });
      await liveCounts(page, birthdays);
      expect(await page.locator('[data-test=row-error]').count()).toBe(0);
      await Promise.all([
        page.waitForURL(/\/admin\/segments\/\d+\?done=created$/),
        page.click('[data-test=segment-form] button[type=submit]'),
      ]);
      const birthdayId = Number(/segments\/(\d+)/.exec(page.url())![1]);
      expect((await prisma.segment.findUniqueOrThrow({ where: { id: birthdayId } })).rules).toEqual({
        all: [{ field: 'birthday', op: 'this_month' }],
      });

      // Reopened from the list: the B2B rules come back as rows, and as JSON behind the toggle.
      await page.click('nav a[href="/admin/segments"]');
      await page.click(`main a[href="/admin/segments/${b2bId}"]`);
      await page.waitForURL(new RegExp(`/admin/segments/${b2bId}$`));
      const rows = page.locator('[data-test=row]');
      expect(await rows.count()).toBe(3);
      const picked = (i: number, test: string) => rows.nth(i).locator(`[data-test=${test}] option:checked`).textContent();
      expect([await picked(0, 'field'), await picked(0, 'op'), await picked(0, 'value')]).toEqual(['Тип', 'равно', 'компания']);
      expect([await picked(1, 'field'), await picked(1, 'op'), await rows.nth(1).locator('[data-test=value]').inputValue()]).toEqual([
        'Последний заказ',
        'за последние N дней',
        '90',
      ]);
      expect([await picked(2, 'field'), await picked(2, 'op'), await rows.nth(2).locator('[data-test=value]').inputValue()]).toEqual([
        'Сумма заказов',
        'больше',
        '50000',
      ]);
      await liveCounts(page, b2b);
      await page.check('[data-test=advanced]');
      expect(JSON.parse(await page.inputValue('#rules'))).toEqual((await prisma.segment.findUniqueOrThrow({ where: { id: b2bId } })).rules);
      await page.context().close();
    },
    90_000,
  );

  browserIt('groups: an OR sub-group under the AND top, edited as JSON and back; rules rows cannot show stay JSON', async () => {
    const page = await signIn(browser!, t, await createUser(t, 'marketer'));
    await page.goto(`${t.url}/admin/segments/new`);
    await page.fill('#name', 'Компании или дни рождения');
    await page.click('[data-test=top-group] > .segb-actions [data-test=add-group]');
    const sub = page.locator('[data-test=subgroup]');
    expect(await sub.locator('[data-test=match] option:checked').textContent()).toBe('любое из условий (ИЛИ)');
    await sub.locator('[data-test=row] [data-test=value]').selectOption({ label: 'компания' }); // the new row is «Тип»
    await sub.locator('[data-test=add-condition]').click();
    const second = sub.locator('[data-test=row]').nth(1);
    await second.locator('[data-test=field]').selectOption({ label: 'День рождения' });
    await second.locator('[data-test=op]').selectOption({ label: 'в этом месяце' });
    const month = monthIn(ZONE, new Date());
    const want = await expected((c) => c.kind === 'company' || (c.birthday !== null && c.birthday.getUTCMonth() + 1 === month));
    await liveCounts(page, want);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(SCREENSHOTS, 'segment-groups-390.png'), fullPage: true });
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.screenshot({ path: join(SCREENSHOTS, 'segment-groups-1366.png'), fullPage: true });

    // The JSON behind the rows, edited by hand: the rows follow.
    await page.check('[data-test=advanced]');
    const rules = JSON.parse(await page.inputValue('#rules')) as unknown;
    expect(rules).toEqual({
      all: [
        {
          any: [
            { field: 'kind', op: 'eq', value: 'company' },
            { field: 'birthday', op: 'this_month' },
          ],
        },
      ],
    });
    await page.fill(
      '#rules',
      JSON.stringify({
        all: [{ any: [{ field: 'tags', op: 'has_any', value: ['vip', 'опт'] }] }, { not: { field: 'email', op: 'is_set' } }],
      }),
    );
    expect(await page.locator('[data-test=row]').count()).toBe(2);
    expect(await sub.locator('[data-test=value]').inputValue()).toBe('vip, опт');
    expect(await page.locator('[data-test=top-group] > .segb-items > [data-test=row] [data-test=not]').isChecked()).toBe(true);
    // A shape the rows cannot show exactly (an attribute compared with a number) stays JSON, and is saved as typed.
    await page.fill('#rules', '{"field":"attributes.level","op":"eq","value":5}');
    expect(await page.locator('[data-test=builder-message]').textContent()).toContain('нельзя показать строками');
    await page.click('[data-test=advanced]'); // cannot be turned off: JSON is the only editor of these rules
    expect(await page.locator('[data-test=advanced]').isChecked()).toBe(true);
    expect(await page.locator('#rules').isVisible()).toBe(true);
    await Promise.all([
      page.waitForURL(/\/admin\/segments\/\d+\?done=created$/),
      page.click('[data-test=segment-form] button[type=submit]'),
    ]);
    const id = Number(/segments\/(\d+)/.exec(page.url())![1]);
    expect((await prisma.segment.findUniqueOrThrow({ where: { id } })).rules).toEqual({ field: 'attributes.level', op: 'eq', value: 5 });
    expect(await page.locator('#rules').isVisible()).toBe(true);
    await page.context().close();
  });
});
