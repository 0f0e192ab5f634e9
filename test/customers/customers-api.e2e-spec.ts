// The customer API on the real app: normalisation and validation, lookup, companies with
// contacts, updates, keyset pages, roles, suppression.
import { startTestApp, type TestApp } from '../support/test-app';
import { api, sql } from './customer-fixtures';

describe('customers API', () => {
  let t: TestApp;
  let marketer: ReturnType<typeof api>;
  let viewer: ReturnType<typeof api>;
  let admin: ReturnType<typeof api>;

  beforeAll(async () => {
    t = await startTestApp();
    marketer = api(t, await t.key('marketer'));
    viewer = api(t, await t.key('viewer'));
    admin = api(t, await t.key('admin'));
  });
  afterAll(async () => {
    await t.close();
  });

  it('normalises email (IDN to punycode) and phone (E.164) and finds the customer by any spelling', async () => {
    const created = await marketer.post('/customers', {
      firstName: 'Иван',
      lastName: 'Петров',
      email: '  Ivan.Petrov@ПОЧТА.РФ ',
      phone: '8 (912) 345-67-89 доб. 12',
      birthday: '17.05.1990',
      timeZone: 'europe/moscow',
      locale: 'ru-RU',
      tags: ['VIP', 'vip', 'Опт'],
      externalId: 'CRM-1',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email: 'ivan.petrov@xn--80a1acny.xn--p1ai',
      phone: '+79123456789',
      birthday: '1990-05-17T00:00:00.000Z',
      timeZone: 'Europe/Moscow',
      locale: 'ru',
      tags: ['vip', 'опт'],
      attributes: { phoneExtension: '12' },
      kind: 'person',
      orderCount: 0,
      suppressed: { email: null, sms: null },
    });
    for (const query of ['email=IVAN.PETROV%40почта.рф', 'phone=%2B7%20912%20345%2067%2089', 'externalId=CRM-1']) {
      const found = await viewer.get(`/customers/lookup?${query}`);
      expect(found.status).toBe(200);
      expect(found.body.items.map((c: { id: number }) => c.id)).toEqual([created.body.id]);
    }
  });

  it('answers 400 naming the field and the reason for invalid values', async () => {
    const bad = await marketer.post('/customers', {
      email: 'ivan.mail.ru',
      phone: '123',
      birthday: '31.02.1990',
      timeZone: 'Moscow/Russia',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('validation_failed');
    expect(bad.body.issues).toEqual([
      { path: 'email', message: 'invalid email: no @ sign' },
      { path: 'phone', message: 'invalid phone: too few digits' },
      { path: 'birthday', message: 'invalid birthday: no such date' },
      { path: 'timeZone', message: 'invalid time zone: unknown zone' },
    ]);
    const unknownField = await marketer.post('/customers', { email: 'a@b.ru', emial: 'x' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.message).toMatch(/emial/);
    const noContact = await marketer.post('/customers', { firstName: 'Никто' });
    expect(noContact.status).toBe(400);
    expect(noContact.body.issues[0].message).toBe('a customer needs an email, a phone or an externalId');
    const badLookup = await viewer.get('/customers/lookup?phone=abc');
    expect(badLookup.status).toBe(400);
    expect(badLookup.body.issues[0]).toEqual({ path: 'query.phone', message: 'invalid phone: contains letters or symbols' });
  });

  it('refuses a second customer with the same external id or email (409)', async () => {
    await marketer.post('/customers', { email: 'dup@example.com', externalId: 'DUP-1' });
    const byEmail = await marketer.post('/customers', { email: 'DUP@example.com' });
    expect(byEmail.status).toBe(409);
    expect(byEmail.body.issues[0].path).toBe('email');
    const byId = await marketer.post('/customers', { email: 'other@example.com', externalId: 'DUP-1' });
    expect(byId.status).toBe(409);
  });

  it('keeps a company with several contacts, each reachable on its own', async () => {
    const company = await marketer.post('/customers', { kind: 'company', companyName: 'ООО «Вектор»', email: 'office@vector.ru' });
    expect(company.status).toBe(201);
    const anna = await marketer.post(`/customers/${company.body.id}/contacts`, {
      firstName: 'Анна',
      email: 'anna@vector.ru',
      position: 'Бухгалтер',
    });
    const oleg = await marketer.post(`/customers/${company.body.id}/contacts`, { firstName: 'Олег', phone: '+7 495 123-45-67' });
    expect([anna.status, oleg.status]).toEqual([201, 201]);
    expect(anna.body).toMatchObject({ kind: 'person', companyId: company.body.id, company: { companyName: 'ООО «Вектор»' } });
    const shown = await viewer.get(`/customers/${company.body.id}`);
    expect(shown.body.contacts.map((c: { firstName: string }) => c.firstName)).toEqual(['Анна', 'Олег']);
    expect((await viewer.get(`/customers/${oleg.body.id}`)).body.phone).toBe('+74951234567');
    expect((await viewer.get(`/customers?companyId=${company.body.id}`)).body.items).toHaveLength(2);

    const person = await marketer.post('/customers', { email: 'solo@example.com' });
    const wrong = await marketer.post('/customers', { email: 'x@example.com', companyId: person.body.id });
    expect(wrong.status).toBe(400);
    expect(wrong.body.issues[0]).toEqual({ path: 'companyId', message: `customer ${person.body.id} is a person, not a company` });
    const toPerson = await marketer.patch(`/customers/${company.body.id}`, { kind: 'person' });
    expect(toPerson.status).toBe(409);
  });

  it('updates fields, clears with null, and leaves the rest alone', async () => {
    const created = await marketer.post('/customers', {
      email: 'upd@example.com',
      phone: '89123000001',
      firstName: 'Ольга',
      attributes: { city: 'Казань' },
    });
    const updated = await marketer.patch(`/customers/${created.body.id}`, {
      lastName: 'Смирнова',
      phone: null,
      attributes: { city: 'Пермь' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      firstName: 'Ольга',
      lastName: 'Смирнова',
      phone: null,
      email: 'upd@example.com',
      attributes: { city: 'Пермь' },
    });
    const bad = await marketer.patch(`/customers/${created.body.id}`, { email: 'not an email' });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0]).toEqual({ path: 'email', message: 'invalid email: contains a space or a control character' });
    expect((await marketer.patch('/customers/999999', { firstName: 'x' })).status).toBe(404);
  });

  it('pages with a keyset cursor and filters by tag and search', async () => {
    for (let i = 0; i < 5; i++)
      await marketer.post('/customers', { email: `page${i}@example.com`, tags: ['page'], lastName: `Страничкин${i}` });
    const ids: number[] = [];
    let after: string | null = null;
    do {
      const page: { body: { items: { id: number }[]; next: string | null } } = await viewer.get(
        `/customers?tag=page&limit=2${after ? `&after=${after}` : ''}`,
      );
      ids.push(...page.body.items.map((c) => c.id));
      after = page.body.next;
    } while (after);
    expect(ids).toHaveLength(5);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect((await viewer.get('/customers?search=страничкин3')).body.items).toHaveLength(1);
  });

  describe('search (GET /customers?q=)', () => {
    const ids: Record<string, number> = {};
    const found = async (q: string) => {
      const response = await viewer.get(`/customers?q=${encodeURIComponent(q)}&limit=100`);
      expect(response.status).toBe(200);
      return (response.body.items as { id: number }[]).map((c) => c.id).sort((a, b) => a - b);
    };

    beforeAll(async () => {
      const make = async (key: string, body: Record<string, unknown>) => {
        const created = await marketer.post('/customers', body);
        expect(created.status).toBe(201);
        ids[key] = created.body.id;
      };
      await make('sidorov', {
        firstName: 'Поискан',
        lastName: 'Сидорович',
        patronymic: 'Ильич',
        email: 'Poiskan.Sidorovich@Example.COM',
        phone: '+7 (913) 555-12-34',
        externalId: 'SRCH-77',
      });
      await make('namesake', { firstName: 'Поискан', lastName: 'Другович', phone: '+79135551299' });
      await make('company', { kind: 'company', companyName: 'Поисковая Артель', email: 'artel@search.example' });
      await make('contact', { firstName: 'Артём', lastName: 'Связной', companyId: ids.company, email: 'svyaznoy@contact.example' });
    });

    it.each<[string, string, string[]]>([
      ['a first name finds both who have it', 'поискан', ['sidorov', 'namesake']],
      ['«Имя Фамилия»', 'Поискан Сидорович', ['sidorov']],
      ['«Фамилия Имя»', 'Сидорович Поискан', ['sidorov']],
      ['«Фамилия Имя Отчество», any case', 'СИДОРОВИЧ поискан ильич', ['sidorov']],
      ['a word no one has in their name', 'Поискан Нетакович', []],
      ['email in another case', 'POISKAN.SIDOROVICH@example.com', ['sidorov']],
      ['part of an email', 'artel@search', ['company']],
      ['phone as written internationally', '+7 (913) 555-12-34', ['sidorov']],
      ['phone with the trunk 8', '89135551234', ['sidorov']],
      ['phone as ten digits', '9135551234', ['sidorov']],
      ['phone as 8 with brackets and dashes', '8 (913) 555-12-34', ['sidorov']],
      ['the end of a phone', '555-12-34', ['sidorov']],
      ['a common part of two phones', '913555', ['sidorov', 'namesake']],
      ['company name, part of it: the company and its contact', 'артель', ['company', 'contact']],
      ['a contact by name and company name', 'Артём Поисковая', ['contact']],
      ['external id as written', 'SRCH-77', ['sidorov']],
      ['% is a character, not a wildcard', '%', []],
    ])('%s: %s', async (_why, q, expected) => {
      expect(await found(q)).toEqual(expected.map((key) => ids[key]).sort((a, b) => a - b));
    });

    it('keeps `search` as the former name of `q`', async () => {
      expect(await found('Сидорович Поискан')).toEqual(
        (await viewer.get('/customers?search=Сидорович%20Поискан').then((r) => r.body.items as { id: number }[])).map((c) => c.id),
      );
    });
  });

  it('lets a viewer read but not write, and keeps erase for admins', async () => {
    const created = await marketer.post('/customers', { email: 'roles@example.com' });
    expect((await viewer.get(`/customers/${created.body.id}`)).status).toBe(200);
    expect((await viewer.post('/customers', { email: 'v@example.com' })).status).toBe(403);
    expect((await viewer.patch(`/customers/${created.body.id}`, { firstName: 'x' })).status).toBe(403);
    expect((await marketer.post(`/customers/${created.body.id}/erase`)).status).toBe(403);
    expect((await viewer.get(`/customers/${created.body.id}/export`)).status).toBe(403);
    expect((await marketer.get(`/customers/${created.body.id}/export`)).status).toBe(200);
    expect((await admin.post(`/customers/${created.body.id}/erase`)).status).toBe(200);
  });

  it('deletes a customer with its orders and consents, but not its suppression', async () => {
    const created = await marketer.post('/customers', {
      email: 'gone@example.com',
      consents: { email: { status: 'opted_in', source: 'checkout' } },
    });
    await marketer.post('/orders', { customerId: created.body.id, total: 100 });
    await marketer.post('/suppressions', { channel: 'email', address: 'gone@example.com', reason: 'complaint' });
    expect((await marketer.del(`/customers/${created.body.id}`)).status).toBe(204);
    expect((await viewer.get(`/customers/${created.body.id}`)).status).toBe(404);
    const left = await sql<{ orders: number; consents: number }>(
      t,
      'SELECT (SELECT count(*) FROM orders WHERE customer_id = $1)::int AS orders, (SELECT count(*) FROM consents WHERE customer_id = $1)::int AS consents',
      [created.body.id],
    );
    expect(left[0]).toEqual({ orders: 0, consents: 0 });
    expect((await viewer.get('/suppressions/check?channel=email&address=GONE@example.com')).body).toMatchObject({
      suppressed: true,
      reason: 'complaint',
    });
  });

  it('suppresses by any spelling, shows it on the customer, and lifts it only as admin', async () => {
    const created = await marketer.post('/customers', { email: 'supp@example.com', phone: '+79123000002' });
    const added = await marketer.post('/suppressions', {
      channel: 'sms',
      address: '8 912 300-00-02',
      reason: 'manual',
      source: 'call centre',
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ created: true, channel: 'sms', address: '+79123000002', reason: 'manual', source: 'call centre' });
    const again = await marketer.post('/suppressions', { channel: 'sms', address: '+7 912 300 00 02', reason: 'complaint' });
    expect(again.body).toMatchObject({ created: false, reason: 'manual' });
    expect((await viewer.get(`/customers/${created.body.id}`)).body.suppressed).toEqual({ email: null, sms: 'manual' });
    const listed = await viewer.get('/suppressions?channel=sms&address=89123000002');
    expect(listed.body.items.map((s: { id: number }) => s.id)).toEqual([added.body.id]);
    const badAddress = await marketer.post('/suppressions', { channel: 'email', address: 'nope' });
    expect(badAddress.status).toBe(400);
    expect(badAddress.body.issues[0]).toEqual({ path: 'address', message: 'invalid email: no @ sign' });
    expect((await marketer.del(`/suppressions/${added.body.id}`)).status).toBe(403);
    expect((await admin.del(`/suppressions/${added.body.id}`)).status).toBe(204);
    expect((await viewer.get(`/customers/${created.body.id}`)).body.suppressed.sms).toBeNull();
  });
});
