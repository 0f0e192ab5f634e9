// The automations and scoring pages in real headless Chromium, in Russian, as a marketer: a
// birthday automation created by clicking (a refused form first), paused and resumed, its
// firings read after the trigger runner fired it for customers whose birthday fits, edited and
// deleted; the scoring page's «Пересчитать» and the distribution the finished run gives, and
// its settings form. Every page is looked at in 1366 and 390 px. Set-up goes through Prisma and
// the services; every action under test is a click or a keystroke.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PrismaService } from '../../src/database/prisma.service';
import { TriggerClock } from '../../src/triggers/clock';
import { TriggerRunnerService } from '../../src/triggers/trigger-runner.service';
import { waitFor } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';
import { browserIt, createUser, launchBrowser, SCREENSHOTS, signIn } from './admin-browser';

let t: TestApp;
let prisma: PrismaService;
let browser: Browser | null;

beforeAll(async () => {
  t = await startTestApp({ MAIL_FROM: 'shop@shop.example', MAIL_FROM_NAME: 'Магазин' });
  prisma = t.app.get(PrismaService);
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  t?.app.get(TriggerClock).freeze(null);
  await browser?.close();
  await t?.close();
});

/** English UI words that must not show on these Russian pages. */
const ENGLISH = ['Automations', 'Automation', 'Scoring', 'Birthday', 'Template', 'Channel', 'Status', 'Pause', 'Resume', 'Delete', 'Save'];
/** Codes that must be shown as words. */
const CODES = ['order_status', 'win_back', 're_engagement', 'no reachable channel', 'opted_in', 'scoringRunStatus', 'triggerType'];

/** What is wrong with the page at this width: English words, raw codes, controls without a label, sideways scroll on a phone. */
async function problems(page: Page, width: number): Promise<string[]> {
  const text = (await page.evaluate('document.body.innerText')) as string;
  const found: string[] = [];
  for (const word of ENGLISH) if (new RegExp(`(^|[^A-Za-z])${word}([^A-Za-z]|$)`).test(text)) found.push(`English: ${word}`);
  for (const code of CODES) if (text.includes(code)) found.push(`code: ${code}`);
  const unlabelled = (await page.evaluate(`[...document.querySelectorAll('input, select, textarea')]
    .filter((el) => el.type !== 'hidden')
    .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
    .map((el) => el.outerHTML.slice(0, 80))`)) as string[];
  for (const control of unlabelled) found.push(`no label: ${control}`);
  if (width === 390) {
    const scrollWidth = (await page.evaluate('document.documentElement.scrollWidth')) as number;
    if (scrollWidth > 390) found.push(`${scrollWidth} px wide`);
  }
  return found;
}

/** Looks at the page at 1366 and 390 px (screenshots `<name>-<width>.png`), back to 1366 after. */
async function lookAt(page: Page, name: string): Promise<void> {
  const failures: string[] = [];
  for (const width of [1366, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    failures.push(...(await problems(page, width)).map((p) => `${name} @${width}: ${p}`));
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1366, height: 900 });
  expect(failures).toEqual([]);
}

/** YYYY-MM-DD of a date in UTC. */
const day = (date: Date) => date.toISOString().slice(0, 10);

