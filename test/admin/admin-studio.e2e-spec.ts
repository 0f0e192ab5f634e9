// The content studio end to end, in real Chromium, in Russian, as a marketer, through the UI
// only: the monthly B2B email built from blocks in the visual builder (a heading with the month,
// a text with the customer's company, a price-list button, an image uploaded in the studio),
// saved, switched to the source view and back, previewed for a real Russian customer and at
// 390 px, and sent as a test to a real SMTP server; the received message (read by mailparser)
// carries the same text, links and image as the preview. No CSP violation anywhere on the way;
// screenshots of the preview and of the received message side by side.
import { deflateSync, crc32 } from 'node:zlib';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Browser, Frame, Page } from 'playwright-core';
import { PrismaService } from '../../src/database/prisma.service';
import { startSmtpSink, waitFor, type SmtpSink } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';
import { browserIt, createUser, launchBrowser, SCREENSHOTS, signIn } from './admin-browser';

let t: TestApp;
let sink: SmtpSink;
let prisma: PrismaService;
let browser: Browser | null;
let customerId: number;

const BUTTON_URL = 'https://shop.example/price-list-2026-12.xlsx';

/** A real PNG (solid colour, w×h) made here, so the test needs no file from elsewhere. */
function png(width: number, height: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body) >>> 0, 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.concat(Array.from({ length: width }, () => Buffer.from(rgb)))]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Text as a reader sees it: whitespace folded. */
const plain = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await startTestApp({ SMTP_URL: sink.url, MAIL_FROM: 'news@shop.example', FREQUENCY_CAP_PER_WEEK: '0' });
  prisma = t.app.get(PrismaService);
  browser = await launchBrowser();
  const customer = await prisma.customer.create({
    data: {
      email: 'anna.prokhorova@romashka.example',
      firstName: 'Анна',
      lastName: 'Прохорова',
      companyName: 'ООО «Ромашка»',
      locale: 'ru',
    },
    select: { id: true },
  });
  customerId = customer.id;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  await sink?.close();
});

/** Every console message of the page and its frames that reports a CSP violation. */
function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}

async function builderFrame(page: Page): Promise<Frame> {
  const handle = await page.locator('#template-builder iframe.gjs-frame').elementHandle({ timeout: 30_000 });
  return (await handle!.contentFrame())!;
}

/** Clicks a block of the builder's block panel by its Russian name (a click adds it). */
async function addBlock(page: Page, name: string): Promise<void> {
  const block = page.locator(`#template-builder .gjs-block[title="${name}"]`);
  if (!(await block.isVisible())) await page.click('#template-builder [data-test="builder-open-blocks"]');
  await block.click();
}

/** Double-clicks a text of the email to edit it, selects all of it and types over it. */
async function editText(page: Page, frame: Frame, current: string, parts: Array<string | { variable: string }>): Promise<void> {
  await frame.locator('[contenteditable], div, td, p, span', { hasText: current }).last().dblclick();
  await page.keyboard.press('Control+A');
  for (const part of parts) {
    if (typeof part === 'string') await page.keyboard.type(part);
    else await page.selectOption('[data-test=builder-variable]', { label: part.variable });
  }
}

