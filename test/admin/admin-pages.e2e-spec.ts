// Every admin page in real headless Chromium, at 1366 and at 390 px: Russian by default with no
// English UI word or raw code left, <html lang="ru">, the current page marked in the grouped
// navigation, a label on every control, nothing wider than a phone, a screenshot of each page.
// Then the language switch and the user's time zone, and the HTML 404 page.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PrismaService } from '../../src/database/prisma.service';
import { makeCustomers, segmentByTag, suppress, templateId } from '../campaigns/campaign-fixtures';
import { runningCampaign, sentMessage } from '../feedback/feedback-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { browserIt, createUser, launchBrowser, SCREENSHOTS, signIn } from './admin-browser';

let t: TestApp;
let prisma: PrismaService;
let browser: Browser | null;
const ids = { campaign: 0, draft: 0, customer: 0, segment: 0, template: 0, templateVersion: 0 };

/** English UI words that must not show on a Russian page (whole words, as written). */
const ENGLISH = [
  'Dashboard',
  'Campaigns',
  'Campaign',
  'Customers',
  'Customer',
  'Segments',
  'Templates',
  'Reports',
  'Settings',
  'Save',
  'Cancel',
  'Sign in',
  'Log out',
  'Status',
  'Created',
  'Updated',
  'Name',
  'Channel',
  'Schedule',
  'Pause',
  'Resume',
  'Remove',
  'Revoke',
  'Undo',
  'Apply',
  'Accept',
  'Reject',
  'Search',
  'Count',
  'Preview',
  'Subject',
  'Bounces',
  'Complaints',
  'Leads',
  'Suppression',
  'Nothing',
  'Next page',
  'Role',
  'Users',
  'Results',
  'When',
  'Kind',
  'Reason',
  'Address',
  'Not found',
];
/** Codes that must be shown as words. */
const CODES = ['opted_in', 'lead_created', 'userunknown', 'hard_bounce', 'feedback_loop', 'campaignStatus'];