describe('admin UI: automations', () => {
  browserIt(
    'a marketer creates a birthday automation by clicking, pauses and resumes it, reads its firings, edits and deletes it',
    async () => {
      const page = await signIn(browser!, t, await createUser(t, 'marketer'));
      await page.setViewportSize({ width: 1366, height: 900 });
      await page.click('nav a[href="/admin/automations"]');
      expect(await page.locator('h1').textContent()).toBe('Автоматизации');
      expect(await page.locator('nav a[aria-current=page]').getAttribute('href')).toBe('/admin/automations');
      await page.click('[data-test=new-automation]');
      await lookAt(page, 'automation-types');
      await page.click('[data-test=type-birthday]');
      expect(await page.locator('h1').textContent()).toBe('Новая автоматизация: День рождения');

      // Refused: no template and a negative number of days; each field named, what was typed kept.
      await page.fill('#f-name', 'Скоро день рождения');
      await page.selectOption('#f-template', '');
      await page.fill('#f-daysBefore', '-3');
      await page.fill('#f-localHour', '10');
      await page.fill('#f-promoCode', 'HB-TEST');
      await page.click('[data-test=automation-form] button[type=submit]');
      const refusal = await page.locator('main > .notice.error').textContent();
      expect(refusal).toContain('«Шаблон»: обязательное поле');
      expect(refusal).toContain('«За сколько дней до дня рождения (0 — в сам день)»: не меньше 0');
      expect(await page.locator('[data-test=error-template]').textContent()).toBe('обязательное поле');
      expect(await page.locator('[data-test=error-daysBefore]').textContent()).toBe('не меньше 0');
      expect(await page.getAttribute('#f-daysBefore', 'aria-invalid')).toBe('true');
      expect(await page.inputValue('#f-name')).toBe('Скоро день рождения');
      expect(await page.inputValue('#f-daysBefore')).toBe('-3');
      expect(await page.inputValue('#f-promoCode')).toBe('HB-TEST');
      expect(await prisma.trigger.count()).toBe(0);
      await lookAt(page, 'automation-form-refused');

      // SMS first, email when a customer has no reachable phone.
      await page.selectOption('#f-template', 'birthday');
      await page.fill('#f-daysBefore', '3');
      await page.selectOption('#f-channel1', 'sms');
      await page.selectOption('#f-channel2', 'email');
      await page.fill('#f-discountPercent', '15');
      await Promise.all([
        page.waitForURL(/\/admin\/automations\/\d+\?done=created$/),
        page.click('[data-test=automation-form] button[type=submit]'),
      ]);
      const id = Number(/automations\/(\d+)/.exec(page.url())![1]);
      expect(await page.locator('.notice.ok').textContent()).toBe('Создано.');
      const stored = await prisma.trigger.findUniqueOrThrow({ where: { id }, include: { template: { select: { key: true } } } });
      expect(stored).toMatchObject({
        name: 'Скоро день рождения',
        type: 'birthday',
        channels: ['sms', 'email'],
        active: true,
        delayMinutes: 0,
      });
      expect(stored.template.key).toBe('birthday');
      expect(stored.config).toEqual({
        daysBefore: 3,
        localHour: 10,
        promoCode: 'HB-TEST',
        discountPercent: 15,
        promoValidDays: 7,
        quietHours: true,
        data: {},
      });
      expect(await page.locator('[data-test=automation-type]').textContent()).toBe('День рождения');
      expect(await page.locator('[data-test=option-localHour]').textContent()).toBe('10:00');

      // The list: the type as a word, paused and resumed from there.
      await page.click('nav a[href="/admin/automations"]');
      expect(await page.locator(`[data-test=type-${id}]`).textContent()).toBe('День рождения');
      const state = () => page.locator(`[data-test=state-${id}]`).getAttribute('data-active');
      expect(await state()).toBe('true');
      expect(await page.locator(`[data-test=state-${id}]`).textContent()).toBe('включена');
      await Promise.all([page.waitForURL(/\/admin\/automations\?done=paused$/), page.click('main button:text("Приостановить")')]);
      expect(await state()).toBe('false');
      expect(await page.locator(`[data-test=state-${id}]`).textContent()).toBe('на паузе');
      expect((await prisma.trigger.findUniqueOrThrow({ where: { id } })).active).toBe(false);
      await Promise.all([page.waitForURL(/\/admin\/automations\?done=resumed$/), page.click('main button:text("Возобновить")')]);
      expect(await state()).toBe('true');
      expect((await prisma.trigger.findUniqueOrThrow({ where: { id } })).active).toBe(true);

      // Birthdays in three days: Анна (email only, opted in) gets the greeting by email; Борис
      // (no consent) gets a firing and no message. 08:00 UTC today is 11:00 in Moscow, past 10:00.
      const at = new Date();
      at.setUTCHours(8, 0, 0, 0);
      const birthday = `1992-${day(new Date(at.getTime() + 3 * 86_400_000)).slice(5)}`;
      const person = (firstName: string, email: string) =>
        prisma.customer.create({
          data: { firstName, email, birthday: new Date(`${birthday}T00:00:00Z`), timeZone: 'Europe/Moscow', locale: 'ru' },
          select: { id: true },
        });
      const anna = await person('Анна', 'anna.hb@example.com');
      const boris = await person('Борис', 'boris.hb@example.com');
      await prisma.consent.create({ data: { customerId: anna.id, channel: 'email', status: 'opted_in', source: 'test' } });
      const clock = t.app.get(TriggerClock);
      clock.freeze(at);
      expect((await t.app.get(TriggerRunnerService).tick()).birthday).toBe(2);
      const message = await waitFor(
        () => prisma.message.findFirst({ where: { customerId: anna.id, status: 'sent' }, select: { id: true, channel: true } }),
        30_000,
        'the birthday email to Анна sent',
      );
      expect(message.channel).toBe('email');

      await page.goto(`${t.url}/admin/automations/${id}`);
      const rows = page.locator('[data-test=firings] tbody tr');
      expect(await rows.count()).toBe(2);
      const annaRow = rows.filter({ hasText: 'Анна' });
      expect(await annaRow.locator('a').getAttribute('href')).toBe(`/admin/customers/${anna.id}`);
      expect(await annaRow.locator('td').nth(3).textContent()).toBe('эл. почта');
      expect(await annaRow.locator('[data-test=outcome]').textContent()).toBe('отправлено');
      expect(await annaRow.locator('td').nth(2).textContent()).toContain('день рождения');
      const borisRow = rows.filter({ hasText: 'Борис' });
      expect(await borisRow.locator('a').getAttribute('href')).toBe(`/admin/customers/${boris.id}`);
      expect(await borisRow.locator('[data-test=outcome]').textContent()).toBe(
        'не отправлено: нет доступного канала (нет контакта или разрешения)',
      );
      await lookAt(page, 'automation');

      await page.click('nav a[href="/admin/automations"]');
      expect(await page.locator(`[data-test=fired-${id}]`).textContent()).toBe('2');
      await lookAt(page, 'automations');
      clock.freeze(null);

      // Edit: the form starts with the stored values; the saved options replace the old ones.
      await page.goto(`${t.url}/admin/automations/${id}`);
      await page.click('[data-test=edit]');
      expect(await page.inputValue('#f-daysBefore')).toBe('3');
      expect(await page.inputValue('#f-channel1')).toBe('sms');
      await page.fill('#f-promoCode', 'HB-WINTER');
      await page.fill('#f-delayMinutes', '30');
      await lookAt(page, 'automation-edit');
      await Promise.all([page.waitForURL(/done=saved$/), page.click('[data-test=automation-form] button[type=submit]')]);
      const edited = await prisma.trigger.findUniqueOrThrow({ where: { id } });
      expect(edited).toMatchObject({ delayMinutes: 30, active: true, config: { promoCode: 'HB-WINTER', daysBefore: 3, localHour: 10 } });

      // Delete asks first and looks dangerous; its firings go with it.
      expect(await page.locator('main button.danger').textContent()).toBe('Удалить');
      page.once('dialog', (d) => void d.accept());
      await Promise.all([page.waitForURL(/\/admin\/automations\?done=deleted$/), page.click('main button.danger')]);
      expect(await prisma.trigger.count({ where: { id } })).toBe(0);
      expect(await prisma.triggerFiring.count({ where: { triggerId: id } })).toBe(0);
      expect(await page.locator('main').textContent()).toContain('Автоматизаций пока нет.');
      await page.context().close();
    },
    120_000,
  );

  browserIt('a viewer reads the automations but gets no buttons', async () => {
    const page = await signIn(browser!, t, await createUser(t, 'viewer'));
    await page.goto(`${t.url}/admin/automations`);
    expect(await page.locator('[data-test=new-automation]').count()).toBe(0);
    expect(await page.locator('main form').count()).toBe(0);
    const refused = await page.goto(`${t.url}/admin/automations/new`);
    expect(refused!.status()).toBe(403);
    await page.context().close();
  });
});

