import { Readable } from 'node:stream';
import * as iconv from 'iconv-lite';
import { readCustomerCsv } from './customer-import';
import { CsvImportError, type ImportIssue, type ImportOptions } from './import.types';

const today = new Date('2026-11-23T00:00:00Z');

/** The bytes cut into small pieces, so every boundary case (a UTF-8 letter, CRLF, "") is hit. */
function chunked(bytes: Buffer, size = 7): Readable {
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) pieces.push(bytes.subarray(i, i + size));
  return Readable.from(pieces);
}

async function read(text: string | Buffer, options: ImportOptions = {}, size = 7) {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return readCustomerCsv(chunked(bytes, size), { today, ...options }).collect();
}

const brief = (issues: ImportIssue[]) => issues.map((i) => [i.line, i.field, i.code]);

describe('readCustomerCsv', () => {
  it('reads good rows, rejects bad ones with line, field and reason, and drops duplicates', async () => {
    const csv = [
      'email,phone,first_name,last_name,birthday,external_id', // 1
      'Ivan@Mail.RU,8 (912) 345-67-89,Иван,Петров,17.05.1990,C1', // 2
      'not-an-email,+7 912 000 00 01,Пётр,,,C2', // 3 bad email
      ',,Без,Контактов,,', // 4 no identifier
      'anna@yandex.ru,123,Анна,,31.02.1991,C3', // 5 bad phone and bad birthday
      '', // 6 blank
      'olga@yandex.ru,,Ольга,,,C4', // 7
      'other@mail.ru,,Иван-дубль,,,C1', // 8 duplicate external id of line 2
      'OLGA@YANDEX.RU,,Ольга снова,,,', // 9 duplicate email of line 7 (no external id → identity is the email)
      'olga@yandex.ru,,Ольга-коллега,,,C5', // 10 another external id, same email: one email is one live customer, so a copy of line 7
      'vera@yandex.ru,8 (912) 345-67-89,Вера,,,C6', // 11 colleague on line 2's phone: kept with a warning
    ].join('\n');
    const { rows, errors, warnings, summary } = await read(csv);

    expect(rows.map((r) => [r.line, r.externalId, r.email, r.phone])).toEqual([
      [2, 'C1', 'ivan@mail.ru', '+79123456789'],
      [7, 'C4', 'olga@yandex.ru', null],
      [11, 'C6', 'vera@yandex.ru', '+79123456789'],
    ]);
    expect(rows[0]).toMatchObject({ firstName: 'Иван', lastName: 'Петров', birthday: '1990-05-17', kind: 'person' });
    expect(brief(errors)).toEqual([
      [3, 'email', 'email.no_at'],
      [4, 'row', 'row.no_identifier'],
      [5, 'phone', 'phone.too_short'],
      [5, 'birthday', 'birthday.impossible_date'],
    ]);
    expect(errors[0].reason).toBe('invalid email: no @ sign');
    expect(warnings).toEqual([
      expect.objectContaining({ line: 8, field: 'external_id', code: 'duplicate', otherLine: 2 }),
      expect.objectContaining({ line: 9, field: 'email', code: 'duplicate', otherLine: 7 }),
      expect.objectContaining({ line: 10, field: 'email', code: 'duplicate', otherLine: 7 }),
      expect.objectContaining({ line: 11, field: 'phone', code: 'shared_contact', otherLine: 2 }),
    ]);
    expect(warnings[0].reason).toBe('duplicate of line 2 (same external_id); the first one is kept, this line is not imported');
    expect(warnings[2].reason).toBe('duplicate of line 7 (same email); the first one is kept, this line is not imported');
    expect(summary).toMatchObject({
      encoding: 'utf-8',
      delimiter: ',',
      lines: 11,
      dataLines: 9,
      blankLines: 1,
      accepted: 3,
      rejected: 3,
      duplicates: 3,
      errorCount: 4,
      warningCount: 4,
    });
  });

  it('lets a later valid copy in when the first copy had errors', async () => {
    const { rows, warnings } = await read('email,birthday\na@x.ru,32.01.1990\na@x.ru,01.01.1990\n');
    expect(rows.map((r) => r.line)).toEqual([3]);
    expect(warnings).toEqual([]);
  });

  it('reads a Windows-1251 file (Russian Excel "CSV") without being told', async () => {
    const text = 'Фамилия;Имя;Отчество;Телефон;Эл. почта;Город\r\nЁжиков;Фёдор;Ильич;8 912 345-67-89;fedor@почта.рф;Санкт-Петербург\r\n';
    const bytes = iconv.encode(text, 'win1251');
    expect(bytes.includes(Buffer.from('Ё', 'utf8'))).toBe(false); // really single-byte
    const { rows, summary } = await read(bytes);
    expect(summary).toMatchObject({ encoding: 'windows-1251', encodingBasis: 'cp1251-letters', delimiter: ';', undecodableChars: 0 });
    expect(rows).toEqual([
      expect.objectContaining({
        line: 2,
        lastName: 'Ёжиков',
        firstName: 'Фёдор',
        patronymic: 'Ильич',
        phone: '+79123456789',
        email: 'fedor@xn--80a1acny.xn--p1ai',
        attributes: { city: 'Санкт-Петербург' },
      }),
    ]);
  });

  it('reads an Excel "CSV UTF-8" file: BOM, semicolons, CRLF, quoted cells with newlines and delimiters', async () => {
    const text =
      '\uFEFFКод клиента;ФИО;E-mail;Комментарий;Теги\r\n' +
      '1001;Петров Иван Сергеевич;ivan@mail.ru;"Звонить после 18:00;\r\nне раньше";"VIP; опт"\r\n' +
      '1002;"Сидорова ""Анна""";anna@mail.ru;"a ""quoted"" word";\r\n' +
      '1003;Кузнецов;bad@;;\r\n';
    const { rows, errors, summary } = await read(Buffer.from(text, 'utf8'), {}, 5);
    expect(summary).toMatchObject({ encoding: 'utf-8', encodingBasis: 'bom', delimiter: ';', lines: 5 });
    expect(summary.columns).toEqual([
      { header: 'Код клиента', target: 'external_id' },
      { header: 'ФИО', target: 'full_name' },
      { header: 'E-mail', target: 'email' },
      { header: 'Комментарий', target: 'attribute', key: 'kommentariy' },
      { header: 'Теги', target: 'tags' },
    ]);
    expect(rows).toEqual([
      expect.objectContaining({
        line: 2,
        externalId: '1001',
        lastName: 'Петров',
        firstName: 'Иван',
        patronymic: 'Сергеевич',
        tags: ['vip', 'опт'],
        attributes: { kommentariy: 'Звонить после 18:00;\r\nне раньше' },
      }),
      expect.objectContaining({ line: 4, externalId: '1002', lastName: 'Сидорова', firstName: '"Анна"', tags: null }),
    ]);
    // Line 5, not 4: the quoted line break on line 2 counts.
    expect(brief(errors)).toEqual([[5, 'email', 'email.domain_empty']]);
  });

  it('reads UTF-16LE ("Unicode text" from Excel, tab-delimited)', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('email\tИмя\r\nfedor@mail.ru\tФёдор\r\n', 'utf16le')]);
    const { rows, summary } = await read(bytes, {}, 3);
    expect(summary).toMatchObject({ encoding: 'utf-16le', delimiter: '\t' });
    expect(rows.map((r) => [r.email, r.firstName])).toEqual([['fedor@mail.ru', 'Фёдор']]);
  });

  it('honours an Excel "sep=" line and does not count it as the header', async () => {
    const { rows, summary } = await read('sep=|\nemail|phone\na@x.ru|89123456789\n');
    expect(summary.delimiter).toBe('|');
    expect(rows.map((r) => [r.line, r.email, r.phone])).toEqual([[3, 'a@x.ru', '+79123456789']]);
  });

  it('maps Russian and English aliases and normalises every field', async () => {
    const csv = [
      'E-Mail,Телефон,Имя,Фамилия,Компания,Должность,Дата рождения,Часовой пояс,Язык,Теги,Согласие на рассылку,Согласие на SMS,Источник,Дата регистрации',
      'a@x.ru,+7 912 345 67 89 доб. 5,Анна,Иванова,ООО Ромашка,Бухгалтер,1990-02-01,europe/moscow,ru-RU,"b2b, B2B, опт",да,нет,выставка,01.03.2024 10:30',
    ].join('\n');
    const { rows, errors } = await read(csv);
    expect(errors).toEqual([]);
    expect(rows[0]).toEqual({
      line: 2,
      externalId: null,
      kind: 'person',
      kindGiven: false,
      firstName: 'Анна',
      lastName: 'Иванова',
      patronymic: null,
      companyName: 'ООО Ромашка',
      position: 'Бухгалтер',
      email: 'a@x.ru',
      phone: '+79123456789',
      phoneExtension: '5',
      birthday: '1990-02-01',
      timeZone: 'Europe/Moscow',
      locale: 'ru',
      tags: ['b2b', 'опт'],
      consentEmail: 'opted_in',
      consentSms: 'opted_out',
      source: 'выставка',
      registeredAt: new Date('2024-03-01T07:30:00Z'),
      attributes: {},
    });
  });

  it('takes a company row without person names as kind=company', async () => {
    const { rows } = await read('company,email\nООО Ромашка,info@romashka.ru\n');
    expect(rows[0]).toMatchObject({ kind: 'company', kindGiven: false, companyName: 'ООО Ромашка', firstName: null });
  });

  it('says when the kind was written in the file', async () => {
    const { rows } = await read('Тип клиента,email\nюрлицо,info@romashka.ru\n,ivan@mail.ru\n');
    expect(rows.map((r) => [r.kind, r.kindGiven])).toEqual([
      ['company', true],
      ['person', false],
    ]);
  });

  it('lets an explicit mapping override the aliases', async () => {
    const csv = 'Почта,Код,Name\na@x.ru,77,Иван\n';
    const { rows, summary } = await read(csv, { mapping: { Код: 'ignore', NAME: 'first_name', почта: 'email' } });
    expect(rows[0]).toMatchObject({ email: 'a@x.ru', externalId: null, firstName: 'Иван', attributes: {} });
    expect(summary.columns.map((c) => c.target)).toEqual(['email', 'ignore', 'first_name']);
  });

  it.each([
    ['a line with more values than columns', 'email,name\na@x.ru,Иван,лишнее\n', [[2, 'row', 'row.too_many_fields']]],
    ['text after a closing quote', 'email,name\n"a@x.ru"junk,Иван\n', [[2, 'email', 'row.text_after_closing_quote']]],
    ['an unknown consent value', 'email,consent_email\na@x.ru,наверное\n', [[2, 'consent_email', 'consent_email.unknown_value']]],
    ['an unknown time zone', 'email,time_zone\na@x.ru,Europe/Moskva\n', [[2, 'time_zone', 'time_zone.unknown']]],
    ['an invalid locale', 'email,locale\na@x.ru,xx\n', [[2, 'locale', 'locale.invalid']]],
    ['a too long name', `email,first_name\na@x.ru,${'я'.repeat(256)}\n`, [[2, 'first_name', 'first_name.too_long']]],
    ['two addresses in one cell', 'email\n"a@x.ru, b@y.ru"\n', [[2, 'email', 'email.multiple_addresses']]],
  ])('rejects %s', async (_name, csv, expected) => {
    const { rows, errors } = await read(csv);
    expect(rows).toEqual([]);
    expect(brief(errors)).toEqual(expected);
  });

  it('accepts fewer values than columns (Excel drops trailing empty cells)', async () => {
    const { rows, errors } = await read('email,name,city\na@x.ru\n');
    expect(errors).toEqual([]);
    expect(rows[0]).toMatchObject({ email: 'a@x.ru', attributes: {} });
  });

  it('hands rows out in batches with progress, and the summary at the end', async () => {
    const lines = ['email'];
    for (let i = 0; i < 2500; i++) lines.push(`user${i}@example.com`);
    const bytes = Buffer.from(lines.join('\n'));
    const reader = readCustomerCsv(chunked(bytes, 1000), { batchSize: 1000, totalBytes: bytes.length });
    expect(() => reader.summary).toThrow();
    const sizes: number[] = [];
    const bytesSeen: number[] = [];
    for await (const batch of reader) {
      sizes.push(batch.rows.length);
      bytesSeen.push(batch.progress.bytesRead);
      expect(batch.progress.totalBytes).toBe(bytes.length);
    }
    expect(sizes).toEqual([1000, 1000, 500]);
    expect(bytesSeen).toEqual([...bytesSeen].sort((a, b) => a - b));
    expect(bytesSeen[bytesSeen.length - 1]).toBe(bytes.length);
    expect(reader.summary).toMatchObject({ accepted: 2500, dataLines: 2500, bytesRead: bytes.length });
  });

  it('flushes a batch of errors even when no row is valid', async () => {
    const lines = ['email', ...Array.from({ length: 30 }, () => 'bad')];
    const reader = readCustomerCsv(Buffer.from(lines.join('\n')), { batchSize: 10, maxIssueSample: 5 });
    const errorCounts: number[] = [];
    for await (const batch of reader) errorCounts.push(batch.errors.length);
    expect(errorCounts).toEqual([10, 10, 10]);
    expect(reader.summary.errorCount).toBe(30);
    expect(reader.summary.errors).toHaveLength(5);
  });

  it('closes the input when the caller stops early', async () => {
    const lines = ['email', ...Array.from({ length: 5000 }, (_, i) => `u${i}@x.ru`)];
    const source = chunked(Buffer.from(lines.join('\n')), 512);
    const reader = readCustomerCsv(source, { batchSize: 100 });
    for await (const batch of reader) {
      expect(batch.rows).toHaveLength(100);
      break;
    }
    expect(source.destroyed).toBe(true);
  });

  it.each([
    ['an empty file', '', 'empty_file'],
    ['only blank lines', '\n\n;;\n', 'empty_file'],
    ['no identifier column', 'name,city\nИван,Москва\n', 'missing_column'],
    ['two columns for one field', 'email,e-mail\na@x.ru,b@x.ru\n', 'header_mapping'],
    ['a mapping to an unknown field', 'email\na@x.ru\n', 'header_mapping', { mapping: { email: 'mail' } }],
  ])('fails the whole file on %s', async (_name, csv, code, options: ImportOptions = {}) => {
    await expect(read(csv, options)).rejects.toMatchObject({ name: 'CsvImportError', code });
  });

  it('fails on text chunks instead of bytes', async () => {
    await expect(readCustomerCsv(Readable.from(['email\n', 'a@x.ru\n'])).collect()).rejects.toBeInstanceOf(CsvImportError);
  });

  it('counts undecodable bytes when a file is declared UTF-8 but is not', async () => {
    const bytes = Buffer.concat([Buffer.from('email,name\na@x.ru,'), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from('\n')]);
    const { summary } = await read(bytes, { encoding: 'utf-8' });
    expect(summary.encodingBasis).toBe('explicit');
    expect(summary.undecodableChars).toBe(2);
  });
});
