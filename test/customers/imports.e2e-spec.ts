// CSV imports end to end: upload → queued job on the worker → rows in PostgreSQL, with the
// per-line report; Windows-1251; re-import idempotence; suppression and erasure surviving a
// re-import; dry runs; orders with their derived fields; the CLI.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import * as iconv from 'iconv-lite';
import { runCli } from '../support/test-env';
import { startTestApp, type TestApp } from '../support/test-app';
import { api, sql, waitFor, type Reply } from './customer-fixtures';

const CUSTOMERS = [
  'external_id,email,phone,first_name,last_name,birthday,consent_email,city', // 1
  'C1,Ivan@Mail.RU,8 (912) 345-67-89,Иван,Петров,17.05.1990,да,Москва', // 2
  'C2,not-an-email,,Пётр,,,,', // 3 bad email
  'C3,anna@yandex.ru,123,Анна,,31.02.1991,,', // 4 bad phone and birthday
  'C4,olga@yandex.ru,,Ольга,,,нет,Казань', // 5
  'C1,other@mail.ru,,Дубль,,,,', // 6 duplicate external id of line 2
  ',OLGA@YANDEX.RU,,Ольга снова,,,,', // 7 duplicate email of line 5
  'C5,maria@mail.ru,+7 999 123 45 67,Мария,,,да,', // 8
].join('\r\n');

