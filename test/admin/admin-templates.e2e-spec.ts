// The template pages in real headless Chromium, in Russian, as a marketer doing the job through
// the UI only: create an email template, put a variable into the subject and the source from the
// menu, save, add the English locale and switch between the two seeing each one's own text, try
// a save with an unclosed {{#if}} and see the error at its line with everything typed still
// there, read the history, diff and restore an older version, clone, rename and delete the
// clone; and the guard against leaving with unsaved changes. The database is read only to check.
import { join } from 'node:path';
import type { Browser, Dialog, Page } from 'playwright-core';
import { PrismaService } from '../../src/database/prisma.service';
import { waitFor } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';
import { browserIt, builderReady, createUser, launchBrowser, SCREENSHOTS, signIn, useSourceView } from './admin-browser';

let t: TestApp;
let prisma: PrismaService;
let browser: Browser | null;
let templateId = 0;

beforeAll(async () => {
  t = await startTestApp();
  prisma = t.app.get(PrismaService);
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** Every dialog the page opens, answered with `answer` (accept unless told otherwise). */
function dialogs(page: Page): { seen: Array<{ type: string; message: string }>; answer: 'accept' | 'dismiss' } {
  const state = { seen: [] as Array<{ type: string; message: string }>, answer: 'accept' as 'accept' | 'dismiss' };
  page.on('dialog', (d: Dialog) => {
    state.seen.push({ type: d.type(), message: d.message() });
    void (state.answer === 'accept' ? d.accept() : d.dismiss());
  });
  return state;
}

/** Submits a form by its button and waits for the answer to the POST; returns its status. */
async function submit(page: Page, button: string): Promise<number> {
  const [response] = await Promise.all([
    // the form's own POST: the page's navigation (not the preview's requests, nor its frame's)
    page.waitForResponse(
      (r) => r.request().method() === 'POST' && r.request().isNavigationRequest() && r.request().frame() === page.mainFrame(),
      { timeout: 30_000 },
    ),
    page.click(button),
  ]);
  await page.waitForLoadState('domcontentloaded');
  return response.status();
}

async function versionsOf(locale: string) {
  return prisma.templateVersion.findMany({ where: { templateId, locale }, orderBy: { version: 'asc' } });
}

describe('admin UI: template pages', () => {
  browserIt(
    'creates an email template, inserts variables from the menu, saves, adds English and keeps typed text on a refused save',
    async () => {
      const page = await signIn(browser!, t, await createUser(t, 'marketer'));
      await page.click('nav a[href="/admin/templates"]');

      // A refused create names the field and keeps what was typed.
      await page.fill('#new-key', 'Ежемесячное письмо');
      await page.fill('#new-name', 'Ежемесячное B2B');
      expect(await submit(page, '[data-test=template-create] button[type=submit]')).toBe(400);
      expect(await page.locator('main > .notice.error').textContent()).toMatch(/^«Ключ»: латинские строчные буквы/);
      expect(await page.inputValue('#new-name')).toBe('Ежемесячное B2B');
      expect(await page.inputValue('#new-key')).toBe('Ежемесячное письмо');

      await page.fill('#new-key', 'monthly-b2b');
      await page.selectOption('#new-channel', 'email');
      await page.selectOption('#new-locale', 'ru');
      await page.fill('#new-description', 'Письмо оптовым клиентам раз в месяц');
      await Promise.all([
        page.waitForURL(/\/admin\/templates\/\d+\?locale=ru&done=created$/),
        page.click('[data-test=template-create] button[type=submit]'),
      ]);
      templateId = Number(/templates\/(\d+)/.exec(page.url())![1]);
      expect(await page.locator('h1').textContent()).toBe('Шаблон «Ежемесячное B2B»');
      // This test edits the MJML by hand (the visual builder has its own test, admin-studio).
      await useSourceView(page);
      // The skeleton: one section, one column, one text.
      const skeleton = await page.inputValue('#body');
      expect(skeleton).toMatch(/<mj-section>\s*<mj-column>\s*<mj-text>Здравствуйте, \{\{firstName default="клиент"\}\}!<\/mj-text>/);
      expect(await page.locator('#body').getAttribute('data-channel')).toBe('email');
      expect(await page.locator('section#template-preview').getAttribute('data-locale')).toBe('ru');
      const variables = JSON.parse((await page.locator('#template-variables').textContent())!) as Array<{ insert: string }>;
      expect(variables.map((v) => v.insert)).toEqual(
        expect.arrayContaining(['{{unsubscribeUrl}}', '{{brand.name}}', '{{track "https://"}}']),
      );

      // The subject: typed, then the first name from the menu at the cursor.
      await page.fill('#subject', '');
      await page.click('#subject');
      await page.keyboard.type('Новости месяца, ');
      await page.selectOption('[data-test=variable-menu-subject]', '{{firstName default="клиент"}}');
      expect(await page.inputValue('#subject')).toBe('Новости месяца, {{firstName default="клиент"}}');
      // A data field declared on the form joins the menu and goes into the text, before </mj-text>.
      await page.fill('#dataFields', 'month: text! "Месяц" = {{run.month}}');
      await page.click('#body');
      // the caret just before the text's </mj-text>, where a click there would put it
      await page.locator('#body').evaluate((el) => {
        const area = el as unknown as { value: string; setSelectionRange(from: number, to: number): void };
        const at = area.value.indexOf('</mj-text>');
        area.setSelectionRange(at, at);
      });
      await page.keyboard.type(' Итоги за ');
      await page.selectOption('[data-test=variable-menu-body]', '{{data.month}}');
      expect(await page.inputValue('#body')).toContain('!</mj-text>'.replace('!', '! Итоги за {{data.month}}'));
      await page.screenshot({ path: join(SCREENSHOTS, 'templates-edit.png'), fullPage: true });
      await Promise.all([page.waitForURL(/locale=ru&done=saved$/), page.click('[data-test=template-form] button[type=submit]')]);
      let ru = await versionsOf('ru');
      expect(ru).toHaveLength(2);
      expect(ru[1].subject).toBe('Новости месяца, {{firstName default="клиент"}}');
      expect(ru[1].body).toContain('Итоги за {{data.month}}</mj-text>');
      expect(ru[1].body).not.toContain('\r');
      expect(ru[1].dataSchema).toEqual([{ name: 'month', type: 'text', required: true, label: 'Месяц', default: '{{run.month}}' }]);
      expect(ru[1].createdBy).toMatch(/^admin UI: marketer\./);

      // English: a copy of Russian first, then its own text.
      expect(await page.inputValue('#add-locale')).toBe('en');
      await Promise.all([page.waitForURL(/locale=en&done=localeAdded$/), page.click('[data-test=add-locale] button[type=submit]')]);
      expect(await page.locator('[data-test=locale-tabs] a[aria-current=page]').getAttribute('data-locale')).toBe('en');
      expect(await page.inputValue('#subject')).toBe('Новости месяца, {{firstName default="клиент"}}');
      await page.fill('#subject', 'Monthly news, {{firstName default="there"}}');
      await page.fill(
        '#body',
        (await page.inputValue('#body')).replace(
          'Здравствуйте, {{firstName default="клиент"}}! Итоги за',
          'Hello {{firstName default="there"}}! Results for',
        ),
      );
      await Promise.all([page.waitForURL(/locale=en&done=saved$/), page.click('[data-test=template-form] button[type=submit]')]);
      await Promise.all([page.waitForURL(/locale=ru$/), page.click('[data-test=locale-tabs] a[data-locale=ru]')]);
      expect(await page.locator('[data-test=locale-tabs] a[aria-current=page]').getAttribute('data-locale')).toBe('ru');
      expect(await page.inputValue('#subject')).toBe('Новости месяца, {{firstName default="клиент"}}');
      expect(await page.inputValue('#body')).toContain('Здравствуйте');
      await Promise.all([page.waitForURL(/locale=en$/), page.click('[data-test=locale-tabs] a[data-locale=en]')]);
      expect(await page.inputValue('#subject')).toBe('Monthly news, {{firstName default="there"}}');
      expect(await page.inputValue('#body')).toContain('Hello {{firstName default="there"}}! Results for {{data.month}}');
      expect(await page.inputValue('#body')).not.toContain('Здравствуйте');

      // A Handlebars error: refused, shown at its line, everything typed still there.
      await page.click('[data-test=locale-tabs] a[data-locale=ru]');
      await page.waitForURL(/locale=ru$/);
      const good = await page.inputValue('#body');
      const broken = good.replace('<mj-text>', '<mj-text>\n{{#if firstName}}Для вас');
      const brokenLine = broken.split('\n').findIndex((l) => l.includes('{{#if firstName}}')) + 1;
      await page.fill('#body', broken);
      await page.fill('#subject', 'Тема, которую нельзя потерять');
      await page.fill('#preheader', 'Прехедер тоже');
      await page.fill('#dataFields', 'month: text! "Месяц" = {{run.month}}\nregion: text "Регион"');
      const dialogState = dialogs(page);
      expect(await submit(page, '[data-test=template-form] button[type=submit]')).toBe(400);
      expect(await page.locator('main > .notice.error').textContent()).toMatch(/^Шаблон не сохранён: 1 ошибка/);
      const mark = page.locator('[data-test=errors-body] a.line-mark');
      expect(await mark.textContent()).toBe(`строка ${brokenLine}, столбец 1`);
      expect(await page.locator('[data-test=errors-body]').textContent()).toContain('{{#if firstName}} is never closed');
      expect(await page.inputValue('#body')).toBe(broken);
      expect(await page.inputValue('#subject')).toBe('Тема, которую нельзя потерять');
      expect(await page.inputValue('#preheader')).toBe('Прехедер тоже');
      expect(await page.inputValue('#dataFields')).toBe('month: text! "Месяц" = {{run.month}}\nregion: text "Регион"');
      // Clicking the mark selects that line in the source.
      await mark.click();
      const selected = await page.locator('#body').evaluate((el) => {
        const area = el as unknown as { value: string; selectionStart: number; selectionEnd: number };
        return area.value.slice(area.selectionStart, area.selectionEnd);
      });
      expect(selected).toBe(broken.split('\n')[brokenLine - 1]);
      expect(selected).toMatch(/^\{\{#if firstName\}\}Для вас/);
      await page.screenshot({ path: join(SCREENSHOTS, 'templates-refused.png'), fullPage: true });
      expect(await versionsOf('ru')).toHaveLength(2);
      expect(dialogState.seen).toEqual([]);

      // An expression MJML would drop (text between layout elements): refused at its line too.
      const dropped = good.replace('<mj-text>', '{{firstName}}\n<mj-text>');
      const droppedLine = dropped.split('\n').findIndex((l) => l.trim() === '{{firstName}}') + 1;
      await page.fill('#body', dropped);
      expect(await submit(page, '[data-test=template-form] button[type=submit]')).toBe(400);
      expect(await page.locator('[data-test=errors-body] a.line-mark').textContent()).toMatch(
        new RegExp(`^строка ${droppedLine}, столбец \\d+$`),
      );
      expect(await page.locator('[data-test=errors-body]').textContent()).toContain('would be dropped');
      expect(await page.inputValue('#body')).toBe(dropped);
      expect(await versionsOf('ru')).toHaveLength(2);

      // A misspelt variable saves with a short warning that suggests the declared name.
      await page.fill('#body', good.replace('{{data.month}}', '{{data.mnth}}'));
      await page.fill('#subject', 'Новости месяца, {{firstName default="клиент"}}');
      await page.fill('#preheader', '');
      await page.fill('#dataFields', 'month: text! "Месяц" = {{run.month}}');
      await Promise.all([page.waitForURL(/done=saved$/), page.click('[data-test=template-form] button[type=submit]')]);
      expect((await page.locator('[data-test=unknown-variable]').textContent())!.replace(/\s+/g, ' ').trim()).toBe(
        'неизвестная переменная `data.mnth` — может быть, `data.month`? (текст: строка 5)',
      );
      await page.fill('#body', good);
      await Promise.all([page.waitForURL(/done=saved$/), page.click('[data-test=template-form] button[type=submit]')]);
      expect(await page.locator('[data-test=template-warnings]').count()).toBe(0);
      ru = await versionsOf('ru');
      expect(ru).toHaveLength(4);
      await page.context().close();
    },
    180_000,
  );

  browserIt(
    'reads the history, diffs and restores an older version; clones, renames and deletes the clone',
    async () => {
      expect(templateId).toBeGreaterThan(0);
      const page = await signIn(browser!, t, await createUser(t, 'marketer'));
      const state = dialogs(page);
      await page.goto(`${t.url}/admin/templates/${templateId}?locale=ru`);
      await useSourceView(page);
      await Promise.all([page.waitForURL(/\/versions\?locale=ru$/), page.click('[data-test=history-link]')]);
      const rows = page.locator('[data-test=version-list] tbody tr');
      expect(await rows.count()).toBe(4);
      expect(await rows.first().textContent()).toContain('текущая');
      expect(await rows.first().textContent()).toContain('admin UI: marketer.');

      // Version 1 (the skeleton) against the current one: the added words are marked "+".
      await Promise.all([page.waitForURL(/\/versions\/\d+$/), page.click('[data-test=version-list] a[data-version="1"]')]);
      expect(await page.locator('h1').textContent()).toBe('Версия 1 шаблона «Ежемесячное B2B», язык «ru»');
      const added = await page.locator('[data-test=version-diff] ins').allTextContents();
      const removed = await page.locator('[data-test=version-diff] del').allTextContents();
      expect(added.join('\n')).toContain('+ Тема письма: Новости месяца, {{firstName default="клиент"}}');
      expect(added.join('\n')).toContain('Итоги за {{data.month}}');
      expect(added.every((line) => line.startsWith('добавлено: +'))).toBe(true);
      expect(removed.join('\n')).toContain('− Тема письма: Ежемесячное B2B');
      expect(removed.join('\n')).not.toContain('{{data.month}}');
      // unchanged lines stay unchanged (a browser's CRLF is not stored)
      expect(removed.join('\n')).not.toContain('<mjml>');
      expect(await page.locator('[data-test=version-diff] .diff-same', { hasText: '<mjml>' }).count()).toBe(1);
      await page.screenshot({ path: join(SCREENSHOTS, 'templates-diff.png'), fullPage: true });

      await Promise.all([page.waitForURL(/locale=ru&done=restored$/), page.click('main form[action$="/restore"] button')]);
      expect(state.seen.map((d) => d.type)).toEqual(['confirm']);
      expect(await page.inputValue('#subject')).toBe('Ежемесячное B2B');
      expect(await page.inputValue('#body')).not.toContain('{{data.month}}');
      const ru = await versionsOf('ru');
      expect(ru).toHaveLength(5);
      expect(ru[4].body).toBe(ru[0].body);
      expect(ru[4].subject).toBe(ru[0].subject);

      // Clone: a new key, every locale's current version copied.
      await page.fill('#clone-key', 'monthly-b2b-copy');
      await page.fill('#clone-name', 'Копия B2B');
      await Promise.all([
        page.waitForURL(/\/admin\/templates\/\d+\?done=cloned$/),
        page.click('[data-test=template-clone] button[type=submit]'),
      ]);
      const cloneId = Number(/templates\/(\d+)/.exec(page.url())![1]);
      expect(cloneId).not.toBe(templateId);
      expect(await page.locator('[data-test=locale-tabs] a').allTextContents()).toEqual(['en — английский', 'ru — русский']);
      const copies = await prisma.templateVersion.findMany({ where: { templateId: cloneId }, orderBy: { locale: 'asc' } });
      const sources = await Promise.all(['en', 'ru'].map(async (l) => (await versionsOf(l)).at(-1)!));
      expect(copies.map((c) => [c.locale, c.subject, c.body])).toEqual(sources.map((s) => [s.locale, s.subject, s.body]));

      // A taken key is refused with the field named and the typed name kept.
      await page.fill('#clone-key', 'monthly-b2b');
      await page.fill('#clone-name', 'Ещё копия');
      expect(await submit(page, '[data-test=template-clone] button[type=submit]')).toBe(400);
      expect(await page.locator('main > .notice.error').textContent()).toBe('«Ключ»: такой ключ уже есть');
      expect(await page.inputValue('#clone-name')).toBe('Ещё копия');

      // Rename the clone.
      await page.fill('#detail-name', 'Копия B2B (черновик)');
      await page.fill('#detail-description', 'Проба нового оформления');
      await Promise.all([page.waitForURL(/done=saved$/), page.click('[data-test=template-details] button[type=submit]')]);
      expect(await page.locator('h1').textContent()).toBe('Шаблон «Копия B2B (черновик)»');
      expect(await prisma.template.findUniqueOrThrow({ where: { id: cloneId } })).toMatchObject({
        key: 'monthly-b2b-copy',
        name: 'Копия B2B (черновик)',
        description: 'Проба нового оформления',
      });

      // Delete the clone (asked first); the original stays.
      state.seen.length = 0;
      await Promise.all([
        page.waitForURL(/\/admin\/templates\?done=deleted$/),
        page.click(`main form[action="/admin/templates/${cloneId}/delete"] button`),
      ]);
      expect(state.seen).toEqual([{ type: 'confirm', message: 'Удалить шаблон «Копия B2B (черновик)» со всеми версиями?' }]);
      expect(await prisma.template.count({ where: { id: cloneId } })).toBe(0);
      expect(await page.locator(`main a[href="/admin/templates/${templateId}"]`).textContent()).toBe('monthly-b2b');

      // A template a campaign uses cannot be deleted: the refusal is shown on its page.
      await prisma.campaign.create({ data: { name: 'Ежемесячная', channel: 'email', templateId } });
      await page.goto(`${t.url}/admin/templates/${templateId}`);
      expect(await submit(page, `main form[action="/admin/templates/${templateId}/delete"] button`)).toBe(409);
      expect(await page.locator('main > .notice.error').textContent()).toMatch(/^Шаблон не удалён: его используют рассылки/);
      expect(await prisma.template.count({ where: { id: templateId } })).toBe(1);
      await page.context().close();
    },
    120_000,
  );

  browserIt('creates an SMS template (no subject or preheader); a viewer reads a template without the form', async () => {
    const page = await signIn(browser!, t, await createUser(t, 'marketer'));
    await page.goto(`${t.url}/admin/templates`);
    await page.fill('#new-key', 'sms-reminder');
    await page.fill('#new-name', 'Напоминание по SMS');
    await page.selectOption('#new-channel', 'sms');
    await Promise.all([page.waitForURL(/locale=ru&done=created$/), page.click('[data-test=template-create] button[type=submit]')]);
    expect(await page.locator('#subject').count()).toBe(0);
    expect(await page.locator('#preheader').count()).toBe(0);
    expect(await page.locator('#body').getAttribute('data-channel')).toBe('sms');
    expect(await page.locator('section#template-preview').getAttribute('data-channel')).toBe('sms');
    await page.fill('#body', '');
    await page.click('#body');
    await page.keyboard.type('Ждём вас завтра. ');
    await page.selectOption('[data-test=variable-menu-body]', '{{brand.name}}');
    await Promise.all([page.waitForURL(/done=saved$/), page.click('[data-test=template-form] button[type=submit]')]);
    const sms = await prisma.template.findFirstOrThrow({
      where: { key: 'sms-reminder', channel: 'sms' },
      include: { versions: { orderBy: { version: 'asc' } } },
    });
    expect(sms.versions.map((v) => [v.subject, v.body])).toEqual([
      [null, 'Здравствуйте, {{firstName default="клиент"}}!'],
      [null, 'Ждём вас завтра. {{brand.name}}'],
    ]);
    await page.context().close();

    const viewer = await signIn(browser!, t, await createUser(t, 'viewer'));
    await viewer.goto(`${t.url}/admin/templates/${sms.id}`);
    expect(await viewer.locator('[data-test=template-source]').textContent()).toBe('Ждём вас завтра. {{brand.name}}');
    expect(await viewer.locator('main form:not([data-test=tpv-frame-form])').count()).toBe(0);
    expect(await viewer.locator('[data-test=tpv-test]').count()).toBe(0); // no test send for a viewer
    expect(await viewer.locator('script[src="/admin/assets/template-editor.js"]').count()).toBe(0);
    await viewer.goto(`${t.url}/admin/templates`);
    expect(await viewer.locator('[data-test=template-create]').count()).toBe(0);
    await viewer.context().close();
  });

  browserIt('asks before leaving a template with unsaved changes, and not otherwise', async () => {
    expect(templateId).toBeGreaterThan(0);
    const page = await signIn(browser!, t, await createUser(t, 'marketer'));
    const state = dialogs(page);
    await page.goto(`${t.url}/admin/templates/${templateId}?locale=ru`);
    // The builder's first render of the saved source is no change of the user's.
    await builderReady(page);
    // Unchanged: leaving asks nothing.
    await Promise.all([page.waitForURL(/\/admin\/templates$/), page.click('nav a[href="/admin/templates"]')]);
    expect(state.seen).toEqual([]);
    await page.goBack();
    await page.waitForURL(/locale=ru$/);
    await page.click('#subject');
    await page.keyboard.press('End');
    await page.keyboard.type(' — черновик');
    // Changed: the browser asks; staying keeps the text.
    state.answer = 'dismiss';
    await page.click('nav a[href="/admin/segments"]');
    await waitFor(() => state.seen.length === 1, 10_000, 'the beforeunload dialog');
    expect(state.seen[0].type).toBe('beforeunload');
    expect(page.url()).toMatch(/locale=ru$/);
    expect(await page.inputValue('#subject')).toMatch(/ — черновик$/);
    // Saving is not leaving: no question.
    await Promise.all([page.waitForURL(/done=saved$/), page.click('[data-test=template-form] button[type=submit]')]);
    expect(state.seen).toHaveLength(1);
    await page.context().close();
  });
});
