// The import page in real headless Chromium, in Russian: a marketer uploads a Windows-1251 CSV
// with Russian headers separated by semicolons, sees how it was read and maps its columns (an
// unknown «Город» goes to an attribute under the key city), runs a dry run that writes nothing,
// imports for real, reads the issues by line and downloads them as CSV. The database then holds
// the good lines with their Cyrillic names, and no email twice among live customers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as iconv from 'iconv-lite';
import type { Browser, Page } from 'playwright-core';
import { AdminAuthService } from '../../src/admin/admin-auth.service';
import { PrismaService } from '../../src/database/prisma.service';
import { startTestApp, type TestApp } from '../support/test-app';
import { browserIt, createUser, launchBrowser, SCREENSHOTS, signIn } from './admin-browser';

let t: TestApp;
let prisma: PrismaService;
let browser: Browser | null;

const CSV = [
  'Имя;Фамилия;Email;Телефон;Город;Компания',
  'Анна;Петрова;anna@mail.ru;+7 912 345-67-89;Казань;ООО «Вектор»', // 2: new, linked to a new company record
  'Борис;Иванов;boris(at)mail.ru;+7 913 111-22-33;Омск;', // 3: invalid email
  'Вера;Сидорова;ANNA@mail.ru;+7 914 222-33-44;Томск;', // 4: the email of line 2 again
  'Глеб;Орлов;gleb@mail.ru;12-3;Москва;', // 5: broken phone
  'Дарья;Ким;daria@mail.ru;;Самара;ООО «Вектор»', // 6: new, the same company
  'Ёлка;Новая;old@mail.ru;;Тула;', // 7: a customer the base already has: updated
].join('\r\n');

