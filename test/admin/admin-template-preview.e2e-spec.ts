// The template editor's preview and SMS counter in real headless Chromium, in Russian, as a
// marketer doing the job through the page only: a built-in email previewed for a real Russian
// customer found by search, at 390 px, following what is typed into the subject; every default
// email template's preview frame free of CSP violations (the frame has its own policy, so the
// email's styles apply); a test send of the draft that arrives at a real SMTP server with the
// customer's name; the SMS body's encoding and segment count changing at 70/67 (UCS-2) and
// 160/153 (GSM-7) while typing. Database reads only check the results.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { AdminAuthService } from '../../src/admin/admin-auth.service';
import { PrismaService } from '../../src/database/prisma.service';
import { startSmtpSink, waitFor, type SmtpSink } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';
import { browserIt, createUser, launchBrowser, SCREENSHOTS, signIn, useSourceView } from './admin-browser';

let t: TestApp;
let sink: SmtpSink;
let prisma: PrismaService;
let browser: Browser | null;
let customerId: number;

const FIRST = 'Снежана';
const LAST = 'Прохорова';

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await startTestApp({ SMTP_URL: sink.url, MAIL_FROM: 'news@shop.example' });
  prisma = t.app.get(PrismaService);
  browser = await launchBrowser();
  const customer = await prisma.customer.create({
    data: { firstName: FIRST, lastName: LAST, email: 'snezhana@example.ru', locale: 'ru', timeZone: 'Europe/Moscow' },
    select: { id: true },
  });
  customerId = customer.id;
  // Someone else with a similar name, so the search has a choice to make.
  await prisma.customer.create({ data: { firstName: 'Снежана', lastName: 'Иволгина', email: 'ivolgina@example.ru', locale: 'ru' } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  await sink?.close();
});

const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

/** Every console message of the page and its frames, as "type: text". */
function consoleOf(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (message: ConsoleMessage) => seen.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => seen.push(`pageerror: ${error.message}`));
  return seen;
}

const violations = (seen: string[]) => seen.filter((line) => /Refused to|Content Security Policy|Blocked script/i.test(line));

/** The preview frame's document once the draft's render has landed in it (the hidden form's answer). */
async function frameWithText(page: Page, text: string | RegExp) {
  await page.frameLocator('[data-test=tpv-frame]').locator('body', { hasText: text }).waitFor({ timeout: 30_000 });
  return page.frame({ url: /\/preview-frame$/ })!;
}

async function settled(page: Page): Promise<void> {
  await page.locator('#template-preview[data-state=ready]').waitFor({ timeout: 30_000 });
}

