// What the campaign engine and the automations use (TemplatesService), and the start-up
// loading of the default set, against the real database.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DomainError } from '../../src/common/domain-error';
import { PrismaService } from '../../src/database/prisma.service';
import { DefaultTemplatesLoader } from '../../src/templates/default-templates.loader';
import { defaultTemplatesDir } from '../../src/templates/render';
import { TemplateEditorService } from '../../src/templates/template-editor.service';
import { TemplatesService } from '../../src/templates/templates.service';
import { startTestApp, type TestApp } from '../support/test-app';

const DEFAULTS = defaultTemplatesDir();

/** A templates/ folder with the given files copied (and optionally changed) from the shipped set. */
function folder(files: Record<string, (content: string) => string>, extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'otklik-defaults-'));
  mkdirSync(path.join(dir, 'email'));
  mkdirSync(path.join(dir, 'sms'));
  for (const [name, change] of Object.entries(files))
    writeFileSync(path.join(dir, name), change(readFileSync(path.join(DEFAULTS, name), 'utf8')));
  for (const [name, content] of Object.entries(extra)) writeFileSync(path.join(dir, name), content);
  return dir;
}

const simpleEmail = (subject: string) =>
  `---\nsubject: ${subject}\n---\n<mjml><mj-body><mj-section><mj-column><mj-text>{{firstName}}</mj-text></mj-column></mj-section></mj-body></mjml>\n`;