describe('admin UI: scoring', () => {
  browserIt(
    'a marketer clicks «Пересчитать», the run finishes on the worker, the page shows the distribution; settings are checked on the form',
    async () => {
      // Ten customers with orders of growing size and recency, and two without any.
      const now = Date.now();
      for (let i = 0; i < 10; i++) {
        const customer = await prisma.customer.create({ data: { firstName: `Покупатель${i}`, email: `buyer.${i}@example.com` } });
        for (let k = 0; k <= i % 4; k++)
          await prisma.order.create({
            data: {
              customerId: customer.id,
              externalId: `SC-${i}-${k}`,
              total: String(1000 * (i + 1)),
              status: 'paid',
              orderedAt: new Date(now - (10 - i) * 20 * 86_400_000 - k * 86_400_000),
            },
          });
      }
      for (let i = 0; i < 2; i++) await prisma.customer.create({ data: { firstName: `Гость${i}`, email: `guest.${i}@example.com` } });
      const live = await prisma.customer.count({ where: { erasedAt: null } });

      const page = await signIn(browser!, t, await createUser(t, 'marketer'));
      await page.setViewportSize({ width: 1366, height: 900 });
      await page.click('nav a[href="/admin/scoring"]');
      expect(await page.locator('h1').textContent()).toBe('Скоринг клиентов');
      expect(await page.locator('[data-test=total]').textContent()).toBe(String(live));
      expect(await page.locator('[data-test=rfm-none]').textContent()).toBe(String(live)); // nobody scored yet

      const before = await prisma.scoringRun.count();
      await Promise.all([page.waitForURL(/\/admin\/scoring\?done=queued$/), page.click('[data-test=recompute] button')]);
      expect(await page.locator('.notice.ok').first().textContent()).toContain('Пересчёт поставлен в очередь');
      expect(await prisma.scoringRun.count()).toBe(before + 1);
      const run = await prisma.scoringRun.findFirstOrThrow({ orderBy: { id: 'desc' } });
      expect(run.trigger).toBe('api');
      const finished = await waitFor(
        async () => {
          const r = await prisma.scoringRun.findUniqueOrThrow({ where: { id: run.id } });
          return r.status === 'completed' || r.status === 'failed' ? r : null;
        },
        60_000,
        `scoring run ${run.id} to finish`,
      );
      expect(finished).toMatchObject({ status: 'completed', scoredCustomers: 10 });

      await page.goto(`${t.url}/admin/scoring`);
      expect(await page.locator(`[data-test=run-${run.id}]`).textContent()).toBe('завершён');
      expect(await page.locator('[data-test=scored]').textContent()).toBe('10');
      // Every group, class and rating as the database has it, with its share of all live customers.
      const percent = new Intl.NumberFormat('ru-RU', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
      const share = (n: number) => percent.format(n / live);
      const groups = await prisma.customer.groupBy({ by: ['rfmGroup'], where: { erasedAt: null }, _count: { _all: true } });
      expect(groups.filter((g) => g.rfmGroup !== null).length).toBeGreaterThan(1);
      for (const g of groups) {
        const code = g.rfmGroup ?? 'none';
        expect([code, await page.locator(`[data-test=rfm-${code}]`).textContent()]).toEqual([code, String(g._count._all)]);
        expect([code, await page.locator(`[data-test=rfm-share-${code}]`).textContent()]).toEqual([code, share(g._count._all)]);
      }
      const ratings = await prisma.customer.groupBy({ by: ['rating'], where: { erasedAt: null }, _count: { _all: true } });
      for (const r of ratings) {
        const code = r.rating ?? 'none';
        expect([code, await page.locator(`[data-test=rating-${code}]`).textContent()]).toEqual([code, String(r._count._all)]);
      }
      expect(await page.locator('[data-test=rating-E]').textContent()).not.toBe('0'); // the two without orders at least
      const abc = await prisma.customer.groupBy({ by: ['abcClass'], where: { erasedAt: null }, _count: { _all: true } });
      for (const r of abc) expect(await page.locator(`[data-test=abc-${r.abcClass ?? 'none'}]`).textContent()).toBe(String(r._count._all));
      expect(await page.locator('[data-test=rfm-groups]').textContent()).toContain('чемпионы');
      expect(await page.locator('[data-test=rfm-groups] svg.share-bar').count()).toBe(groups.length);
      await lookAt(page, 'scoring');

      // Settings: a zero period and shares over 1 are refused on the form; valid ones are saved.
      await page.fill('[name="rfm.windowDays"]', '0');
      await page.fill('[name="abc.shares.a"]', '0.9');
      await page.click('[data-test=scoring-form] button[type=submit]');
      const refusal = await page.locator('main > .notice.error').textContent();
      expect(refusal).toContain('«Период для частоты и суммы заказов, дней»: не меньше 1');
      expect(refusal).toContain('«Доли выручки A, B и C»: доли A, B и C должны в сумме давать 1');
      expect(await page.inputValue('[name="rfm.windowDays"]')).toBe('0');
      expect(await page.locator('[data-test="error-rfm.windowDays"]').textContent()).toBe('не меньше 1');
      expect(await prisma.scoringSettings.count()).toBe(0);
      await page.fill('[name="rfm.windowDays"]', '180');
      await page.fill('[name="abc.shares.a"]', '0.8');
      await Promise.all([page.waitForURL(/done=settingsSaved$/), page.click('[data-test=scoring-form] button[type=submit]')]);
      const saved = await prisma.scoringSettings.findFirstOrThrow();
      expect(saved.config).toMatchObject({ rfm: { windowDays: 180 }, abc: { shares: { a: 0.8, b: 0.15, c: 0.05 } } });
      expect(await page.inputValue('[name="rfm.windowDays"]')).toBe('180');
      page.once('dialog', (d) => void d.accept());
      await Promise.all([page.waitForURL(/done=settingsReset$/), page.click('main button.danger')]);
      expect(await prisma.scoringSettings.count()).toBe(0);
      await page.context().close();
    },
    120_000,
  );
});