describe('the template preview', () => {
  browserIt(
    'previews a built-in email for a real Russian customer found by search, at 390 px, follows the subject, and sends a test that arrives',
    async () => {
      const template = await prisma.template.findFirstOrThrow({ where: { key: 'b2c-promo', channel: 'email' }, select: { id: true } });
      const page = await signIn(browser!, t, await createUser(t, 'marketer'));
      const seen = consoleOf(page);
      await page.click('nav a[href="/admin/templates"]');
      await page.click(`main a[href="/admin/templates/${template.id}"]`);
      await settled(page);
      expect(await page.locator('[data-test=tpv-for]').textContent()).toBe('Предпросмотр для: пример клиента');

      // Find her by surname, choose her: the frame and the subject show her name.
      await page.fill('[data-test=tpv-search]', LAST);
      const choice = page.locator(`[data-test=tpv-pick][data-customer-id="${customerId}"]`);
      await choice.waitFor();
      expect(await page.locator('[data-test=tpv-pick]').count()).toBe(1); // Иволгина does not match «Прохорова»
      await choice.click();
      await page.locator('[data-test=tpv-for]', { hasText: `Предпросмотр для: ${FIRST} ${LAST}` }).waitFor();
      const frame = await frameWithText(page, FIRST);
      await page.locator('[data-test=preview-subject]', { hasText: FIRST }).waitFor();
      expect(await page.locator('[data-test=tpv-text]').textContent()).toContain(FIRST);
      // The email's own styles apply in the frame: MJML's 600 px body and its button colour.
      const button = (await frame.evaluate(
        `[...document.querySelectorAll('a')].map((a) => getComputedStyle(a).backgroundColor).find((c) => c === 'rgb(220, 38, 38)') ?? null`,
      )) as string | null;
      expect(button).toBe('rgb(220, 38, 38)');

      // Desktop, then the phone width.
      expect(Math.round((await page.locator('[data-test=tpv-frame]').boundingBox())!.width)).toBeGreaterThanOrEqual(600);
      await page.click('[data-test=tpv-width-phone]');
      await waitFor(
        async () => Math.round((await page.locator('[data-test=tpv-frame]').boundingBox())!.width) === 390,
        10_000,
        'the frame at 390 px',
      );
      await page.click('[data-test=tpv-dark]');
      expect(await page.locator('[data-test=tpv-dark-note]').isVisible()).toBe(true);
      await page.click('[data-test=tpv-dark]');

      // Typing in the subject: the preview follows (debounced), nothing saved.
      const versions = await prisma.templateVersion.count({ where: { templateId: template.id } });
      await page.fill('#subject', 'Только для вас, {{customer.firstName}}: новинки недели');
      await page
        .locator('[data-test=preview-subject]', { hasText: `Только для вас, ${FIRST}: новинки недели` })
        .waitFor({ timeout: 30_000 });
      await page.fill('#preheader', 'Черновик прехедера для {{customer.lastName}}');
      await page.locator('[data-test=preview-preheader]', { hasText: `Черновик прехедера для ${LAST}` }).waitFor({ timeout: 30_000 });
      expect(await prisma.templateVersion.count({ where: { templateId: template.id } })).toBe(versions);
      await shot(page, 'template-preview-phone');

      // A broken draft: the frame says why instead of the email, the JSON names the line.
      await useSourceView(page);
      const source = await page.inputValue('#body');
      await page.fill('#body', `${source}\n{{#if customer.firstName}}не закрыт`);
      await page.frameLocator('[data-test=tpv-frame]').locator('[data-test=frame-problems]').waitFor({ timeout: 30_000 });
      await page.locator('#template-preview[data-state=failed]').waitFor();
      expect(await page.locator('[data-test=tpv-status]').textContent()).toMatch(/^Предпросмотр не получился: «Текст/);
      await page.fill('#body', source);
      await frameWithText(page, FIRST);
      await settled(page);

      // The test send: the draft for her, through the real SMTP server.
      await page.fill('[data-test=tpv-to]', 'check@inbox.example');
      await page.click('[data-test=tpv-test-send]');
      await page.locator('[data-test=tpv-test-result][data-state=sent]').waitFor({ timeout: 30_000 });
      expect(await page.locator('[data-test=tpv-test-result]').textContent()).toBe('Тест отправлен на check@inbox.example');
      const received = await waitFor(() => sink.messages.find((m) => m.to.includes('check@inbox.example')), 30_000, 'the test message');
      const mail = await simpleParser(received.raw);
      expect(mail.subject).toBe(`[ТЕСТ] Только для вас, ${FIRST}: новинки недели`);
      expect(mail.headers.get('x-otklik-test')).toBe('1');
      expect(mail.html).toContain(FIRST);
      expect(mail.text).toContain(FIRST);
      // What the preview's text part shows is what was sent (links aside: the test's are real, the preview's are samples).
      const words = (text: string) =>
        text
          .replace(/https?:\/\/\S+/g, '')
          .replace(/\s+/g, ' ')
          .trim();
      expect(words(mail.text!)).toContain(words((await page.locator('[data-test=tpv-text]').textContent())!).slice(0, 200));

      // Side by side: the preview and the message as received.
      await page.click('[data-test=tpv-width-desktop]');
      await shot(page, 'template-preview-desktop');
      const received_ = await page.context().newPage();
      await received_.setViewportSize({ width: 640, height: 900 });
      await received_.setContent(mail.html as string);
      await received_.screenshot({ path: join(SCREENSHOTS, 'template-preview-received.png'), fullPage: true });
      const pair = await page.context().newPage();
      const image = (name: string) => `data:image/png;base64,${readFileSync(join(SCREENSHOTS, `${name}.png`)).toString('base64')}`;
      await pair.setContent(
        `<body style="margin:0;display:flex;gap:16px;align-items:flex-start"><img src="${image('template-preview-desktop')}" width="900"><img src="${image('template-preview-received')}" width="640"></body>`,
      );
      await pair.screenshot({ path: join(SCREENSHOTS, 'template-preview-vs-received.png'), fullPage: true });
      await pair.close();
      await received_.close();

      expect(violations(seen)).toEqual([]);
      await page.context().close();
    },
    180_000,
  );

  browserIt(
    'every default email template previews without a single CSP violation in the page or its frame',
    async () => {
      const files = readdirEmailTemplates();
      const templates = await prisma.template.findMany({
        where: { channel: 'email', builtIn: true },
        select: { id: true, key: true },
        orderBy: { key: 'asc' },
      });
      expect(templates.map((x) => x.key).sort()).toEqual(files);
      const page = await signIn(browser!, t, await createUser(t, 'marketer'));
      const seen = consoleOf(page);
      const perTemplate: Record<string, string[]> = {};
      for (const template of templates) {
        const before = seen.length;
        await page.goto(`${t.url}/admin/templates/${template.id}`);
        await settled(page);
        // the frame holds the rendered email: an element of the MJML body, with its styles
        await page.frameLocator('[data-test=tpv-frame]').locator('body table').first().waitFor({ timeout: 30_000 });
        const styled = (await page.frame({ url: /\/preview-frame$/ })!.evaluate(`document.querySelectorAll('style').length`)) as number;
        expect(styled).toBeGreaterThan(0);
        perTemplate[template.key] = violations(seen.slice(before));
      }
      expect(Object.entries(perTemplate).filter(([, lines]) => lines.length)).toEqual([]);
      writeFileSync(join(SCREENSHOTS, 'template-preview-console.json'), JSON.stringify(seen, null, 2));
      await page.context().close();
    },
    300_000,
  );

  browserIt(
    'the SMS editor counts the typed text live: Cyrillic is UCS-2 with 70 in one SMS and 67 per part, Latin GSM-7 with 160/153',
    async () => {
      const template = await prisma.template.findFirstOrThrow({ where: { channel: 'sms', builtIn: true }, select: { id: true } });
      const page = await signIn(browser!, t, await createUser(t, 'marketer'));
      await page.goto(`${t.url}/admin/templates/${template.id}`);
      await settled(page);
      const live = page.locator('[data-test=sms-live]');
      const state = async () => ({
        encoding: await live.getAttribute('data-encoding'),
        length: Number(await live.getAttribute('data-length')),
        segments: Number(await live.getAttribute('data-segments')),
        perSegment: Number(await live.getAttribute('data-per-segment')),
      });
      expect(await page.locator('[data-test=sms-approx]').textContent()).toContain('приблизительный');

      const cyrillic = 'Привет! Ваш заказ готов к выдаче в магазине на Ленина, ждём вас до пят'; // 70 characters
      expect([...cyrillic].length).toBe(70);
      await page.fill('#body', cyrillic);
      expect(await state()).toEqual({ encoding: 'UCS-2', length: 70, segments: 1, perSegment: 70 });
      expect(await live.textContent()).toMatch(
        /^Набрано: UCS-2, 70 симв\., 1 SMS \(до 70 симв\. в каждой\) · UCS-2 из-за: П р и в е т В а/,
      );
      await page.locator('#body').press('End');
      await page.keyboard.type('ы');
      expect(await state()).toEqual({ encoding: 'UCS-2', length: 71, segments: 2, perSegment: 67 });
      // 67 × 2 = 134 fit in two parts, the 135th needs a third
      await page.fill('#body', 'ж'.repeat(134));
      expect((await state()).segments).toBe(2);
      await page.fill('#body', 'ж'.repeat(135));
      expect((await state()).segments).toBe(3);

      await page.fill('#body', 'a'.repeat(160));
      expect(await state()).toEqual({ encoding: 'GSM-7', length: 160, segments: 1, perSegment: 160 });
      await page.fill('#body', 'a'.repeat(161));
      expect(await state()).toEqual({ encoding: 'GSM-7', length: 161, segments: 2, perSegment: 153 });

      // The count for the chosen customer comes from the server's render of the draft: the typed
      // expression is longer than her name, so the typed text needs 2 parts and her message 1.
      await page.fill('#body', `Здравствуйте, {{customer.firstName}}! ${'ж'.repeat(40)}`);
      await page.fill('[data-test=tpv-search]', LAST);
      await page.locator(`[data-test=tpv-pick][data-customer-id="${customerId}"]`).click();
      await page.locator('[data-test=tpv-text]', { hasText: `Здравствуйте, ${FIRST}!` }).waitFor({ timeout: 30_000 });
      const rendered = page.locator('[data-test=sms-rendered]');
      await rendered.waitFor();
      const renderedLength = [...`Здравствуйте, ${FIRST}! ${'ж'.repeat(40)}`].length;
      expect(await rendered.textContent()).toContain(`UCS-2, ${renderedLength} симв., 1 SMS`);
      expect(await rendered.getAttribute('data-segments')).toBe('1');
      expect(renderedLength).toBeLessThanOrEqual(70);
      expect(await state()).toMatchObject({ length: [...`Здравствуйте, {{customer.firstName}}! ${'ж'.repeat(40)}`].length, segments: 2 });
      await shot(page, 'template-preview-sms');

      // A test SMS of the draft for her, through the SMS provider (capture: the outbox).
      await page.fill('[data-test=tpv-to]', '8 (916) 555-44-33');
      await page.click('[data-test=tpv-test-send]');
      await page.locator('[data-test=tpv-test-result][data-state=sent]').waitFor({ timeout: 30_000 });
      expect(await page.locator('[data-test=tpv-test-result]').textContent()).toBe('Тест отправлен на +79165554433');
      const sms = await prisma.outboxMessage.findFirstOrThrow({ where: { channel: 'sms', toAddress: '+79165554433' } });
      expect(sms.text).toBe(`[ТЕСТ] Здравствуйте, ${FIRST}! ${'ж'.repeat(40)}`);
      await page.context().close();
    },
    120_000,
  );
});