describe('CSV imports', () => {
  let t: TestApp;
  let marketer: ReturnType<typeof api>;
  let admin: ReturnType<typeof api>;
  const dir = mkdtempSync(join(tmpdir(), 'otklik-import-test-'));

  beforeAll(async () => {
    t = await startTestApp();
    marketer = api(t, await t.key('marketer'));
    admin = api(t, await t.key('admin'));
  });
  afterAll(async () => {
    await t.close();
  });

  /** Uploads a file and waits for its job to finish. */
  async function upload(kind: 'customers' | 'orders', body: string | Buffer, query = ''): Promise<Reply['body']> {
    const queued = await marketer.post(`/imports/${kind}${query}`, typeof body === 'string' ? Buffer.from(body) : body, {
      'content-type': 'text/csv',
    });
    expect(queued.status).toBe(201);
    expect(queued.body.status).toBe('queued');
    return waitFor(
      async () => {
        const job = (await marketer.get(`/imports/${queued.body.id}`)).body;
        return job.status === 'completed' || job.status === 'failed' ? job : null;
      },
      60_000,
      `the ${kind} import ${queued.body.id} to complete or fail`,
    );
  }

  const customerBy = async (email: string) => (await marketer.get(`/customers/lookup?email=${encodeURIComponent(email)}`)).body.items;

  it('imports the good rows, reports the bad ones by line and field, and drops duplicates', async () => {
    const job = await upload('customers', CUSTOMERS, '?filename=crm-export.csv');
    expect(job).toMatchObject({
      status: 'completed',
      filename: 'crm-export.csv',
      progress: { percent: 100, rows: 7 },
      counts: { rows: 7, inserted: 3, updated: 0, unchanged: 0, duplicates: 2, rejected: 2 },
      summary: { encoding: 'utf-8', delimiter: ',', dataLines: 7 },
    });
    expect(job.errors.map((e: { line: number; field: string; reason: string }) => [e.line, e.field, e.reason])).toEqual([
      [3, 'email', 'invalid email: no @ sign'],
      [4, 'phone', 'invalid phone: too few digits'],
      [4, 'birthday', 'invalid birthday: no such date'],
    ]);
    const issues = (await marketer.get(`/imports/${job.id}/issues?severity=warning`)).body.items;
    expect(issues.map((i: { line: number; code: string; otherLine: number }) => [i.line, i.code, i.otherLine])).toEqual([
      [6, 'duplicate', 2],
      [7, 'duplicate', 5],
    ]);
    const report = await fetch(`${t.url}/imports/${job.id}/issues.csv`, { headers: { authorization: `Bearer ${await t.key('viewer')}` } });
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await report.arrayBuffer());
    expect(csv.split('\r\n')[0]).toBe('\uFEFFline,severity,field,code,reason,other_line');
    expect(csv).toContain('3,error,email,email.no_at,invalid email: no @ sign,');

    const [ivan] = await customerBy('ivan@mail.ru');
    expect(ivan).toMatchObject({ externalId: 'C1', firstName: 'Иван', phone: '+79123456789', attributes: { city: 'Москва' } });
    expect((await customerBy('anna@yandex.ru')).length).toBe(0);
    const consents = (await marketer.get(`/customers/${ivan.id}/consents`)).body;
    expect(consents.consents[0]).toMatchObject({ status: 'opted_in', source: 'import', proofFile: 'crm-export.csv' });
  });

  it('never makes two live customers with one email, links contacts to their company, and keys unknown columns for segments', async () => {
    const base = await marketer.post('/customers', { externalId: 'BASE-1', email: 'dup@base.example', firstName: 'Старое' });
    const anonymous = await marketer.post('/customers', { email: 'anon@base.example', firstName: 'Аноним' });
    const vector = await marketer.post('/customers', { kind: 'company', companyName: 'АО Вектор', email: 'office@vector.example' });
    for (const created of [base, anonymous, vector]) expect(created.status).toBe(201);
    const file = [
      'Код клиента;Фамилия;Имя;Отчество;Телефон;Эл. почта;Дата рождения;Компания;Город;Любимый цвет', // 1
      'N1;Козлов;Пётр;Ильич;8 912 111-22-33;dupfile@example.com;01.02.1990;ООО «Ромашка»;Тула;синий', // 2
      'N2;Козлова;Анна;;;DupFile@Example.COM;;;;', // 3 the email of line 2 under another id: a copy, first wins
      'N3;Новиков;Иван;;;dup@base.example;;;;', // 4 BASE-1's email under another id: refused
      ';Анонимов;Обновлён;;;anon@base.example;;;;', // 5 the stored customer with that email, updated
      'N4;Белов;Олег;;;belov@example.com;;ооо «ромашка»;;', // 6 the company of line 2, whatever the case
      'N5;Гусев;Гена;;;gena@example.com;;АО ВЕКТОР;;', // 7 the stored company
    ].join('\r\n');
    const job = await upload('customers', file, '?filename=ru-headers.csv');
    expect(job).toMatchObject({ status: 'completed', counts: { inserted: 3, updated: 1, duplicates: 1, rejected: 1 } });
    expect(job.errors.map((e: { line: number; field: string; code: string }) => [e.line, e.field, e.code])).toEqual([
      [4, 'email', 'email_taken'],
    ]);
    expect(job.errors[0].reason).toContain(`customer ${base.body.id} already has this email`);
    expect(job.summary.columns).toEqual(
      expect.arrayContaining([
        { header: 'Любимый цвет', target: 'attribute', key: 'lyubimyy_tsvet' },
        { header: 'Город', target: 'attribute', key: 'city' },
        { header: 'Эл. почта', target: 'email' },
        { header: 'Отчество', target: 'patronymic' },
        { header: 'Компания', target: 'company' },
      ]),
    );
    const warnings = (await marketer.get(`/imports/${job.id}/issues?severity=warning`)).body.items;
    expect(
      warnings.map((i: { line: number; field: string; code: string; otherLine: number }) => [i.line, i.field, i.code, i.otherLine]),
    ).toEqual([[3, 'email', 'duplicate', 2]]);

    const live = async (email: string) =>
      sql<{ id: number }>(t, 'SELECT id FROM customers WHERE email = $1 AND erased_at IS NULL', [email]).then((rows) =>
        rows.map((r) => r.id),
      );
    expect(await live('dupfile@example.com')).toHaveLength(1);
    expect(await live('dup@base.example')).toEqual([base.body.id]);
    expect((await marketer.get(`/customers/${base.body.id}`)).body).toMatchObject({ externalId: 'BASE-1', firstName: 'Старое' });
    expect((await marketer.get(`/customers/${anonymous.body.id}`)).body).toMatchObject({ firstName: 'Обновлён', lastName: 'Анонимов' });

    const [petr] = await customerBy('dupfile@example.com');
    expect(petr).toMatchObject({
      externalId: 'N1',
      lastName: 'Козлов',
      firstName: 'Пётр',
      patronymic: 'Ильич',
      phone: '+79121112233',
      birthday: '1990-02-01T00:00:00.000Z',
      companyName: 'ООО «Ромашка»',
      attributes: { city: 'Тула', lyubimyy_tsvet: 'синий' },
    });
    const romashka = (await marketer.get(`/customers/${petr.id}`)).body.company;
    expect(romashka).toMatchObject({ companyName: 'ООО «Ромашка»' });
    const contacts = (await marketer.get(`/customers/${romashka.id}/contacts`)).body.items;
    expect(contacts.map((c: { email: string }) => c.email).sort()).toEqual(['belov@example.com', 'dupfile@example.com']);
    const [gena] = await customerBy('gena@example.com');
    expect(gena.companyId).toBe(vector.body.id);

    // the attribute key is one a segment rule can name
    const segment = await marketer.post('/segments/preview', { rules: { field: 'attributes.lyubimyy_tsvet', op: 'eq', value: 'синий' } });
    expect(segment.body).toMatchObject({ total: 1, sample: [{ id: petr.id }] });

    // again: nothing new, no second company
    const again = await upload('customers', file, '?filename=ru-headers.csv');
    expect(again.counts).toMatchObject({ inserted: 0, updated: 0, duplicates: 1, rejected: 1 });
    const companies = await sql<{ n: number }>(
      t,
      "SELECT count(*)::int AS n FROM customers WHERE kind = 'company' AND lower(company_name) = lower('ООО «Ромашка»')",
    );
    expect(companies[0].n).toBe(1);
  });

  it('writes the issue report so that a spreadsheet keeps every cell whole and runs no formula', async () => {
    const file = [
      'email,first_name,"=HYPERLINK(""http://evil.example"");x"', // 1: a hostile header, echoed as the field of a row issue
      'csv-report1@example.com,Анна,ok', // 2
      'CSV-REPORT1@example.com,Анна,again', // 3: duplicate of line 2; its reason holds a semicolon
      'csv-report2@example.com,Лев,"nul\u0000here"', // 4: text PostgreSQL cannot store, in the hostile column
    ].join('\r\n');
    const job = await upload('customers', file);
    expect(job.status).toBe('completed');
    const response = await fetch(`${t.url}/imports/${job.id}/issues.csv`, {
      headers: { authorization: `Bearer ${await t.key('viewer')}` },
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('line,severity,field,code,reason,other_line');
    // A cell with a semicolon is quoted, and a leading = is defused with an apostrophe.
    expect(lines).toContain(
      '3,warning,email,duplicate,"duplicate of line 2 (same email); the first one is kept, this line is not imported",2',
    );
    const unstorable = lines.find((line) => line.startsWith('4,'));
    expect(unstorable).toMatch(/^4,error,"'=HYPERLINK\(""http:\/\/evil\.example""\);x",row\.unstorable_text,/);
    // Read back by an RFC 4180 parser: six cells on every row, the text intact.
    const rows = parse(csv.slice(1), { relaxColumnCount: false }) as string[][];
    expect(rows.every((row) => row.length === 6)).toBe(true);
    expect(rows.find((row) => row[0] === '4')?.[2]).toBe(`'=HYPERLINK("http://evil.example");x`);
  });

  it('reads a Windows-1251 file from Russian Excel', async () => {
    const text = 'Код клиента;Фамилия;Имя;Отчество;E-mail;Телефон\r\nW1;Ёлкина;Юлия;Сергеевна;yulia@mail.ru;+7 (912) 000-11-22\r\n';
    const job = await upload('customers', iconv.encode(text, 'windows-1251'));
    expect(job).toMatchObject({ status: 'completed', counts: { inserted: 1 }, summary: { encoding: 'windows-1251', delimiter: ';' } });
    expect((await customerBy('yulia@mail.ru'))[0]).toMatchObject({
      lastName: 'Ёлкина',
      firstName: 'Юлия',
      patronymic: 'Сергеевна',
      externalId: 'W1',
    });
  });

  it('is idempotent: the same file again changes nothing, a changed row is updated', async () => {
    const before = await sql<{ events: number; stamp: string }>(
      t,
      "SELECT (SELECT count(*) FROM consent_events)::int AS events, (SELECT max(updated_at)::text FROM customers WHERE external_id LIKE 'C%') AS stamp",
    );
    const again = await upload('customers', CUSTOMERS);
    expect(again.counts).toMatchObject({ inserted: 0, updated: 0, unchanged: 3, duplicates: 2, rejected: 2 });
    const after = await sql<{ events: number; stamp: string }>(
      t,
      "SELECT (SELECT count(*) FROM consent_events)::int AS events, (SELECT max(updated_at)::text FROM customers WHERE external_id LIKE 'C%') AS stamp",
    );
    expect(after).toEqual(before);
    expect((await sql<{ n: number }>(t, "SELECT count(*)::int AS n FROM customers WHERE external_id LIKE 'C%'"))[0].n).toBe(3);

    const changed = await upload(
      'customers',
      CUSTOMERS.replace('C5,maria@mail.ru,+7 999 123 45 67,Мария,,,да,', 'C5,maria@mail.ru,+7 999 123 45 67,Мария,Иванова,,нет,'),
    );
    expect(changed.counts).toMatchObject({ inserted: 0, updated: 1, unchanged: 2 });
    const [maria] = await customerBy('maria@mail.ru');
    expect(maria.lastName).toBe('Иванова');
    expect((await marketer.get(`/customers/${maria.id}/consents`)).body.consents[0].status).toBe('opted_out');
  });

  it('keeps a suppressed address suppressed, and its consent unchanged, when the customer is imported again', async () => {
    const [ivan] = await customerBy('ivan@mail.ru');
    await marketer.post('/suppressions', {
      channel: 'email',
      address: 'ivan@mail.ru',
      reason: 'unsubscribe',
      source: 'one-click unsubscribe',
    });
    await marketer.put(`/customers/${ivan.id}/consents/email`, { status: 'opted_out', source: 'one-click unsubscribe' });
    const job = await upload('customers', CUSTOMERS); // says consent "да" for ivan
    const warnings = (await marketer.get(`/imports/${job.id}/issues?severity=warning`)).body.items;
    expect(warnings).toContainEqual(expect.objectContaining({ line: 2, field: 'email', code: 'suppressed' }));
    expect((await marketer.get('/suppressions/check?channel=email&address=IVAN@mail.ru')).body).toMatchObject({
      suppressed: true,
      reason: 'unsubscribe',
    });
    expect((await marketer.get(`/customers/${ivan.id}/consents`)).body.consents[0].status).toBe('opted_out');
    expect((await marketer.get(`/customers/${ivan.id}`)).body.suppressed.email).toBe('unsubscribe');
  });

  it('keeps an erased address suppressed when the same row is imported after the erasure', async () => {
    const [olga] = await customerBy('olga@yandex.ru');
    expect((await admin.post(`/customers/${olga.id}/erase`)).status).toBe(200);
    const job = await upload('customers', CUSTOMERS);
    expect(job.counts.inserted).toBe(1); // a new customer: the erased one stays anonymous
    const [reimported] = await customerBy('olga@yandex.ru');
    expect(reimported.id).not.toBe(olga.id);
    expect((await marketer.get(`/customers/${reimported.id}`)).body.suppressed.email).toBe('erased');
    expect((await marketer.get('/suppressions/check?channel=email&address=olga@yandex.ru')).body).toMatchObject({
      suppressed: true,
      reason: 'erased',
    });
    const warnings = (await marketer.get(`/imports/${job.id}/issues?severity=warning`)).body.items;
    expect(warnings).toContainEqual(expect.objectContaining({ line: 5, code: 'suppressed', reason: expect.stringContaining('(erased)') }));
    const [erased] = await sql(t, 'SELECT email, external_id, first_name FROM customers WHERE id = $1', [olga.id]);
    expect(erased).toEqual({ email: null, external_id: null, first_name: null });
  });

  it('counts a dry run exactly and changes nothing', async () => {
    const job = await upload('customers', 'email,first_name\ndry@example.com,Сухов\nivan@mail.ru,Иван-новый\n', '?dryRun=true');
    expect(job).toMatchObject({ status: 'completed', dryRun: true, counts: { inserted: 1, updated: 1 } });
    expect(await customerBy('dry@example.com')).toEqual([]);
    expect((await customerBy('ivan@mail.ru'))[0].firstName).toBe('Иван');
  });

  it('fails a file that cannot be imported at all, saying why', async () => {
    const job = await upload('customers', 'name;city\nИван;Москва\n');
    expect(job.status).toBe('failed');
    expect(job.failure).toBe('line 1: the header has no email, phone or external_id column, so no row could be matched to a customer');
    // curl -F sends multipart/form-data: the file must be the body itself
    const wrongType = await marketer.post('/imports/customers', Buffer.from('--x\r\n'), {
      'content-type': 'multipart/form-data; boundary=x',
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.issues[0]).toEqual({
      path: 'content-type',
      message: expect.stringContaining('expected text/csv with the file as the body'),
    });
    const viewer = api(t, await t.key('viewer'));
    expect((await viewer.post('/imports/customers', Buffer.from('email\na@b.ru\n'), { 'content-type': 'text/csv' })).status).toBe(403);
    expect(
      (await marketer.post('/imports/customers?mapping=%7Bbad', Buffer.from('email\n'), { 'content-type': 'text/csv' })).body.issues[0]
        .path,
    ).toBe('query.mapping');
  });

  it('imports orders with items, keeps derived fields right, and stays idempotent', async () => {
    const orders = [
      'Номер заказа;Код клиента;Email;Дата заказа;Статус;Артикул;Количество;Цена',
      'A-1;C1;;01.03.2026 10:00;доставлен;SKU-1;2;1 000,00', // 2
      'A-1;C1;;01.03.2026 10:00;доставлен;SKU-2;1;500', // 3 second item of A-1
      'A-2;;maria@mail.ru;15.01.2026;оплачен;SKU-3;1;250', // 4
      'A-3;NOBODY;;02.02.2026;;SKU-1;1;10', // 5 unknown customer
      'A-4;C1;;05.04.2026 09:30;;SKU-4;3;100', // 6
    ].join('\n');
    const job = await upload('orders', orders);
    expect(job.counts).toMatchObject({ rows: 5, inserted: 3, rejected: 1 });
    expect(job.errors).toEqual([expect.objectContaining({ line: 5, field: 'customer_external_id', code: 'customer.not_found' })]);
    const [ivan] = await customerBy('ivan@mail.ru');
    expect(ivan).toMatchObject({
      orderCount: 2,
      orderSum: '2800',
      firstOrderAt: '2026-03-01T07:00:00.000Z',
      lastOrderAt: '2026-04-05T06:30:00.000Z',
    });
    const a1 = (await marketer.get(`/orders?customerId=${ivan.id}`)).body.items[0];
    expect(a1).toMatchObject({ externalId: 'A-1', status: 'delivered', total: '2500' });
    expect(a1.items.map((i: { productId: string; quantity: number }) => [i.productId, i.quantity])).toEqual([
      ['SKU-1', 2],
      ['SKU-2', 1],
    ]);

    const again = await upload('orders', orders);
    expect(again.counts).toMatchObject({ inserted: 0, updated: 0, unchanged: 3, rejected: 1 });
    const moved = await upload('orders', orders.replace('A-4;C1;;05.04.2026 09:30;;SKU-4;3;100', 'A-4;C5;;05.04.2026 09:30;;SKU-4;3;120'));
    expect(moved.counts).toMatchObject({ updated: 1, unchanged: 2 });
    expect((await customerBy('ivan@mail.ru'))[0]).toMatchObject({
      orderCount: 1,
      orderSum: '2500',
      lastOrderAt: '2026-03-01T07:00:00.000Z',
    });
    expect((await customerBy('maria@mail.ru'))[0]).toMatchObject({ orderCount: 2, orderSum: '610' });
    const drift = await sql<{ n: number }>(
      t,
      `
      SELECT count(*)::int AS n FROM customers c
       WHERE c.order_count <> (SELECT count(*) FROM orders o WHERE o.customer_id = c.id)
          OR c.order_sum <> (SELECT coalesce(sum(total), 0) FROM orders o WHERE o.customer_id = c.id)
          OR c.last_order_at IS DISTINCT FROM (SELECT max(ordered_at) FROM orders o WHERE o.customer_id = c.id)`,
    );
    expect(drift[0].n).toBe(0);
  });

  it('imports from the command line with a report file, and a dry run changes nothing', async () => {
    const file = join(dir, 'cli.csv');
    writeFileSync(file, 'email;Имя;Город\ncli1@example.com;Кира;Омск\nbroken;Лев;Тула\ncli2@example.com;Марк;Омск\n');
    const report = join(dir, 'issues.csv');
    const env = { DATABASE_URL: t.databaseUrl };
    const dry = await runCli('customers-import', [file, '--dry-run', '--report', report], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Dry run (nothing was changed)');
    expect(dry.stdout).toContain('3 rows: 2 new, 0 updated, 0 unchanged, 0 duplicates, 1 rejected');
    expect(dry.stdout).toContain('line 3, email: invalid email: no @ sign');
    expect(dry.stderr).toMatch(/\[#+\] 100%/); // the progress bar
    expect(readFileSync(report, 'utf8')).toContain('3,error,email,email.no_at,invalid email: no @ sign,');
    expect(await customerBy('cli1@example.com')).toEqual([]);

    const real = await runCli('customers-import', [file, '--map', 'Город=attribute'], env);
    expect(real.code).toBe(0);
    expect((await customerBy('cli1@example.com'))[0]).toMatchObject({ firstName: 'Кира', attributes: { city: 'Омск' } });
    const jobs = (await marketer.get('/imports?limit=2')).body.items;
    expect(jobs[0]).toMatchObject({ filename: 'cli.csv', createdBy: 'cli', status: 'completed', insertedRows: 2 });

    const bad = await runCli('customers-import', [join(dir, 'missing.csv')], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe(`${join(dir, 'missing.csv')}: no such file`);
  });
});