beforeAll(async () => {
  t = await startTestApp({ IMPORT_MAX_UPLOAD_MB: '1' });
  prisma = t.app.get(PrismaService);
  browser = await launchBrowser();
  await prisma.customer.create({ data: { firstName: 'Старое', lastName: 'Имя', email: 'old@mail.ru' } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function shoot(page: Page, name: string): Promise<void> {
  for (const width of [1366, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
    if (width === 390) expect([name, (await page.evaluate('document.documentElement.scrollWidth')) as number]).toEqual([name, 390]);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Waits for the page (which reloads itself while the import runs) to show the finished import. */
async function finished(page: Page): Promise<void> {
  await page.waitForSelector('[data-test=job-status][data-status=completed], [data-test=job-status][data-status=failed]', {
    timeout: 60_000,
  });
  expect(await page.locator('[data-test=job-status]').getAttribute('data-status')).toBe('completed');
}

const stat = async (page: Page, name: string) => Number(await page.locator(`[data-test=${name}]`).textContent());
const live = (email: string) => prisma.customer.count({ where: { email, erasedAt: null } });

describe('admin UI: CSV import', () => {
  browserIt(
    'a marketer uploads a Windows-1251 file, maps its columns, runs a dry run, imports for real and reads the issues',
    async () => {
      const page = await signIn(browser!, t, await createUser(t, 'marketer'));
      await page.click('nav a[href="/admin/imports"]');
      expect(await page.locator('h1').textContent()).toBe('Импорт из CSV');
      await shoot(page, 'import-upload');

      // Errors name the field and keep the choices.
      await page.selectOption('#kind', 'orders');
      await page.click('[data-test=upload-form] button[type=submit]');
      expect(await page.locator('.notice.error').textContent()).toBe('«Файл»: выберите файл');
      expect(await page.inputValue('#kind')).toBe('orders');
      await page.selectOption('#kind', 'customers');
      await page.setInputFiles('#file', {
        name: 'клиенты.xlsx',
        mimeType: 'application/octet-stream',
        buffer: Buffer.from('PK\x03\x04rest', 'latin1'),
      });
      await page.click('[data-test=upload-form] button[type=submit]');
      expect(await page.locator('.notice.error').textContent()).toContain('«Файл»: это книга Excel, а не CSV');
      await page.setInputFiles('#file', { name: 'большой.csv', mimeType: 'text/csv', buffer: Buffer.alloc(1_200_000, 'a') });
      await page.click('[data-test=upload-form] button[type=submit]');
      expect(await page.locator('.notice.error').textContent()).toContain('«Файл»: файл больше допустимых 1 МБ');
      expect(await prisma.importJob.count()).toBe(0); // nothing refused was kept

      await page.setInputFiles('#file', { name: 'клиенты.csv', mimeType: 'text/csv', buffer: iconv.encode(CSV, 'windows-1251') });
      await Promise.all([page.waitForURL(/\/admin\/imports\/\d+$/), page.click('[data-test=upload-form] button[type=submit]')]);
      const pendingId = Number(/imports\/(\d+)/.exec(page.url())![1]);
      expect(await page.locator('h1').textContent()).toBe('Столбцы файла «клиенты.csv»');
      const readAs = await page.locator('[data-test=read-as]').textContent();
      expect(readAs).toContain('Кодировка: Windows-1251');
      expect(readAs).toContain('Разделитель: точка с запятой');
      // The first rows as parsed, in Cyrillic.
      expect(await page.locator('main table').first().textContent()).toContain('ООО «Вектор»');
      expect(await page.inputValue('#col-0')).toBe('first_name');
      expect(await page.inputValue('#col-2')).toBe('email');
      expect(await page.inputValue('#col-3')).toBe('phone');
      expect(await page.inputValue('#col-4')).toBe('attribute'); // «Город»: not a field
      expect(await page.locator('[data-test=key-4]').textContent()).toBe('ключ: city');
      expect(await page.inputValue('#col-5')).toBe('company'); // links contacts to a company record
      // The browser module shows the key a column gets when it becomes an attribute.
      await page.selectOption('#col-1', 'attribute');
      expect(await page.locator('[data-test=key-1]').textContent()).toBe('ключ: familiya');
      await page.selectOption('#col-1', 'last_name');
      expect(await page.locator('[data-test=key-1]').textContent()).toBe('');
      await shoot(page, 'import-mapping');

      // A mapping that cannot work is refused on the form, naming why, with the choices kept.
      await page.selectOption('#col-2', 'ignore');
      await page.selectOption('#col-3', 'ignore');
      await page.check('[data-test=dry-run]');
      await page.click('[data-test=start]');
      expect(await page.locator('.notice.error').textContent()).toContain(
        '«Столбцы»: нужен столбец «Внешний ID (код клиента)» или «Эл. почта» или «Телефон»',
      );
      expect(await page.inputValue('#col-2')).toBe('ignore');
      expect(await page.isChecked('[data-test=dry-run]')).toBe(true);
      await page.selectOption('#col-2', 'email');
      await page.selectOption('#col-3', 'phone');

      // The dry run: counted, nothing written.
      await Promise.all([page.waitForURL(`${t.url}/admin/imports/${pendingId}`), page.click('[data-test=start]')]);
      await finished(page);
      expect(await page.locator('[data-test=dry-run-done]').textContent()).toContain('в базе ничего не изменилось');
      expect(await stat(page, 'inserted')).toBe(2);
      expect(await stat(page, 'updated')).toBe(1);
      expect(await live('anna@mail.ru')).toBe(0);
      expect(await prisma.customer.findFirstOrThrow({ where: { email: 'old@mail.ru' } })).toMatchObject({ firstName: 'Старое' });

      // The real import, from the same file: no second upload.
      await Promise.all([page.waitForURL(/\/admin\/imports\/\d+$/), page.click('[data-test=import-for-real]')]);
      const realId = Number(/imports\/(\d+)/.exec(page.url())![1]);
      expect(realId).toBeGreaterThan(pendingId);
      await finished(page);
      expect(await page.locator('[data-test=dry-run-done]').count()).toBe(0);
      expect([await stat(page, 'rows'), await stat(page, 'inserted'), await stat(page, 'updated')]).toEqual([6, 2, 1]);
      expect([await stat(page, 'duplicates'), await stat(page, 'rejected')]).toEqual([1, 2]);
      const issues = await page
        .locator('[data-test=issues] tbody tr')
        .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent!.trim())));
      expect(issues).toEqual([
        ['3', 'ошибка', 'Эл. почта', 'неверная почта: нет знака @', '—'],
        ['4', 'предупреждение', 'Эл. почта', 'повтор строки 2: оставлена первая, эта не загружена', 'строка 2'],
        ['5', 'ошибка', 'Телефон', expect.stringMatching(/^неверный телефон: /), '—'],
      ]);
      await shoot(page, 'import-result');

      // The issues as CSV, downloaded from the page.
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=issues-csv]')]);
      const csv = readFileSync((await download.path())!, 'utf8');
      expect(download.suggestedFilename()).toBe(`import-${realId}-issues.csv`);
      expect(csv.split('\r\n')).toEqual([
        '\uFEFFСтрока;Тип;Поле;Причина;Связанная строка;code',
        '3;ошибка;Эл. почта;неверная почта: нет знака @;;email.no_at',
        expect.stringMatching(/^5;ошибка;Телефон;неверный телефон: [^;]+;;phone\.\w+$/), // errors, then warnings, as stored
        '4;предупреждение;Эл. почта;"повтор строки 2: оставлена первая, эта не загружена";2;duplicate', // quoted: a comma inside
        '',
      ]);

      // The base: the good lines with their Cyrillic names, one live customer per email.
      const anna = await prisma.customer.findFirstOrThrow({ where: { email: 'anna@mail.ru' } });
      expect(anna).toMatchObject({ firstName: 'Анна', lastName: 'Петрова', phone: '+79123456789', attributes: { city: 'Казань' } });
      const daria = await prisma.customer.findFirstOrThrow({ where: { email: 'daria@mail.ru' } });
      expect(daria).toMatchObject({ firstName: 'Дарья', lastName: 'Ким', attributes: { city: 'Самара' } });
      const company = await prisma.customer.findFirstOrThrow({ where: { kind: 'company', companyName: 'ООО «Вектор»' } });
      expect([anna.companyId, daria.companyId]).toEqual([company.id, company.id]);
      expect(await live('anna@mail.ru')).toBe(1); // Вера's line, the same email, made no second customer
      expect(await prisma.customer.count({ where: { firstName: 'Вера' } })).toBe(0);
      expect(await live('old@mail.ru')).toBe(1);
      expect(await prisma.customer.findFirstOrThrow({ where: { email: 'old@mail.ru' } })).toMatchObject({
        firstName: 'Ёлка',
        lastName: 'Новая',
      });
      expect(await prisma.customer.count({ where: { firstName: { in: ['Борис', 'Глеб'] } } })).toBe(0);
      expect(await prisma.importChunk.count()).toBe(0); // the file is gone once imported

      // The list: both imports, statuses as words, who started them.
      await page.click('nav a[href="/admin/imports"]');
      expect(await page.locator(`[data-test=import-status-${realId}]`).textContent()).toBe('завершён');
      expect(await page.locator('main table').textContent()).toContain('пробная проверка');

      // Orders: a UTF-8 file with commas gets the order fields.
      await page.selectOption('#kind', 'orders');
      const orders = 'Номер заказа,Дата заказа,Email,Сумма\nA-1,01.12.2026,anna@mail.ru,"1 500,00"\n';
      await page.setInputFiles('#file', { name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(orders) });
      await Promise.all([page.waitForURL(/\/admin\/imports\/\d+$/), page.click('[data-test=upload-form] button[type=submit]')]);
      expect(await page.locator('[data-test=read-as]').textContent()).toContain('Разделитель: запятая');
      expect([await page.inputValue('#col-0'), await page.inputValue('#col-1'), await page.inputValue('#col-2')]).toEqual([
        'order_id',
        'ordered_at',
        'customer_email',
      ]);
      await page.context().close();
    },
    120_000,
  );

  it('refuses a multipart upload without the session’s CSRF token, and keeps nothing', async () => {
    const users = t.app.get(AdminAuthService);
    await users.createUser({ email: 'csrf@import.test', role: 'marketer', password: 'password of csrf' });
    const { token } = (await users.login('csrf@import.test', 'password of csrf'))!;
    const form = new FormData();
    form.append('_csrf', 'forged');
    form.append('kind', 'customers');
    form.append('file', new Blob(['email\nx@y.ru\n'], { type: 'text/csv' }), 'a.csv');
    const before = await prisma.importJob.count();
    const answer = await fetch(`${t.url}/admin/imports`, {
      method: 'POST',
      headers: { cookie: `otk_admin=${token}` },
      body: form,
      redirect: 'manual',
    });
    expect(answer.status).toBe(403);
    expect(await answer.text()).toContain('CSRF');
    expect(await prisma.importJob.count()).toBe(before);
  });
});