describe('the preview routes', () => {
  /** A signed-in session's form post (the CSRF token in the header, as the page's module sends it). */
  async function poster(role: 'viewer' | 'marketer') {
    const user = await createUser(t, role);
    const auth = t.app.get(AdminAuthService);
    const { token } = (await auth.login(user.email, user.password))!;
    const csrf = (await auth.session(token))!.csrfToken;
    return async (path: string, fields: Record<string, string>) => {
      const response = await fetch(`${t.url}${path}`, {
        method: 'POST',
        headers: { cookie: `otk_admin=${token}`, 'x-csrf-token': csrf, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
      const type = response.headers.get('content-type') ?? '';
      const body: any = type.includes('json') ? await response.json() : await response.text();
      return { status: response.status, csp: response.headers.get('content-security-policy'), body };
    };
  }

  it('renders the draft for a marketer and only the saved version for a viewer; refusals name the field', async () => {
    const template = await prisma.template.findFirstOrThrow({ where: { key: 'welcome', channel: 'email' }, select: { id: true } });
    const saved = await prisma.templateVersion.findFirstOrThrow({
      where: { templateId: template.id, locale: 'ru' },
      orderBy: { version: 'desc' },
    });
    const draft = { locale: 'ru', subject: 'Черновик для {{customer.firstName}}', body: saved.body, customerId: String(customerId) };
    const marketer = await poster('marketer');
    const viewer = await poster('viewer');

    const mine = await marketer(`/admin/templates/${template.id}/preview`, draft);
    expect(mine).toMatchObject({ status: 200, body: { subject: `Черновик для ${FIRST}`, customerId, locale: 'ru', variant: 'ru' } });
    const theirs = await viewer(`/admin/templates/${template.id}/preview`, draft);
    expect(theirs.status).toBe(200);
    expect(theirs.body.subject).not.toContain('Черновик');
    expect(theirs.body.text).toContain(FIRST);

    // the frame: the email under its own policy (styles allowed, scripts not), the draft's render
    const frame = await marketer(`/admin/templates/${template.id}/preview-frame`, draft);
    expect(frame.status).toBe(200);
    expect(frame.csp).toContain("script-src 'none'");
    expect(frame.csp).toContain("style-src 'unsafe-inline'");
    expect(frame.body).toContain(FIRST);

    const broken = await marketer(`/admin/templates/${template.id}/preview`, { ...draft, body: `${saved.body}\n{{#if x}}` });
    expect(broken.status).toBe(400);
    expect(broken.body.issues[0]).toMatchObject({ path: 'body', line: expect.any(Number) });
    expect((await marketer(`/admin/templates/${template.id}/preview`, { ...draft, customerId: 'Снежана' })).body.issues).toEqual([
      expect.objectContaining({ path: 'customerId' }),
    ]);

    const sentBefore = sink.messages.length;
    const bad = await marketer(`/admin/templates/${template.id}/test-send`, { ...draft, to: 'not an address' });
    expect(bad).toMatchObject({ status: 400, body: { ok: false, issues: [expect.objectContaining({ path: 'to' })] } });
    expect(bad.body.error).toMatch(/^«/);
    const none = await marketer(`/admin/templates/${template.id}/test-send`, { ...draft, to: '' });
    expect(none).toMatchObject({ status: 400, body: { issues: [expect.objectContaining({ path: 'to' })] } });
    expect((await viewer(`/admin/templates/${template.id}/test-send`, { ...draft, to: 'x@inbox.example' })).status).toBe(403);
    expect(sink.messages.length).toBe(sentBefore);

    // the picker finds her by part of her email
    const response = await fetch(`${t.url}/admin/customers/pick?q=snezhana`, { headers: { cookie: await cookieOf('viewer') } });
    expect(await response.json()).toEqual({
      items: [{ id: customerId, name: `${FIRST} ${LAST}`, email: 'snezhana@example.ru', locale: 'ru' }],
    });
  }, 60_000);

  async function cookieOf(role: 'viewer'): Promise<string> {
    const user = await createUser(t, role);
    const { token } = (await t.app.get(AdminAuthService).login(user.email, user.password))!;
    return `otk_admin=${token}`;
  }
});

/** The keys of the default email templates (templates/email/<key>.<locale>.mjml). */
function readdirEmailTemplates(): string[] {
  const names = readdirSync(join(__dirname, '..', '..', 'templates', 'email')).filter((name) => name.endsWith('.mjml'));
  return [...new Set(names.map((name) => name.replace(/\.[A-Za-z-]+\.mjml$/, '')))].sort();
}