describe('admin UI: content studio', () => {
  browserIt(
    'builds the monthly B2B email from blocks, saves, switches views, previews for a Russian customer at 390 px and sends a test that matches the preview',
    async () => {
      const page = await signIn(browser!, t, await createUser(t, 'marketer'));
      const violations = cspViolations(page);
      // The email's images live at PUBLIC_URL (an address of production): the browser gets them from this app.
      const publicUrl = t.env.PUBLIC_URL.replace(/\/$/, '');
      await page.context().route(`${publicUrl}/images/**`, async (route) => {
        const answer = await fetch(`${t.url}${new URL(route.request().url()).pathname}`);
        await route.fulfill({
          status: answer.status,
          headers: { 'content-type': answer.headers.get('content-type') ?? '' },
          body: Buffer.from(await answer.arrayBuffer()),
        });
      });

      // A new email template, from the list.
      await page.click('nav a[href="/admin/templates"]');
      await page.fill('#new-key', 'b2b-monthly-studio');
      await page.fill('#new-name', 'B2B: прайс-лист месяца');
      await page.selectOption('#new-channel', 'email');
      await page.selectOption('#new-locale', 'ru');
      await Promise.all([
        page.waitForURL(/\/admin\/templates\/\d+\?locale=ru&done=created$/),
        page.click('[data-test=template-create] button[type=submit]'),
      ]);
      const templateId = Number(/templates\/(\d+)/.exec(page.url())![1]);
      await page.locator('#template-builder[data-mode="visual"]').waitFor({ timeout: 30_000 });
      await page.fill('#subject', 'Прайс-лист на ');
      await page.selectOption('[data-test=variable-menu-subject]', '{{run.month}}');

      // Blocks: a heading with the month, a text with the company, the button, an image.
      const frame = await builderFrame(page);
      await addBlock(page, 'Текст');
      await editText(page, frame, 'Ваш текст', ['Прайс-лист на ', { variable: 'Месяц и год выпуска («декабрь 2026»)' }]);
      await page.keyboard.press('Control+A');
      await page.click('#template-builder .gjs-rte-action[title="Bold"], #template-builder .gjs-rte-action[title="Жирный"]');
      await addBlock(page, 'Текст');
      await editText(page, frame, 'Ваш текст', [
        'Для компании ',
        { variable: 'Компания клиента' },
        ' готов новый прайс-лист: цены действуют весь месяц.',
      ]);
      await addBlock(page, 'Кнопка');
      await page.click('#template-builder [data-test="builder-open-tm"]');
      await page.fill('#template-builder .gjs-trt-trait__wrp-href input', BUTTON_URL);
      await page.keyboard.press('Tab');
      await editText(page, frame, 'Кнопка', ['Скачать прайс-лист']);
      const image = join(mkdtempSync(join(tmpdir(), 'studio-')), 'price-banner.png');
      writeFileSync(image, png(300, 80, [29, 78, 216]));
      await addBlock(page, 'Изображение');
      await page.setInputFiles('.gjs-am-file-uploader input[type=file]', image);
      const asset = page.locator('.gjs-am-asset-image').first();
      await asset.waitFor({ timeout: 30_000 });
      await asset.dblclick(); // picks it for the image block and closes the library
      await frame.locator(`img[src*="/images/"]`).waitFor({ timeout: 30_000 });
      const built = await page.inputValue('#body');
      expect(built).toMatch(/<(b|strong)>Прайс-лист на \{\{run\.month\}\}<\/(b|strong)>/);
      expect(built).toContain('{{companyName}}');
      expect(built).toMatch(new RegExp(`<mj-button[^>]*href="${BUTTON_URL.replace(/\./g, '\\.')}"`));
      expect(built).toMatch(/<mj-image[^>]*src="[^"]*\/images\/[0-9a-f]{64}\.png"/);
      await page.screenshot({ path: join(SCREENSHOTS, 'studio-builder-1366.png'), fullPage: true });

      // Save: one new version with what was built.
      await Promise.all([page.waitForURL(/done=saved$/), page.click('[data-test=template-form] button[type=submit]')]);
      const saved = await prisma.templateVersion.findFirstOrThrow({ where: { templateId, locale: 'ru' }, orderBy: { version: 'desc' } });
      expect(saved.body.replace(/\r\n/g, '\n')).toBe(built.replace(/\r\n/g, '\n'));
      expect(saved.subject).toBe('Прайс-лист на {{run.month}}');

      // The source view and back keep the content.
      await page.locator('#template-builder[data-mode="visual"]').waitFor({ timeout: 30_000 });
      await page.click('#template-builder [data-mode="source"]');
      expect(await page.inputValue('#body')).toBe(saved.body);
      await page.click('#template-builder [data-mode="visual"]');
      await page.locator('#template-builder[data-mode="visual"]').waitFor();
      const again = await builderFrame(page);
      await again.locator('text=Скачать прайс-лист').waitFor();
      expect(await page.inputValue('#body')).toBe(saved.body);

      // Preview for a real Russian customer, found by search, on a phone.
      await page.fill('[data-test=tpv-search]', 'Прохорова');
      await page.locator(`[data-test=tpv-pick][data-customer-id="${customerId}"]`).click();
      await page.locator('[data-test=tpv-for]', { hasText: 'Анна Прохорова' }).waitFor({ timeout: 30_000 });
      const preview = page.frameLocator('[data-test=tpv-frame]');
      await preview.locator('body', { hasText: 'ООО «Ромашка»' }).waitFor({ timeout: 30_000 });
      await page.click('[data-test=tpv-width-phone]');
      await waitFor(
        async () => Math.round((await page.locator('[data-test=tpv-frame]').boundingBox())!.width) === 390,
        30_000,
        'the 390 px frame',
      );
      await page.locator('[data-test=tpv-frame]').screenshot({ path: join(SCREENSHOTS, 'studio-preview-390.png') });
      const previewFrame = (await (await page.locator('[data-test=tpv-frame]').elementHandle())!.contentFrame())!;
      const previewHtml = await previewFrame.content();
      const previewText = plain(await previewFrame.locator('body').innerText());
      expect(previewText).toMatch(/Прайс-лист на [а-я]+ \d{4}/);
      expect(previewText).toContain('Для компании ООО «Ромашка» готов новый прайс-лист');
      const previewLinks = await previewFrame.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
      const previewImages = await previewFrame.locator('img').evaluateAll((is) => is.map((i) => i.getAttribute('src')));

      // A test send: a real SMTP server receives it, mailparser reads it.
      const before = sink.messages.length;
      await page.fill('[data-test=tpv-to]', 'studio@inbox.example');
      await page.click('[data-test=tpv-test-send]');
      await page.locator('[data-test=tpv-test-result][data-state=sent]').waitFor({ timeout: 30_000 });
      const sunk = await waitFor(
        () => sink.messages.slice(before).find((m) => m.to.includes('studio@inbox.example')),
        30_000,
        'the test message',
      );
      const mail = await simpleParser(sunk.raw);
      expect(mail.subject).toMatch(/Прайс-лист на [а-я]+ \d{4}/);
      const received = await browser!.newPage({ viewport: { width: 700, height: 900 } });
      await received.setContent(String(mail.html), { waitUntil: 'domcontentloaded' });
      const receivedText = plain(await received.locator('body').innerText());
      expect(receivedText).toBe(previewText);
      // Links: the button's target, whether written as it is or through click tracking.
      const receivedLinks = await received.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
      const targets = await Promise.all(
        receivedLinks.map(async (href) => {
          if (!href.startsWith(publicUrl)) return href;
          const answer = await fetch(`${t.url}${new URL(href).pathname}${new URL(href).search}`, { redirect: 'manual' });
          return answer.headers.get('location') ?? href;
        }),
      );
      expect(targets).toContain(BUTTON_URL);
      expect(previewLinks.map((l) => (l.startsWith(publicUrl) ? 'tracked' : l))).toContain(BUTTON_URL);
      expect(await received.locator('img').evaluateAll((is) => is.map((i) => i.getAttribute('src')))).toEqual(previewImages);
      await received.close();

      // Side by side, for a reader of the test output.
      const both = await browser!.newPage({ viewport: { width: 1300, height: 900 } });
      await both.route(`${publicUrl}/images/**`, async (route) => {
        const answer = await fetch(`${t.url}${new URL(route.request().url()).pathname}`);
        await route.fulfill({
          status: answer.status,
          headers: { 'content-type': answer.headers.get('content-type') ?? '' },
          body: Buffer.from(await answer.arrayBuffer()),
        });
      });
      await both.setContent(
        `<body style="margin:0;display:flex;gap:8px;font:14px sans-serif"><div><p>Предпросмотр</p><iframe id="a" style="width:640px;height:840px;border:1px solid #ccc"></iframe></div><div><p>Полученное письмо</p><iframe id="b" style="width:640px;height:840px;border:1px solid #ccc"></iframe></div></body>`,
      );
      await both.locator('#a').evaluate((f, value) => f.setAttribute('srcdoc', value), previewHtml);
      await both.locator('#b').evaluate((f, value) => f.setAttribute('srcdoc', value), String(mail.html));
      await both.frameLocator('#b').locator('body', { hasText: 'Скачать прайс-лист' }).waitFor();
      await both.screenshot({ path: join(SCREENSHOTS, 'studio-preview-vs-received.png') });
      await both.close();

      expect(violations).toEqual([]);
    },
    240_000,
  );
});