describe('TemplatesService and the default set', () => {
  let t: TestApp;
  let templates: TemplatesService;
  let loader: DefaultTemplatesLoader;
  let editor: TemplateEditorService;
  let prisma: PrismaService;
  beforeAll(async () => {
    t = await startTestApp({ OTKLIK_ROLE: 'api' });
    templates = t.app.get(TemplatesService);
    loader = t.app.get(DefaultTemplatesLoader);
    editor = t.app.get(TemplateEditorService);
    prisma = t.app.get(PrismaService);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('loading the default files', () => {
    it('adds nothing when the files are already current (idempotent restarts)', async () => {
      const before = await prisma.templateVersion.count();
      expect(before).toBe(42);
      const report = await loader.load();
      expect(report.actions).toEqual({ current: expect.any(Array) });
      expect(report.actions.current).toHaveLength(42);
      expect(await prisma.templateVersion.count()).toBe(before);
    });

    it('turns a changed file into a new version, but never overwrites a variant a user edited', async () => {
      const shipped = await templates.resolveVersion('order-shipped', 'ru');
      const birthday = await prisma.template.findFirstOrThrow({ where: { key: 'birthday', channel: 'email' } });
      const edited = await editor.saveVersion(
        birthday.id,
        {
          locale: 'ru',
          subject: 'Свой текст, {{firstName}}',
          body: readFileSync(path.join(DEFAULTS, 'email/birthday.ru.mjml'), 'utf8').split('---\n')[2],
        },
        'api_key:1',
      );

      const dir = folder({
        'email/order-shipped.ru.mjml': (s) => s.replace('Ваш заказ уже в пути', 'Заказ едет к вам'),
        'email/birthday.ru.mjml': (s) => s.replace('subject:', 'subject: 🎉'),
        'email/win-back.en.mjml': (s) => s,
      });
      const report = await loader.load(dir);
      expect(report.actions).toEqual({
        update: ['email:order-shipped.ru'],
        'kept-edit': ['email:birthday.ru'],
        current: ['email:win-back.en'],
      });

      const next = await templates.resolveVersion('order-shipped', 'ru');
      expect(next).toMatchObject({ templateId: shipped.templateId, version: 2, locale: 'ru' });
      expect(next.versionId).not.toBe(shipped.versionId);
      expect((await templates.renderEmail(next.versionId, { customer: {} })).html).toContain('Заказ едет к вам');
      expect((await templates.resolveVersion('birthday', 'ru')).versionId).toBe(edited.id);

      // reset brings the shipped file back, and later files update it again
      const reset = await editor.reset(birthday.id, 'ru');
      expect(reset).toMatchObject({ version: 3, fromFile: true, createdBy: 'templates/' });
      const again = await loader.load(dir);
      expect(again.actions.update).toEqual(['email:birthday.ru']);
      expect((await templates.resolveVersion('birthday', 'ru')).version).toBe(4);
    });

    it('creates new built-in templates, leaves a user template with the same key alone and reports invalid files', async () => {
      await editor.create(
        { key: 'my-own', name: 'Моё', channel: 'email', locale: 'ru', subject: 'Моё', body: simpleEmail('x').split('---\n')[2] },
        'api_key:1',
      );
      const dir = folder(
        {},
        {
          'email/fresh.ru.mjml': simpleEmail('Новое'),
          'email/my-own.ru.mjml': simpleEmail('Файл'),
          'email/broken.ru.mjml': '---\nsubject: x\n---\n<mjml><mj-body>\n{{firstName}}\n</mj-body></mjml>',
          'sms/fresh.ru.txt': 'Привет, {{firstName}}',
        },
      );
      const report = await loader.load(dir);
      expect(report.actions).toEqual({ create: ['email:fresh.ru', 'sms:fresh.ru'], 'user-template': ['email:my-own.ru'] });
      expect(report.problems).toEqual([
        {
          path: path.join(dir, 'email/broken.ru.mjml'),
          errors: [expect.objectContaining({ line: 5, message: expect.stringMatching(/between MJML elements/) })],
        },
      ]);
      const fresh = await prisma.template.findMany({ where: { key: 'fresh' }, orderBy: { channel: 'asc' } });
      expect(fresh.map((f) => [f.channel, f.builtIn])).toEqual([
        ['email', true],
        ['sms', true],
      ]);
      const mine = await prisma.template.findFirstOrThrow({ where: { key: 'my-own' }, include: { versions: true } });
      expect(mine.versions.map((v) => v.subject)).toEqual(['Моё']);
    });

    it('loads once when two processes start together', async () => {
      const dir = folder({}, { 'email/twice.ru.mjml': simpleEmail('Дважды'), 'email/twice.en.mjml': simpleEmail('Twice') });
      const reports = await Promise.all([loader.load(dir), loader.load(dir)]);
      expect(reports.map((r) => Object.keys(r.actions).sort())).toEqual(expect.arrayContaining([['add-locale', 'create'], ['current']]));
      const twice = await prisma.template.findMany({ where: { key: 'twice' }, include: { versions: true } });
      expect(twice).toHaveLength(1);
      expect(twice[0].versions.map((v) => v.locale).sort()).toEqual(['en', 'ru']);
    });
  });

  describe('resolving and rendering', () => {
    it('resolves a key to the current version of the customer locale, with fallbacks', async () => {
      expect(await templates.resolveVersion('order-created', 'en-GB')).toMatchObject({
        key: 'order-created',
        channel: 'email',
        locale: 'en',
        version: 1,
      });
      expect(await templates.resolveVersion('order-created', 'de')).toMatchObject({ locale: 'ru' });
      expect(await templates.resolveVersion('order-created', null)).toMatchObject({ locale: 'ru' });
      const sms = await templates.resolveVersion('birthday', 'en', 'sms');
      expect(sms).toMatchObject({ channel: 'sms', locale: 'en' });
      expect((await templates.resolveTemplateVersion(sms.templateId, 'ru')).locale).toBe('ru');
      const all = await templates.currentVersions(sms.templateId);
      expect(all.map((v) => v.locale).sort()).toEqual(['en', 'ru']);
      await expect(templates.resolveVersion('nope', 'ru')).rejects.toMatchObject({ code: 'not_found' });
    });

    it('renders an email for a customer row with signed links, compiled once per version and without MJML', async () => {
      const customer = await prisma.customer.create({
        data: {
          firstName: 'Пётр',
          patronymic: 'Ильич',
          lastName: 'Чайковский',
          email: 'p@example.ru',
          birthday: new Date('1990-05-07'),
          timeZone: 'Asia/Yekaterinburg',
        },
      });
      const order = await prisma.order.create({
        data: {
          customerId: customer.id,
          externalId: 'Z-9',
          total: '1500',
          items: { create: [{ productId: 'S', name: 'Самовар', quantity: 1, price: '1500' }] },
        },
        include: { items: true },
      });
      const version = await templates.resolveVersion('order-created', customer.locale);
      const links: [string, number][] = [];
      const context = templates.renderContext(customer, {
        order,
        brand: { name: 'Самовары' },
        message: {
          id: '77',
          unsubscribeUrl: 'https://mail.example/u/signed-77',
          preferencesUrl: 'https://mail.example/p/signed-77',
          viewInBrowserUrl: 'https://mail.example/v/signed-77',
          trackLink: (url, index) => (links.push([url, index]), `https://mail.example/c/77.${index}?u=${encodeURIComponent(url)}`),
        },
        data: { orderUrl: 'https://shop.example/orders/Z-9' },
      });
      expect(context.customer).toMatchObject({ locale: 'ru', timeZone: 'Asia/Yekaterinburg', birthday: '1990-05-07' });
      const out = await templates.renderEmail(version.versionId, context);
      expect(out.subject).toContain('Z-9');
      expect(out.html).toContain('Пётр Ильич');
      expect(out.html).toContain('Самовар');
      expect(out.html).toContain('https://mail.example/v/signed-77');
      expect(`${out.subject}${out.preheader}${out.html}${out.text}`).not.toMatch(/\{\{|\}\}/);

      const compiled = await templates.compiledEmail(version.versionId);
      expect(compiled.mjmlCompileMs).toBe(0); // rebuilt from the stored artifact
      expect(await templates.compiledEmail(version.versionId)).toBe(compiled);
      await expect(templates.renderSms(version.versionId, context)).rejects.toBeInstanceOf(DomainError);
    });

    it('renders an SMS with its length report', async () => {
      const version = await templates.resolveVersion('order-shipped', 'ru', 'sms');
      const out = await templates.renderSms(version.versionId, {
        customer: { locale: 'ru' },
        brand: { name: 'Самовары' },
        order: { number: 'Z-9', trackingNumber: 'RA1', deliveryFrom: '2026-03-12T07:00:00Z', deliveryTo: '2026-03-14T07:00:00Z' },
      });
      expect(out.text).toBe('Самовары: заказ №Z-9 отправлен. Трек: RA1. Доставка 12–14 марта.');
      expect(out.length).toMatchObject({ encoding: 'UCS-2', segments: 1, characters: out.text.length });
      expect(out.warnings).toEqual([]);
      await expect(templates.renderEmail(version.versionId, { customer: {} })).rejects.toMatchObject({ code: 'invalid_state' });
      await expect(templates.renderEmail(99999999, { customer: {} })).rejects.toMatchObject({ code: 'not_found' });
    });
  });
});