beforeAll(async () => {
  t = await startTestApp({ MAIL_FROM: 'news@shop.example' });
  prisma = t.app.get(PrismaService);
  browser = await launchBrowser();

  const [anna, boris] = await makeCustomers(prisma, 'pages', 2);
  ids.customer = anna.id;
  ids.segment = await segmentByTag(prisma, 'pages');
  ids.template = await templateId(prisma, 'b2c-promo');
  ids.templateVersion = (await prisma.templateVersion.findFirstOrThrow({ where: { templateId: ids.template, locale: 'ru' } })).id;
  await prisma.order.create({ data: { customerId: anna.id, externalId: 'A-1042', total: '50000.50', status: 'paid' } });
  const running = await runningCampaign(prisma, 'Осенняя распродажа');
  ids.campaign = running.campaignId;
  const sent = await sentMessage(prisma, 'reader@mail.example', running);
  ids.draft = (
    await prisma.campaign.create({
      data: { name: 'Черновик на потом', channel: 'email', templateId: ids.template, segmentId: ids.segment },
      select: { id: true },
    })
  ).id;
  await prisma.bounce.create({
    data: {
      address: boris.email,
      domain: 'example.com',
      hard: true,
      reason: 'userunknown',
      customerId: boris.id,
      campaignId: ids.campaign,
    },
  });
  await suppress(prisma, boris.email, 'hard_bounce');
  await prisma.cleanupLogEntry.createMany({
    data: [
      { action: 'suppressed', channel: 'email', address: boris.email, reason: 'userunknown', customerId: boris.id },
      { action: 'lead_created', channel: 'email', address: sent.email, customerId: sent.customerId },
      {
        action: 'withheld',
        channel: 'email',
        address: sent.email,
        reason: 'uncorrelated: the reply does not quote a message we sent',
        customerId: sent.customerId,
      },
    ],
  });
  await prisma.complaint.create({ data: { kind: 'feedback_loop', customerId: sent.customerId, campaignId: ids.campaign } });
  await prisma.lead.create({ data: { customerId: sent.customerId, fromAddress: sent.email, subject: 'Счёт', text: 'Нужно 20 штук' } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** Each page: its path, the navigation entry it belongs to, and a name for its screenshots. */
function pages(): Array<{ name: string; path: string; nav: string | null }> {
  return [
    { name: 'dashboard', path: '/admin', nav: '/admin' },
    { name: 'campaigns', path: '/admin/campaigns', nav: '/admin/campaigns' },
    { name: 'campaign-new', path: '/admin/campaigns/new', nav: '/admin/campaigns' },
    { name: 'campaign-report', path: `/admin/campaigns/${ids.campaign}`, nav: '/admin/campaigns' },
    { name: 'campaign-draft', path: `/admin/campaigns/${ids.draft}`, nav: '/admin/campaigns' },
    { name: 'campaign-edit', path: `/admin/campaigns/${ids.draft}/edit`, nav: '/admin/campaigns' },
    { name: 'campaign-check', path: `/admin/campaigns/${ids.draft}/review`, nav: '/admin/campaigns' },
    { name: 'customers', path: '/admin/customers', nav: '/admin/customers' },
    { name: 'customer', path: `/admin/customers/${ids.customer}`, nav: '/admin/customers' },
    { name: 'imports', path: '/admin/imports', nav: '/admin/imports' },
    { name: 'segments', path: '/admin/segments', nav: '/admin/segments' },
    { name: 'segment-new', path: '/admin/segments/new', nav: '/admin/segments' },
    { name: 'segment', path: `/admin/segments/${ids.segment}`, nav: '/admin/segments' },
    { name: 'templates', path: '/admin/templates', nav: '/admin/templates' },
    { name: 'template', path: `/admin/templates/${ids.template}`, nav: '/admin/templates' },
    { name: 'template-versions', path: `/admin/templates/${ids.template}/versions?locale=ru`, nav: '/admin/templates' },
    { name: 'template-version', path: `/admin/templates/${ids.template}/versions/${ids.templateVersion}`, nav: '/admin/templates' },
    { name: 'bounces', path: '/admin/reports/bounces', nav: '/admin/reports/bounces' },
    { name: 'complaints', path: '/admin/reports/complaints', nav: '/admin/reports/complaints' },
    { name: 'leads', path: '/admin/reports/leads', nav: '/admin/reports/leads' },
    { name: 'cleanup', path: '/admin/reports/cleanup', nav: '/admin/reports/cleanup' },
    { name: 'suppression', path: '/admin/suppression', nav: '/admin/suppression' },
    { name: 'settings', path: '/admin/settings', nav: '/admin/settings' },
    { name: 'profile', path: '/admin/profile', nav: '/admin/profile' },
    { name: 'not-found', path: '/admin/no-such-page', nav: null },
  ];
}

/** What is wrong with the page as a Russian page: English words, raw codes, unlabelled controls. */
async function problems(page: Page): Promise<string[]> {
  const text = await page.evaluate('document.body.innerText');
  const found: string[] = [];
  for (const word of ENGLISH) if (new RegExp(`(^|[^A-Za-z])${word}([^A-Za-z]|$)`).test(text as string)) found.push(`English: ${word}`);
  for (const code of CODES) if ((text as string).includes(code)) found.push(`code: ${code}`);
  const unlabelled = (await page.evaluate(`[...document.querySelectorAll('input, select, textarea')]
    .filter((el) => el.type !== 'hidden')
    .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
    .map((el) => el.outerHTML.slice(0, 80))`)) as string[];
  for (const control of unlabelled) found.push(`no label: ${control}`);
  return found;
}

describe('admin UI: every page, in Russian, at 1366 and 390 px', () => {
  browserIt(
    'no English UI word or raw code, lang="ru", the current page marked, labelled controls, no sideways scroll on a phone',
    async () => {
      const admin = await createUser(t, 'admin');
      const page = await signIn(browser!, t, admin);
      const failures: string[] = [];
      for (const width of [1366, 390]) {
        await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
        for (const p of pages()) {
          const response = await page.goto(`${t.url}${p.path}`);
          expect([p.path, response!.status()]).toEqual([p.path, p.name === 'not-found' ? 404 : 200]);
          expect(await page.getAttribute('html', 'lang')).toBe('ru');
          for (const problem of await problems(page)) failures.push(`${p.path} @${width}: ${problem}`);
          const current = await page.locator('nav a[aria-current=page]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
          expect([p.path, current]).toEqual([p.path, p.nav ? [p.nav] : []]);
          if (width === 390) {
            const scrollWidth = (await page.evaluate('document.documentElement.scrollWidth')) as number;
            if (scrollWidth > 390) failures.push(`${p.path} @390: the page is ${scrollWidth} px wide`);
            // The menu is folded on a phone: the page starts with its content, not 120 px of links.
            expect([p.path, await page.locator('nav#nav-menu').isVisible()]).toEqual([p.path, false]);
          }
          await page.screenshot({ path: join(SCREENSHOTS, `${p.name}-${width}.png`), fullPage: true });
        }
      }
      expect(failures).toEqual([]);

      // On a phone the Menu toggle opens the grouped navigation.
      await page.goto(`${t.url}/admin/reports/bounces`);
      await page.click('label[for=nav-toggle]');
      await expect(page.locator('nav#nav-menu').isVisible()).resolves.toBe(true);
      expect(await page.locator('.nav-heading').allTextContents()).toEqual(['Работа', 'Отчёты', 'Настройки']);
      expect((await page.evaluate('document.documentElement.scrollWidth')) as number).toBeLessThanOrEqual(390);
      await page.screenshot({ path: join(SCREENSHOTS, 'menu-open-390.png'), fullPage: true });

      // Tables too wide for a phone scroll inside their own box.
      await page.goto(`${t.url}/admin/reports/cleanup`);
      const box = (await page.evaluate(`(() => {
        const el = document.querySelector('.table-wrap');
        return { overflow: getComputedStyle(el).overflowX, inner: el.scrollWidth, outer: el.clientWidth };
      })()`)) as { overflow: string; inner: number; outer: number };
      expect(box.overflow).toBe('auto');
      expect(box.inner).toBeGreaterThan(box.outer);
      await page.context().close();
    },
    180_000,
  );

  browserIt('the sign-in page is Russian too and fits a phone', async () => {
    const context = await browser!.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${t.url}/admin/login`);
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    expect(await problems(page)).toEqual([]);
    expect(await page.locator('h1').textContent()).toBe('Вход');
    expect((await page.evaluate('document.documentElement.scrollWidth')) as number).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SCREENSHOTS, 'login-390.png'), fullPage: true });
    await context.close();
  });
});

describe('admin UI: language and time zone per user', () => {
  browserIt(
    'switches to English and back; times follow the chosen zone; a bad zone is refused on the form, keeping what was typed',
    async () => {
      await prisma.campaign.update({
        where: { id: ids.draft },
        data: { scheduleKind: 'at', scheduledAt: new Date('2099-01-01T00:00:00Z') },
      });
      const user = await createUser(t, 'marketer');
      const page = await signIn(browser!, t, user);
      await page.goto(`${t.url}/admin/campaigns`);
      // Moscow by default (the installation's DEFAULT_TIME_ZONE): 03:00 on 1 January.
      expect(await page.locator('main').textContent()).toContain('1 янв. 2099 г., 03:00');

      await Promise.all([page.waitForURL(`${t.url}/admin/campaigns`), page.click('[data-test=locale-switch] button')]);
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      expect(await page.locator('h1').textContent()).toBe('Campaigns');
      expect(await page.locator(`[data-test=status-${ids.draft}]`).textContent()).toBe('draft');
      expect((await prisma.user.findUniqueOrThrow({ where: { email: user.email } })).locale).toBe('en');

      await page.goto(`${t.url}/admin/profile`);
      await page.fill('#timeZone', 'Mars/Olympus');
      await page.click('[data-test=profile-form] button[type=submit]');
      expect(await page.locator('.notice.error').textContent()).toBe('Time zone: is not a time zone; such as Europe/Moscow');
      expect(await page.inputValue('#timeZone')).toBe('Mars/Olympus');
      await page.fill('#timeZone', 'Asia/Vladivostok');
      await page.selectOption('#locale', 'ru');
      await Promise.all([page.waitForURL(/done=profileSaved$/), page.click('[data-test=profile-form] button[type=submit]')]);
      expect(await page.locator('.notice.ok').textContent()).toBe('Настройки профиля сохранены.');
      await page.goto(`${t.url}/admin/campaigns`);
      expect(await page.getAttribute('html', 'lang')).toBe('ru');
      expect(await page.locator('main').textContent()).toContain('1 янв. 2099 г., 10:00'); // Vladivostok is UTC+10

      // The new-campaign form reads its date and time in the same zone.
      await page.goto(`${t.url}/admin/campaigns/new`);
      expect(await page.inputValue('#timeZone')).toBe('Asia/Vladivostok');
      await page.fill('#name', 'По Владивостоку');
      await page.selectOption('#templateId', String(ids.template));
      await page.selectOption('#segmentId', String(ids.segment));
      await page.check('input[name=scheduleKind][value=at]');
      await page.fill('#at', '2099-03-01T09:00');
      await Promise.all([page.waitForURL(/done=created$/), page.click('[data-test=campaign-form] button[type=submit]')]);
      const created = await prisma.campaign.findFirstOrThrow({ where: { name: 'По Владивостоку' } });
      expect(created.scheduledAt!.toISOString()).toBe('2099-02-28T23:00:00.000Z');
      await page.context().close();
    },
  );
});

describe('admin UI: unknown pages', () => {
  it('an unknown /admin URL is an HTML page in Russian after sign-in; before it, the sign-in', async () => {
    const anonymous = await fetch(`${t.url}/admin/nothing/here`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Fnothing%2Fhere');

    const user = await createUser(t, 'viewer');
    const login = await fetch(`${t.url}/admin/login`);
    const cookie = /otk_login=([^;]+)/.exec(login.headers.get('set-cookie')!)![1];
    const signedIn = await fetch(`${t.url}/admin/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `otk_login=${cookie}` },
      body: new URLSearchParams({ email: user.email, password: user.password, _csrf: cookie }),
    });
    const session = /otk_admin=([^;]+)/.exec(signedIn.headers.get('set-cookie')!)![1];
    const missing = await fetch(`${t.url}/admin/nothing/here`, { headers: { cookie: `otk_admin=${session}` } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('text/html');
    const body = await missing.text();
    expect(body).toContain('<html lang="ru">');
    expect(body).toContain('Страница не найдена');
    expect(body).toContain('/admin/nothing/here');
    // The API's own 404 stays JSON.
    const api = await fetch(`${t.url}/no-such-api-route`);
    expect(api.headers.get('content-type')).toContain('application/json');
  });
});
