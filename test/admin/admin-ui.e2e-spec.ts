// The admin web UI in real headless Chromium: sign in, the dashboard, campaigns from creation
// to their report, the bounce report, undoing a cleanup action, and a recipient's one-click
// unsubscribe from a sent message. Screenshots go to test-output/screenshots.
import { join } from 'node:path';
import { ConfigService } from '@nestjs/config';
import type { Browser } from 'playwright-core';
import { secretKeys } from '../../src/config/config.module';
import { PrismaService } from '../../src/database/prisma.service';
import { makeCustomers, segmentByTag, templateId } from '../campaigns/campaign-fixtures';
import { BOUNCE_DOMAIN, bounceTo, dsn, processed, sentMessage, useKeys } from '../feedback/feedback-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { browserIt, createUser, launchBrowser, SCREENSHOTS, signIn, waitForFrameText } from './admin-browser';

let campaignId: number;
const RECIPIENTS = 4;

let t: TestApp;
let prisma: PrismaService;
let browser: Browser | null;

beforeAll(async () => {
  // No SMTP_URL: the campaign's mail lands in the capture outbox (GET /outbox), headers and all.
  t = await startTestApp({ MAIL_FROM: 'news@shop.example', FREQUENCY_CAP_PER_WEEK: '0', BOUNCE_DOMAIN });
  prisma = t.app.get(PrismaService);
  useKeys(secretKeys(t.app.get(ConfigService)));
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** The campaign's emails as the capture outbox kept them, oldest first. */
function captured() {
  return prisma.outboxMessage.findMany({ where: { channel: 'email', messageId: { not: null } }, orderBy: { id: 'asc' } });
}

describe('admin UI: sign in and dashboard', () => {
  browserIt('refuses a wrong password, signs in, shows the dashboard with its chart, signs out', async () => {
    const user = await createUser(t, 'viewer');
    const context = await browser!.newContext();
    const page = await context.newPage();
    await page.goto(`${t.url}/admin/campaigns`);
    expect(page.url()).toBe(`${t.url}/admin/login?next=%2Fadmin%2Fcampaigns`);
    await page.fill('#email', user.email);
    await page.fill('#password', 'wrong password');
    await page.click('button[type=submit]');
    await expect(page.locator('.notice.error').textContent()).resolves.toContain('Неверная почта или пароль');
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'otk_admin')).toBeUndefined();
    await context.close();

    const signed = await signIn(browser!, t, user);
    const session = (await signed.context().cookies()).find((c) => c.name === 'otk_admin')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/admin' });
    expect(await signed.locator('h1').textContent()).toBe('Обзор');
    expect(await signed.getAttribute('html', 'lang')).toBe('ru');
    expect(await signed.locator('nav a[aria-current=page]').getAttribute('href')).toBe('/admin');
    expect(await signed.locator('figure.chart svg polyline').count()).toBe(2);
    expect(Number(await signed.locator('[data-test=customers]').textContent())).toBe(await prisma.customer.count());
    // A viewer sees no Settings and cannot open it.
    expect(await signed.locator('nav a[href="/admin/settings"]').count()).toBe(0);

    await Promise.all([signed.waitForURL(/\/admin\/login$/), signed.click('[data-test=logout]')]);
    await signed.goto(`${t.url}/admin`);
    expect(signed.url()).toContain('/admin/login');
    await signed.context().close();
  });

  it('refuses a form post without the CSRF token even with a valid session', async () => {
    const user = await createUser(t, 'admin');
    const form = async (path: string, body: Record<string, string>, cookie = '') =>
      fetch(`${t.url}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams(body),
      });
    const loginPage = await fetch(`${t.url}/admin/login`);
    const loginCookie = /otk_login=([^;]+)/.exec(loginPage.headers.get('set-cookie')!)![1];
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await loginPage.text())![1];
    expect(csrf).toBe(loginCookie);
    expect(
      (await form('/admin/login', { email: user.email, password: user.password, _csrf: 'forged' }, `otk_login=${loginCookie}`)).status,
    ).toBe(403);
    const ok = await form('/admin/login', { email: user.email, password: user.password, _csrf: csrf }, `otk_login=${loginCookie}`);
    expect(ok.status).toBe(303);
    const session = /otk_admin=([^;]+)/.exec(ok.headers.get('set-cookie')!)![1];
    const refused = await form('/admin/logout', {}, `otk_admin=${session}`);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('CSRF');
    const home = await fetch(`${t.url}/admin`, { headers: { cookie: `otk_admin=${session}` } });
    expect(home.status).toBe(200); // the session survived the forged post
    expect(home.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('limits password guessing per account: the 11th attempt in the window gets 429', async () => {
    const user = await createUser(t, 'viewer');
    const attempt = async (password: string) => {
      const page = await fetch(`${t.url}/admin/login`);
      const cookie = /otk_login=([^;]+)/.exec(page.headers.get('set-cookie')!)![1];
      const body = new URLSearchParams({ email: user.email, password, _csrf: cookie });
      return (
        await fetch(`${t.url}/admin/login`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `otk_login=${cookie}` },
          body,
        })
      ).status;
    };
    for (let i = 0; i < 10; i++) expect(await attempt(`guess ${i}`)).toBe(401);
    expect(await attempt(user.password)).toBe(429); // even the right password, until the window ends
  });
});

describe('admin UI: campaigns', () => {
  browserIt(
    'a marketer creates and schedules a campaign, sees it complete and reads its report',
    async () => {
      const customers = await makeCustomers(prisma, 'ui', RECIPIENTS);
      const segmentId = await segmentByTag(prisma, 'ui');
      const template = await templateId(prisma, 'b2c-promo');
      const page = await signIn(browser!, t, await createUser(t, 'marketer'));
      await page.click('nav a[href="/admin/campaigns"]');
      await page.click('[data-test=new-campaign]');
      await page.fill('#name', 'Зимняя <распродажа>');
      await page.selectOption('#templateId', String(template));
      await page.selectOption('#segmentId', String(segmentId));
      // The wizard counts the segment's reachable recipients and renders the preview as it changes.
      // Generous waits: run first in a fresh clone, the first render compiles the template cold.
      await page.locator('[data-test=reach]', { hasText: `${RECIPIENTS} получател` }).waitFor({ timeout: 45_000 });
      await page.locator('[data-test=preview-subject]', { hasText: '% на' }).waitFor({ timeout: 45_000 });
      await waitForFrameText(page, '#preview iframe', 'Отписаться');
      await Promise.all([
        page.waitForURL(/\/admin\/campaigns\/\d+\/review\?done=created$/, { timeout: 30_000 }),
        // Enter on the button: a pointer click here was at times swallowed after the preview frame loaded (see the branch report).
        page.locator('[data-test=campaign-form] button[type=submit]').press('Enter'),
      ]);
      campaignId = Number(/campaigns\/(\d+)/.exec(page.url())![1]);
      await page.goto(`${t.url}/admin/campaigns/${campaignId}`);
      expect(await page.locator('h1').textContent()).toBe('Рассылка «Зимняя <распродажа>»'); // escaped, shown as text
      expect(await page.locator('[data-test=campaign-status]').getAttribute('data-status')).toBe('draft');
      expect(await page.locator('[data-test=campaign-status]').textContent()).toBe('черновик'); // the code as a word

      // A draft is sent from its check page, after the pre-flight, by a confirmation naming the audience.
      await page.click(`[data-test=review-${campaignId}]`);
      expect(await page.locator('[data-test=question]').textContent()).toBe(`Отправить ${RECIPIENTS} получателям?`);
      await Promise.all([page.waitForURL(/done=scheduled$/), page.click('[data-test=confirm-button]')]);
      const deadline = Date.now() + 12_000;
      const state = () => page.locator('[data-test=campaign-status]').getAttribute('data-status');
      while ((await state()) !== 'completed') {
        if (Date.now() > deadline) throw new Error(`campaign still ${await state()}`);
        await page.waitForTimeout(300);
        await page.reload();
      }
      expect(await page.locator('[data-test=sent]').textContent()).toBe(String(RECIPIENTS));
      expect((await captured()).map((m) => m.toAddress).sort()).toEqual(customers.map((c) => c.email).sort());
      // One mark per series: a line over several buckets, or a bar when everything fell in one.
      expect(await page.locator('figure.chart > svg polyline, figure.chart > svg > rect').count()).toBe(4);
      await page.screenshot({ path: join(SCREENSHOTS, 'campaign-report.png'), fullPage: true });
      const csv = await page.request.get(`${t.url}/admin/campaigns/${campaignId}/report-summary.csv`);
      expect(csv.headers()['content-type']).toContain('text/csv');
      expect((await csv.text()).split('\n')[1]).toMatch(new RegExp(`^all,${RECIPIENTS},${RECIPIENTS},`));
      await page.click('nav a[href="/admin"]');
      expect(Number(await page.locator('[data-test=sent30d]').textContent())).toBe(RECIPIENTS);
      expect(await page.locator('main table').textContent()).toContain('Зимняя <распродажа>');
      await page.screenshot({ path: join(SCREENSHOTS, 'dashboard.png'), fullPage: true });
      await page.context().close();
    },
    180_000,
  );

  browserIt(
    'a campaign for a later time is scheduled, paused, resumed and cancelled from its page; a bad time names the field',
    async () => {
      const segmentId = await segmentByTag(prisma, 'ui-later');
      const page = await signIn(browser!, t, await createUser(t, 'marketer'));
      await page.goto(`${t.url}/admin/campaigns/new`);
      await page.fill('#name', 'Later');
      await page.selectOption('#templateId', String(await templateId(prisma, 'b2c-promo')));
      await page.selectOption('#segmentId', String(segmentId));
      await page.check('input[name=scheduleKind][value=at]');
      await page.click('[data-test=campaign-form] button[type=submit]');
      expect(await page.locator('.notice.error').textContent()).toContain('«Дата и время»: обязательное поле');
      expect(await page.locator('[data-test=error-at]').textContent()).toBe('обязательное поле'); // beside the field
      expect(await page.inputValue('#name')).toBe('Later'); // the form keeps what was typed
      await page.fill('#at', '2099-01-01T10:00');
      await Promise.all([
        page.waitForURL(/review\?done=created$/, { timeout: 60_000, waitUntil: 'domcontentloaded' }), // not 'load': that waits for the preview frame too
        page.click('[data-test=campaign-form] button[type=submit]'),
      ]);
      expect(await page.locator('[data-test=question]').textContent()).toMatch(/^Запланировать отправку \d+ получател/);
      await Promise.all([page.waitForURL(/done=scheduled$/), page.click('[data-test=confirm-button]')]);
      const status = () => page.locator('[data-test=campaign-status]').getAttribute('data-status');
      expect(await status()).toBe('scheduled');
      await Promise.all([page.waitForURL(/done=paused$/), page.click('main button:text("Приостановить")')]);
      expect(await status()).toBe('paused');
      await Promise.all([page.waitForURL(/done=resumed$/), page.click('main button:text("Возобновить")')]);
      expect(await status()).toBe('scheduled');
      // Cancelling asks first: dismissed, nothing happens; accepted, the campaign is cancelled.
      const questions: string[] = [];
      page.once('dialog', (d) => {
        questions.push(d.message());
        void d.dismiss();
      });
      await page.click('main button:text("Отменить рассылку")');
      expect(page.url()).toMatch(/done=resumed$/); // no post went out
      expect(questions[0]).toContain('Отменить рассылку «Later»?');
      expect(await status()).toBe('scheduled');
      expect(await page.locator('main button.danger').count()).toBe(1); // the destructive one looks different
      page.once('dialog', (d) => void d.accept());
      await Promise.all([page.waitForURL(/done=cancelled$/), page.click('main button:text("Отменить рассылку")')]);
      expect(await status()).toBe('cancelled');
      expect(await page.locator('main .action-row button').count()).toBe(0);
      await page.context().close();
    },
    120_000, // a loaded machine renders the wizard's preview slowly
  );

  browserIt(
    'a B2B campaign takes its template data in the form; a bad value is refused naming the field, a missing price list by the pre-flight',
    async () => {
      await makeCustomers(prisma, 'ui-b2b', 1);
      const segmentId = await segmentByTag(prisma, 'ui-b2b');
      const page = await signIn(browser!, t, await createUser(t, 'marketer'));
      await page.goto(`${t.url}/admin/campaigns/new`);
      await page.fill('#name', 'Прайс-лист');
      await page.selectOption('#templateId', String(await templateId(prisma, 'b2b-monthly')));
      await page.selectOption('#segmentId', String(segmentId));
      await page.fill('[id="data.priceListName"]', 'Опт');
      await page.fill('[id="data.catalogUrl"]', 'not a link');
      await page.click('[data-test=campaign-form] button[type=submit]');
      expect(await page.locator('.notice.error').textContent()).toContain('«Ссылка на каталог»: нужна полная ссылка http(s)');
      expect(await page.locator('[data-test="error-data.catalogUrl"]').textContent()).toContain('нужна полная ссылка http(s)');
      // Valid data, but the letter promises a price list and the form attaches none: the pre-flight refuses it.
      await page.fill('[id="data.catalogUrl"]', 'https://shop.example.com/b2b');
      await Promise.all([
        page.waitForURL(/review\?done=created$/, { timeout: 60_000, waitUntil: 'domcontentloaded' }), // not 'load': that waits for the preview frame too
        page.click('[data-test=campaign-form] button[type=submit]'),
      ]);
      const refusal = await page.locator('[data-test=problem][data-code=attachment_missing]').textContent();
      expect(refusal).toContain('обещан файл');
      expect(refusal).toContain('Поле: Вложения.');
      expect(await page.locator('[data-test=confirm-button]').count()).toBe(0);
      await page.context().close();
    },
    150_000,
  );

  browserIt('a recipient unsubscribes through the List-Unsubscribe link; the report counts it', async () => {
    const [first] = await captured();
    const header = (first.headers as Record<string, string>)['List-Unsubscribe'];
    const published = /<(http[^>]+)>/.exec(header)![1];
    const context = await browser!.newContext(); // the recipient: no admin session
    const page = await context.newPage();
    await page.goto(`${t.url}${new URL(published).pathname}`);
    await page.click('button[type=submit]');
    await page.waitForLoadState();
    expect(await page.textContent('body')).toContain('отписан');
    await context.close();
    const leaver = await prisma.customer.findFirst({ where: { email: first.toAddress }, select: { id: true } });
    expect(await prisma.consent.findFirst({ where: { customerId: leaver!.id, channel: 'email' }, select: { status: true } })).toEqual({
      status: 'opted_out',
    });

    const admin = await signIn(browser!, t, await createUser(t, 'viewer'));
    await admin.goto(`${t.url}/admin/campaigns/${campaignId}`);
    expect(await admin.locator('[data-test=unsubscribed]').textContent()).toBe('1');
    // A viewer gets no action buttons and cannot post them.
    expect(await admin.locator('main form[method=post]').count()).toBe(0);
    await admin.context().close();
  });
});

describe('admin UI: reports', () => {
  browserIt('a hard bounce of the campaign shows in the bounce report; an admin undoes its cleanup action', async () => {
    const bounced = (await captured())[1].toAddress;
    const message = await prisma.message.findFirstOrThrow({
      where: { campaignId, customer: { email: bounced } },
      select: { id: true, customerId: true },
    });
    const upload = await fetch(`${t.url}/feedback/inbound`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await t.key('admin')}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        rawBase64: Buffer.from(dsn({ messageId: message.id, to: bounced, status: '5.1.1', diagnostic: '550 5.1.1 User unknown' })).toString(
          'base64',
        ),
        envelopeFrom: '',
        envelopeTo: [bounceTo(message.id)],
      }),
    });
    expect(upload.status).toBe(201);
    await processed(prisma, { envelopeTo: bounceTo(message.id) });
    expect(await prisma.suppression.count({ where: { address: bounced } })).toBe(1);

    const marketer = await signIn(browser!, t, await createUser(t, 'marketer'));
    await marketer.click('nav a[href="/admin/reports/bounces"]');
    expect(await marketer.locator('[data-test=bounces-hard]').textContent()).toBe('1');
    // Why the address was suppressed: the rule, the status and the line it matched.
    expect(await marketer.locator('[data-test=bounce-why]').first().textContent()).toContain('text:userunknown · 5.1.1');
    expect(await marketer.locator('[data-test=bounce-why-line]').first().textContent()).toContain('User unknown');
    expect(await marketer.locator('main').textContent()).toContain('Зимняя <распродажа>');
    await marketer.goto(`${t.url}/admin/reports/cleanup`);
    const entry = await prisma.cleanupLogEntry.findFirstOrThrow({ where: { customerId: message.customerId }, orderBy: { id: 'desc' } });
    expect(await marketer.locator(`[data-test=undo-${entry.id}]`).count()).toBe(0); // undo is for admins
    await marketer.context().close();

    const adminUser = await createUser(t, 'admin');
    const admin = await signIn(browser!, t, adminUser);
    await admin.goto(`${t.url}/admin/reports/cleanup`);
    admin.once('dialog', (d) => void d.accept());
    await Promise.all([admin.waitForURL(/done=undone$/), admin.click(`[data-test=undo-${entry.id}] button`)]);
    expect(await admin.locator('.notice.ok').textContent()).toContain('Действие чистки отменено');
    expect(await admin.locator(`[data-test=undone-${entry.id}]`).textContent()).toContain(adminUser.email);
    expect(await prisma.suppression.count({ where: { address: bounced } })).toBe(0);
    await admin.context().close();
  });

  browserIt('an admin applies a change the loop withheld for want of proof, and accepts an address change', async () => {
    const sent = await sentMessage(prisma, 'unproven.reader@mail.example');
    const upload = async (body: string) => {
      // A reply that quotes none of our messages: it proves nothing, so it changes nothing by itself.
      const raw = [
        `From: ${sent.email}`,
        'To: news@shop.example',
        `Subject: Re: ${body.slice(0, 20)}`,
        `Message-ID: <${Math.random().toString(36).slice(2)}@mail.example>`,
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
        '',
        body,
        '',
      ].join('\r\n');
      const response = await fetch(`${t.url}/feedback/inbound`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await t.key('admin')}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          rawBase64: Buffer.from(raw).toString('base64'),
          envelopeFrom: sent.email,
          envelopeTo: ['news@shop.example'],
        }),
      });
      expect(response.status).toBe(201);
      return processed(prisma, { after: BigInt(((await response.json()) as { id: string }).id) - 1n });
    };
    const stop = await upload('Больше не пишите нам, пожалуйста.');
    const withheld = await prisma.cleanupLogEntry.findFirstOrThrow({ where: { inboundMessageId: stop.id, action: 'withheld' } });
    const moved = await upload('Я больше не работаю в компании. Пишите, пожалуйста, на successor@mail.example');
    const proposal = await prisma.addressChangeProposal.findFirstOrThrow({ where: { inboundMessageId: moved.id } });
    expect(
      await prisma.consent.findUnique({ where: { customerId_channel: { customerId: sent.customerId, channel: 'email' } } }),
    ).toMatchObject({ status: 'opted_in' });

    const viewer = await signIn(browser!, t, await createUser(t, 'viewer'));
    await viewer.goto(`${t.url}/admin/reports/cleanup`);
    expect(await viewer.locator(`[data-test=proof-${proposal.id}]`).textContent()).toContain('не доказано');
    expect(await viewer.locator(`[data-test=apply-${withheld.id}]`).count()).toBe(0); // deciding is for admins
    expect(await viewer.locator(`[data-test=address-change-${proposal.id}]`).count()).toBe(0);
    await viewer.context().close();

    const adminUser = await createUser(t, 'admin');
    const admin = await signIn(browser!, t, adminUser);
    await admin.goto(`${t.url}/admin/reports/cleanup`);
    expect(await admin.locator('main').textContent()).toContain('ответ не цитирует наше письмо');
    await Promise.all([admin.waitForURL(/done=applied$/), admin.click(`[data-test=apply-${withheld.id}] button`)]);
    expect(await admin.locator(`[data-test=applied-${withheld.id}]`).textContent()).toContain(adminUser.email);
    expect(
      await prisma.consent.findUnique({ where: { customerId_channel: { customerId: sent.customerId, channel: 'email' } } }),
    ).toMatchObject({ status: 'opted_out' });

    expect(await prisma.customer.count({ where: { email: 'successor@mail.example' } })).toBe(0);
    await Promise.all([
      admin.waitForURL(/done=accepted$/),
      admin.click(`[data-test=address-change-${proposal.id}] button:has-text("Принять")`),
    ]);
    expect(await admin.locator('.notice.ok').textContent()).toContain('Смена адреса принята');
    expect(await admin.locator(`[data-test=address-change-${proposal.id}]`).count()).toBe(0); // decided: no longer waiting
    expect(await prisma.customer.count({ where: { email: 'successor@mail.example' } })).toBe(1);
    expect(await prisma.addressChangeProposal.findUniqueOrThrow({ where: { id: proposal.id } })).toMatchObject({
      status: 'accepted',
      decidedBy: `admin UI: ${adminUser.email}`,
    });
    await admin.context().close();
  });
});
