import { PrismaService } from '../../src/database/prisma.service';
import { startTestApp, type TestApp } from '../support/test-app';
import { jsonOf } from '../support/api-call';

const mjml = (inner: string): string =>
  `<mjml>\n<mj-body>\n<mj-section><mj-column>\n${inner}\n</mj-column></mj-section>\n</mj-body>\n</mjml>`;

describe('templates API', () => {
  let t: TestApp;
  let marketer: string;
  let viewer: string;
  beforeAll(async () => {
    t = await startTestApp({ OTKLIK_ROLE: 'api' });
    marketer = await t.key('marketer');
    viewer = await t.key('viewer');
  });
  afterAll(async () => {
    await t.close();
  });

  const call = async (path: string, init: { key?: string; method?: string; body?: unknown } = {}) => {
    const response = await fetch(`${t.url}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${init.key ?? marketer}` },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  const create = (body: Record<string, unknown>, key = marketer) => call('/templates', { key, body });

  describe('the default set loaded at start-up', () => {
    it('lists every default template in Russian and English, built in and from file', async () => {
      const { status, body } = await call('/templates', { key: viewer });
      expect(status).toBe(200);
      const email = body.items.filter((i: { channel: string }) => i.channel === 'email');
      const sms = body.items.filter((i: { channel: string }) => i.channel === 'sms');
      expect(email.map((i: { key: string }) => i.key).sort()).toEqual(
        [
          'address-change-confirm',
          'b2b-monthly',
          'b2c-promo',
          'birthday',
          'order-cancelled',
          'order-created',
          'order-delivered',
          'order-paid',
          'order-shipped',
          're-engagement',
          'unsubscribe-confirmation',
          'welcome',
          'welcome-confirm',
          'welcome-followup',
          'win-back',
        ].sort(),
      );
      expect(sms.map((i: { key: string }) => i.key).sort()).toEqual([
        'birthday',
        'order-cancelled',
        'order-created',
        'order-delivered',
        'order-paid',
        'order-shipped',
      ]);
      for (const item of body.items) {
        expect(item.builtIn).toBe(true);
        expect(item.locales.map((l: { locale: string }) => l.locale)).toEqual(['en', 'ru']);
        expect(item.locales.every((l: { version: number; fromFile: boolean }) => l.version === 1 && l.fromFile)).toBe(true);
      }
      expect(body.items.find((i: { key: string; channel: string }) => i.key === 'order-shipped' && i.channel === 'email').name).toBe(
        'Заказ отправлен',
      );
      const filtered = await call('/templates?channel=sms&key=birthday', { key: viewer });
      expect(filtered.body.items).toHaveLength(1);
    });

    it('shows a template with its current versions in full', async () => {
      const list = await call('/templates?channel=email&key=order-shipped');
      const { status, body } = await call(`/templates/${list.body.items[0].id}`, { key: viewer });
      expect(status).toBe(200);
      expect(body.current.map((v: { locale: string }) => v.locale)).toEqual(['en', 'ru']);
      const ru = body.current.find((v: { locale: string }) => v.locale === 'ru');
      expect(ru).toMatchObject({ version: 1, fromFile: true, createdBy: 'templates/', text: null, warnings: [] });
      expect(ru.subject).toContain('{{order.number}}');
      expect(ru.body).toContain('<mjml');
      expect(body.versionCount).toEqual({ en: 1, ru: 1 });
    });
  });

  describe('create and save versions', () => {
    let templateId: number;

    it('creates a template with its first version, returning unknown-variable warnings with the known list', async () => {
      const { status, body } = await create({
        key: 'spring-sale',
        name: 'Весенняя распродажа',
        channel: 'email',
        locale: 'ru',
        subject: '{{firstName default="Друзья"}}, скидка {{data.discount}}%',
        body: mjml(
          '<mj-text>Здравствуйте, {{politeName default="коллега"}}! {{customer.frstName}}</mj-text>\n<mj-button href="{{track data.shopUrl}}">В магазин</mj-button>',
        ),
      });
      expect(status).toBe(201);
      templateId = body.id;
      expect(body).toMatchObject({
        key: 'spring-sale',
        channel: 'email',
        builtIn: false,
        locales: [{ locale: 'ru', version: 1, fromFile: false }],
      });
      const [version] = body.current;
      expect(version.createdBy).toMatch(/^api_key:\d+$/);
      expect(version.warnings).toEqual([
        expect.objectContaining({
          path: 'body',
          line: 4,
          column: 60,
          variable: 'customer.frstName',
          known: expect.arrayContaining(['customer.firstName', 'order.number', 'firstName']),
        }),
      ]);
    });

    it('refuses a viewer, a taken key and fields of the wrong channel', async () => {
      const base = { key: 'x-one', name: 'x', channel: 'email', subject: 's', body: mjml('<mj-text>x</mj-text>') };
      expect((await create(base, viewer)).status).toBe(403);
      const taken = await create({ ...base, key: 'spring-sale' });
      expect(taken.status).toBe(409);
      expect(taken.body.message).toMatch(/email template with key spring-sale exists/);
      const sms = await create({ ...base, channel: 'sms', body: 'Hi', subject: 'no', maxSegments: 1 });
      expect(sms.status).toBe(400);
      expect(sms.body.issues).toEqual([{ path: 'subject', message: 'SMS templates have no subject' }]);
      const badKey = await create({ ...base, key: 'Bad Key', locale: 'english' });
      expect(badKey.status).toBe(400);
      expect(badKey.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['key', 'locale']);
    });

    it.each([
      [
        'a Handlebars syntax error',
        { subject: 'ok', body: mjml('<mj-text>Hi {{firstName</mj-text>') },
        { path: 'body', line: 4, column: 15, message: expect.stringMatching(/^line 4, column 15: Handlebars syntax error/) },
      ],
      [
        'a block never closed',
        { subject: 'ok', body: mjml('<mj-text>{{#if firstName}}Hi</mj-text>') },
        { path: 'body', line: 4, column: 10, message: expect.stringMatching(/never closed/) },
      ],
      [
        'an expression MJML would drop',
        { subject: 'ok', body: mjml('<mj-text>a</mj-text>\n{{firstName}}') },
        { path: 'body', line: 5, column: 1, message: expect.stringMatching(/stands between MJML elements/) },
      ],
      [
        'an MJML error',
        { subject: 'ok', body: mjml('<mj-text padding="abc">x</mj-text>') },
        { path: 'body', line: 4, column: 1, message: expect.stringMatching(/MJML: Attribute padding has invalid value: abc/) },
      ],
      [
        'a syntax error in the subject',
        { subject: 'Заказ {{order.number', body: mjml('<mj-text>x</mj-text>') },
        { path: 'subject', line: 1, column: 15, message: expect.stringMatching(/Handlebars syntax error/) },
      ],
      [
        'a missing subject',
        { body: mjml('<mj-text>x</mj-text>') },
        { path: 'subject', line: 1, message: expect.stringMatching(/needs a subject/) },
      ],
    ])('answers 400 with field, line and column for %s, and saves nothing', async (_name, fields, issue) => {
      const { status, body } = await call(`/templates/${templateId}/versions`, { body: { locale: 'ru', ...fields } });
      expect(status).toBe(400);
      expect(body.error).toBe('validation_failed');
      expect(body.issues).toEqual([expect.objectContaining(issue)]);
      expect(body.message).toMatch(/^Template is invalid: /);
      const versions = await call(`/templates/${templateId}/versions`);
      expect(versions.body.items).toHaveLength(1);
    });

    it('saves each change as a new immutable version per locale', async () => {
      const ru2 = await call(`/templates/${templateId}/versions`, {
        body: {
          locale: 'ru',
          subject: 'Скидка для {{firstName}}',
          body: mjml('<mj-text>Привет, {{firstName}}!</mj-text>'),
          text: 'Привет, {{firstName}}!',
        },
      });
      expect(ru2.status).toBe(201);
      expect(ru2.body).toMatchObject({ locale: 'ru', version: 2, fromFile: false, text: 'Привет, {{firstName}}!', warnings: [] });
      const en1 = await call(`/templates/${templateId}/versions`, {
        body: { locale: 'en_gb', subject: 'Sale for {{firstName}}', body: mjml('<mj-text>Hi {{firstName}}!</mj-text>') },
      });
      expect(en1.status).toBe(201);
      expect(en1.body).toMatchObject({ locale: 'en-GB', version: 1 });

      const versions = await call(`/templates/${templateId}/versions`, { key: viewer });
      expect(
        versions.body.items.map((v: { locale: string; version: number; current: boolean }) => [v.locale, v.version, v.current]),
      ).toEqual([
        ['en-GB', 1, true],
        ['ru', 2, true],
        ['ru', 1, false],
      ]);
      const ruOnly = await call(`/templates/${templateId}/versions?locale=ru`);
      expect(ruOnly.body.items).toHaveLength(2);
      const first = versions.body.items[2];
      const old = await call(`/templates/${templateId}/versions/${first.id}`);
      expect(old.body.subject).toBe('{{firstName default="Друзья"}}, скидка {{data.discount}}%');
      expect((await call(`/templates/${templateId + 1000}/versions/${first.id}`)).status).toBe(404);
    });

    it('renames, and deletes an unused template of the user but never a built-in one', async () => {
      const renamed = await call(`/templates/${templateId}`, { method: 'PATCH', body: { name: 'Распродажа', description: 'март' } });
      expect(renamed.body).toMatchObject({ name: 'Распродажа', description: 'март' });
      expect((await call(`/templates/${templateId}`, { method: 'PATCH', body: {} })).status).toBe(400);
      const builtIn = (await call('/templates?channel=email&key=birthday')).body.items[0];
      const refused = await call(`/templates/${builtIn.id}`, { method: 'DELETE' });
      expect(refused.status).toBe(409);
      expect(refused.body.message).toMatch(/built in/);
      expect((await call(`/templates/${templateId}`, { method: 'DELETE', key: viewer })).status).toBe(403);
      expect((await call(`/templates/${templateId}`, { method: 'DELETE' })).status).toBe(204);
      expect((await call(`/templates/${templateId}`)).status).toBe(404);
    });

    it('refuses to delete a template a campaign uses', async () => {
      const made = await create({ key: 'used', name: 'used', channel: 'sms', body: 'Hi {{firstName}}' });
      const prisma = t.app.get(PrismaService);
      await prisma.campaign.create({ data: { name: 'c', channel: 'sms', templateId: made.body.id } });
      const refused = await call(`/templates/${made.body.id}`, { method: 'DELETE' });
      expect(refused.status).toBe(409);
      expect(refused.body.message).toMatch(/in use \(1 campaigns\)/);
    });
  });

  describe('preview', () => {
    let promoId: number;
    let smsShippedId: number;
    let customerId: number;
    let orderId: number;
    beforeAll(async () => {
      promoId = (await call('/templates?channel=email&key=order-shipped')).body.items[0].id;
      smsShippedId = (await call('/templates?channel=sms&key=order-shipped')).body.items[0].id;
      const prisma = t.app.get(PrismaService);
      const customer = await prisma.customer.create({
        data: {
          firstName: '<script>alert(1)</script>',
          lastName: 'Smith',
          email: 'x@example.com',
          locale: 'en-GB',
          timeZone: 'Europe/London',
        },
      });
      customerId = customer.id;
      const order = await prisma.order.create({
        data: {
          customerId,
          externalId: 'SHOP-77',
          status: 'shipped',
          total: '59.90',
          currency: 'GBP',
          trackingNumber: 'TRK-1',
          attributes: { carrier: 'Royal Mail', trackingUrl: 'https://track.example/TRK-1' },
          items: { create: [{ productId: 'P1', name: 'Mug & <cup>', quantity: 2, price: '29.95' }] },
        },
      });
      orderId = order.id;
    });

    it('renders the current version for a sample customer of the asked locale', async () => {
      const { status, body } = await call(`/templates/${promoId}/preview`, { key: viewer, body: { locale: 'ru' } });
      expect(status).toBe(200);
      expect(body).toMatchObject({
        channel: 'email',
        locale: 'ru',
        version: 1,
        customerId: null,
        sample: ['customer', 'order', 'message', 'campaign', 'brand', 'data', 'run'],
      });
      expect(body.subject).toBe('Заказ №A-10234 в пути: доставка 12–14 марта');
      expect(body.html).toMatch(/^<!doctype html>/);
      expect(body.text).toContain('RA123456789RU');
      expect(`${body.subject}${body.html}${body.text}`).not.toMatch(/\{\{|\}\}/);
      const empty = await fetch(`${t.url}/templates/${promoId}/preview`, {
        method: 'POST',
        headers: { authorization: `Bearer ${viewer}` },
      });
      expect(empty.status).toBe(200);
      expect((await jsonOf(empty)).locale).toBe('ru');
    });

    it('renders for a real customer in its locale with its order, escaping its data', async () => {
      const { status, body } = await call(`/templates/${promoId}/preview`, { key: viewer, body: { customerId } });
      expect(status).toBe(200);
      expect(body).toMatchObject({ locale: 'en', customerId, sample: ['message', 'campaign', 'brand', 'data', 'run'] });
      expect(body.subject).toMatch(/^Order #SHOP-77 /);
      expect(body.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(body.html).not.toContain('<script>alert');
      expect(body.html).toContain('Mug &amp; &lt;cup&gt;');
      expect(body.html).toContain('TRK-1');
      expect(body.text).toContain('£59.90');
      const orderPreview = await call(`/templates/${promoId}/preview`, {
        body: { customerId, orderId, context: { data: { anything: 1 } } },
      });
      expect(orderPreview.status).toBe(200);
    });

    it('renders an SMS with its length report', async () => {
      const { body } = await call(`/templates/${smsShippedId}/preview`, { key: viewer, body: { customerId, locale: 'ru' } });
      expect(body).toMatchObject({ channel: 'sms', locale: 'ru', sms: { encoding: 'UCS-2', segments: expect.any(Number) } });
      expect(body.text).toContain('SHOP-77');
      expect(body.sms.characters).toBe([...body.text].length);
      const en = await call(`/templates/${smsShippedId}/preview`, { body: { customerId } });
      expect(en.body).toMatchObject({ locale: 'en', sms: { encoding: 'GSM-7', segments: 1 } });
      const long = await call(`/templates/${smsShippedId}/preview`, {
        body: { locale: 'ru', context: { brand: { name: 'Ж'.repeat(200) } } },
      });
      expect(long.body.sms.segments).toBeGreaterThan(2);
      expect(long.body.warnings).toEqual([{ path: 'body', message: expect.stringMatching(/segments, limit is 2/) }]);
    });

    it('answers 404 for an unknown customer, order or version, and 400 for a bad body', async () => {
      expect((await call(`/templates/${promoId}/preview`, { body: { customerId: 999999 } })).status).toBe(404);
      expect((await call(`/templates/${promoId}/preview`, { body: { customerId, orderId: 999999 } })).status).toBe(404);
      expect((await call(`/templates/${promoId}/preview`, { body: { versionId: 999999 } })).status).toBe(404);
      const bad = await call(`/templates/${promoId}/preview`, { body: { orderId: 1, context: { nope: 1 } } });
      expect(bad.status).toBe(400);
      expect(bad.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['context', 'orderId']);
    });
  });

  describe('validate', () => {
    it('reports errors and warnings of a draft without saving, and the SMS length of a sample render', async () => {
      const ok = await call('/templates/validate', {
        key: viewer,
        body: { channel: 'sms', locale: 'en', body: 'Hi {{firstName}}, order {{order.numbr}} shipped', maxSegments: 1 },
      });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({
        valid: true,
        errors: [],
        sample: { text: 'Hi Emily, order shipped', sms: { encoding: 'GSM-7', segments: 1, characters: 23 } },
      });
      expect(ok.body.warnings).toEqual([expect.objectContaining({ path: 'body', line: 1, column: 27, variable: 'order.numbr' })]);
      const cyrillic = await call('/templates/validate', {
        body: { channel: 'sms', locale: 'ru', body: '{{firstName}}: ' + 'ж'.repeat(150), maxSegments: 2 },
      });
      expect(cyrillic.body.sample.sms).toMatchObject({ encoding: 'UCS-2', segments: 3, perSegment: 67 });
      expect(cyrillic.body.sample.warnings).toEqual([expect.stringMatching(/3 segments, limit is 2/)]);
      const bad = await call('/templates/validate', {
        body: { channel: 'email', subject: 'x', body: mjml('<mj-text>{{#each}}</mj-text>') },
      });
      expect(bad.status).toBe(200);
      expect(bad.body).toMatchObject({ valid: false, errors: [expect.objectContaining({ path: 'body', line: 4 })] });
    });
  });
});
