// Admin UI pages over the base in real headless Chromium: customer search and timeline,
// the template editor's save, the suppression list (the segment builder: admin-segments).
import type { Browser } from 'playwright-core';
import { PrismaService } from '../../src/database/prisma.service';
import { makeCustomers } from '../campaigns/campaign-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { browserIt, createUser, launchBrowser, signIn, useSourceView } from './admin-browser';

let t: TestApp;
let prisma: PrismaService;
let browser: Browser | null;

beforeAll(async () => {
  t = await startTestApp();
  prisma = t.app.get(PrismaService);
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('admin UI: customers, segments, templates, suppression', () => {
  browserIt('finds a customer by name and shows the timeline; a hostile name stays text', async () => {
    const [anna] = await makeCustomers(prisma, 'base', 3, { prefix: 'anna' });
    await prisma.customer.update({ where: { id: anna.id }, data: { lastName: '<img src=x onerror=alert(1)>' } });
    await prisma.message.create({ data: { channel: 'email', customerId: anna.id, status: 'sent', sentAt: new Date() } });
    const page = await signIn(browser!, t, await createUser(t, 'viewer'));
    let dialogs = 0;
    page.on('dialog', async (d) => {
      dialogs++;
      await d.dismiss();
    });
    await page.click('nav a[href="/admin/customers"]');
    await page.fill('input[name=q]', 'onerror');
    await Promise.all([page.waitForURL(/q=onerror/), page.click('[data-test=customer-search] button')]);
    const links = page.locator('[data-test=customer-link]');
    expect(await links.count()).toBe(1);
    expect(await links.textContent()).toContain('<img src=x onerror=alert(1)>');
    await links.click();
    await page.waitForURL(new RegExp(`/admin/customers/${anna.id}$`));
    expect(await page.locator('main').textContent()).toContain('согласие дано');
    expect(await page.locator('main').textContent()).not.toContain('opted_in');
    expect(await page.locator('[data-test=timeline] li').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('main img').count()).toBe(0);
    expect(dialogs).toBe(0);
    await page.context().close();
  });

  browserIt('the template editor saves a new version of a built-in template and keeps its data fields', async () => {
    const template = await prisma.template.findFirstOrThrow({ where: { key: 'b2c-promo', channel: 'email' }, select: { id: true } });
    const page = await signIn(browser!, t, await createUser(t, 'marketer'));
    await page.click('nav a[href="/admin/templates"]');
    await page.click(`main a[href="/admin/templates/${template.id}"]`);
    // The preview is another page module's: the page leaves it an empty section to fill.
    expect(await page.locator('section#template-preview').getAttribute('data-template-id')).toBe(String(template.id));
    await useSourceView(page);
    // A broken source is refused on the form with the field named, and what was typed stays.
    const source = await page.inputValue('#body');
    await page.fill('#body', `${source}\n{{#if customer.firstName}}не закрыт`);
    await page.click('[data-test=template-form] button[type=submit]');
    expect(await page.locator('main > .notice.error').textContent()).toMatch(/^Шаблон не сохранён: 1 ошибка/);
    expect(await page.locator('[data-test=errors-body]').textContent()).toContain('{{#if customer.firstName}} is never closed');
    expect(await page.inputValue('#body')).toContain('{{#if customer.firstName}}не закрыт');
    await page.fill('#body', source);
    await page.fill('#subject', 'Скидки для {{customer.firstName}} — UI');
    await Promise.all([page.waitForURL(/done=saved$/), page.click('[data-test=template-form] button[type=submit]')]);
    expect(await page.inputValue('#subject')).toBe('Скидки для {{customer.firstName}} — UI');
    // The preview (the template-preview module, admin-template-preview.e2e-spec.ts) shows the saved subject and the email in its frame.
    await page.locator('[data-test=preview-subject]', { hasText: /^Скидки для .+ — UI$/ }).waitFor({ timeout: 30_000 });
    await page.frameLocator('[data-test=tpv-frame]').locator('body table').first().waitFor({ timeout: 30_000 });
    // The data fields travel through the form as text and come back as the same declaration.
    const saved = await prisma.templateVersion.findFirstOrThrow({ where: { templateId: template.id }, orderBy: { id: 'desc' } });
    const before = await prisma.templateVersion.findFirstOrThrow({
      where: { templateId: template.id, locale: saved.locale, version: saved.version - 1 },
    });
    expect(saved.subject).toBe('Скидки для {{customer.firstName}} — UI');
    expect(saved.dataSchema).toEqual(before.dataSchema);
    expect(saved.dataSchema).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'discountPercent', type: 'number' })]));
    await page.context().close();
  });

  browserIt('an admin suppresses an address by hand and lifts it; a marketer cannot', async () => {
    const marketer = await signIn(browser!, t, await createUser(t, 'marketer'));
    await marketer.goto(`${t.url}/admin/suppression`);
    expect(await marketer.locator('[data-test=suppress-form]').count()).toBe(0);
    await marketer.context().close();
    const page = await signIn(browser!, t, await createUser(t, 'admin'));
    await page.goto(`${t.url}/admin/suppression`);
    await page.fill('#address', 'Blocked.User@Example.com');
    await Promise.all([page.waitForURL(/done=created$/), page.click('[data-test=suppress-form] button')]);
    expect(await page.locator('main table').textContent()).toContain('вручную');
    expect(await prisma.suppression.count({ where: { reason: 'manual' } })).toBe(1);
    page.once('dialog', (d) => void d.accept());
    await Promise.all([page.waitForURL(/done=deleted$/), page.click('main table button')]);
    expect(await prisma.suppression.count({ where: { reason: 'manual' } })).toBe(0);
    await page.context().close();
  });

  browserIt('settings are for admins: an API key is created (shown once, works on the API) and revoked', async () => {
    const marketer = await signIn(browser!, t, await createUser(t, 'marketer'));
    const refused = await marketer.goto(`${t.url}/admin/settings`);
    expect(refused!.status()).toBe(403);
    await marketer.context().close();

    const page = await signIn(browser!, t, await createUser(t, 'admin'));
    await page.click('nav a[href="/admin/settings"]');
    await page.fill('#key-name', 'CRM <sync>');
    await page.selectOption('#key-role', 'viewer');
    await Promise.all([page.waitForURL(/\/admin\/settings\?done=keyCreated$/), page.click('[data-test=key-form] button')]);
    const key = (await page.locator('[data-test=secret] code').textContent())!;
    expect(key).toMatch(/^otk_/);
    // Redirected after the POST: a reload shows the page again, creates no second key and no longer shows the first.
    await page.reload();
    expect(await prisma.apiKey.count({ where: { name: 'CRM <sync>' } })).toBe(1);
    expect(await page.locator('[data-test=secret]').count()).toBe(0);
    expect((await fetch(`${t.url}/campaigns`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    await page.goto(`${t.url}/admin/settings`);
    expect(await page.locator('[data-test=secret]').count()).toBe(0);
    const row = page.locator('tr', { hasText: 'CRM <sync>' });
    page.once('dialog', (d) => void d.accept());
    await Promise.all([page.waitForURL(/done=revoked$/), row.locator('button').click()]);
    expect((await fetch(`${t.url}/campaigns`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
    await page.context().close();
  });

  browserIt('the complaint report and the leads inbox show what customers wrote as text', async () => {
    const [buyer] = await makeCustomers(prisma, 'complainer', 1);
    await prisma.complaint.create({ data: { kind: 'reclamation', customerId: buyer.id, text: 'Заказ пришёл <b>разбитым</b>' } });
    await prisma.lead.create({
      data: { customerId: buyer.id, fromAddress: buyer.email, subject: 'Счёт', text: 'Нужно 20 штук <script>alert(1)</script>' },
    });
    const page = await signIn(browser!, t, await createUser(t, 'viewer'));
    await page.click('nav a[href="/admin/reports/complaints"]');
    expect(await page.locator('[data-test=complaint-text]').textContent()).toBe('Заказ пришёл <b>разбитым</b>');
    await page.click('nav a[href="/admin/reports/leads"]');
    expect(await page.locator('[data-test=lead-text]').textContent()).toBe('Нужно 20 штук <script>alert(1)</script>');
    await page.context().close();
  });
});
