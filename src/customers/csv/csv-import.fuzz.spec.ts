// Fuzz: the CSV readers (customers and orders) take any bytes, any options an upload can
// carry (encoding, delimiter, header mapping) and any chunking, and either read the file
// (rows, and line errors naming the line and the field) or refuse it with CsvImportError;
// never another exception, never longer than the time bound. Accepted rows go to PostgreSQL
// through COPY, so their text must be storable (no U+0000, no lone surrogate).
import fc from 'fast-check';
import { announceSeed, expectOwnError, fuzzParameters, mutated, nastyString, NASTY_STRINGS, timedAsync } from '../../../test/support/fuzz';
import { unstorableReason } from '../../common/storable-text';
import { readCustomerCsv } from './customer-import';
import { CUSTOMER_FIELDS, ORDER_FIELDS } from './header-mapping';
import { CsvImportError, type ImportIssue, type ImportOptions, type ImportSummary } from './import.types';
import { readOrderCsv } from './order-import';

const today = new Date('2026-11-23T00:00:00Z');

const CUSTOMERS = [
  'email,phone,first_name,last_name,birthday,external_id,tags,consent_email,Город\n' +
    'Ivan@Mail.RU,8 (912) 345-67-89,Иван,Петров,17.05.1990,C1,"vip, опт",да,Омск\n' +
    'anna@yandex.ru,+7 912 000 00 01,Анна,,1991-02-03,C2,,no,\n' +
    '"olga@x.ru","","Ольга ""Оля""",,,C3,,pending,"Москва, центр"\n',
  'sep=;\r\nФИО;Телефон;Эл. почта;Дата регистрации;Часовой пояс\r\nПетров Иван Иванович;89123456789;ivan@mail.ru;2024-01-02 10:00;Asia/Omsk\r\n',
  'ID\tCompany\tEmail\tKind\n7\tООО "Ромашка"\tinfo@romashka.ru\tcompany\n',
];
const ORDERS = [
  'order_id,customer_email,ordered_at,total,currency,status,product_id,product_name,quantity,price\n' +
    'A-1,ivan@mail.ru,2026-01-02 10:00,1500.50,RUB,delivered,SKU1,Чайник,1,1000.50\n' +
    'A-1,ivan@mail.ru,2026-01-02 10:00,1500.50,RUB,delivered,SKU2,Чашка,2,250\n' +
    'A-2,,02.01.2026,10,USD,new,SKU3,,1,10\n',
  'Номер заказа;Телефон;Дата;Сумма;Статус\n№5;+79120000000;2026-03-04;1 234,56;отменён\n',
];

const HEADERS = [...CUSTOMER_FIELDS, ...ORDER_FIELDS, 'Email', 'ФИО', 'Телефон', 'sep=;', '__proto__', 'constructor', 'toString', 'id', ''];

/** Plausible cells per column, so rows get past the first check and reach the deeper ones. */
const PLAUSIBLE: Record<string, string[]> = {
  email: ['ivan@mail.ru', 'IVAN@MAIL.RU', 'a@b', 'ivan@почта.рф', 'x@y.z,q@w.e'],
  phone: ['+79123456789', '8 (912) 345-67-89 доб. 12', '123', '+1 650 253 0000'],
  birthday: ['17.05.1990', '1990-05-17', '31.02.1990', '0000-00-00', '1.1.1'],
  registered_at: ['2024-01-02 10:00', '2024-01-02T10:00:00+03:00', '99.99.9999 99:99'],
  ordered_at: ['2026-01-02 10:00', '02.01.2026', '2026-13-45'],
  total: ['1 234,56', '1500.50', '-1', '1e999', '0,001', '99999999999999999999'],
  price: ['10', '10,5', '-0', 'abc'],
  quantity: ['1', '0', '1.5', '99999999999'],
  tags: ['vip, опт', ',,,', 'a'.repeat(70)],
  consent_email: ['да', 'no', 'pending', '?'],
  kind: ['company', 'person', 'robot'],
  time_zone: ['Asia/Omsk', 'UTC+3', 'Moscow/Russia'],
  status: ['delivered', 'отменён', 'lost'],
};
const REQUIRED_COLUMNS = { customers: ['email'], orders: ['order_id', 'customer_email', 'ordered_at'] };
const OTHER_COLUMNS = {
  customers: ['phone', 'external_id', 'first_name', 'birthday', 'tags', 'consent_email', 'kind', 'time_zone', 'registered_at'],
  orders: ['total', 'status', 'product_id', 'quantity', 'price'],
};

/** A table of hostile and plausible cells under a header of real and made-up column names. */
function table(kind: 'customers' | 'orders'): fc.Arbitrary<string> {
  return fc
    .record({
      known: fc
        .shuffledSubarray(OTHER_COLUMNS[kind])
        .chain((others) =>
          fc.shuffledSubarray([...REQUIRED_COLUMNS[kind], ...others], { minLength: REQUIRED_COLUMNS[kind].length + others.length }),
        ),
      extra: fc.uniqueArray(fc.oneof(fc.constantFrom(...HEADERS), nastyString(20)), { maxLength: 3 }),
      rows: fc.array(fc.array(fc.tuple(fc.integer({ min: -1, max: 2 }), fc.nat(), nastyString(40)), { maxLength: 12 }), { maxLength: 8 }),
      delimiter: fc.constantFrom(',', ';', '\t'),
      eol: fc.constantFrom('\n', '\r\n', '\r'),
      quote: fc.boolean(),
    })
    .map(({ known, extra, rows, delimiter, eol, quote }) => {
      const header = [...known, ...extra.filter((h) => !known.includes(h))];
      const body = rows.map((cells) =>
        header.map((column, i) => {
          const [plausible, pick, nasty] = cells[i] ?? [1, i, ''];
          const field = column.replace(/^customer_/, '');
          const options = Object.hasOwn(PLAUSIBLE, field) ? PLAUSIBLE[field] : undefined;
          return plausible > 0 && options ? options[pick % options.length] : nasty;
        }),
      );
      const cell = (v: string) => (quote || v.includes(delimiter) || /["\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
      return [header, ...body].map((r) => r.map(cell).join(delimiter)).join(eol);
    });
}

function text(kind: 'customers' | 'orders'): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 2, arbitrary: mutated(kind === 'customers' ? CUSTOMERS : ORDERS) },
    { weight: 3, arbitrary: table(kind) },
    { weight: 1, arbitrary: nastyString(300) },
  );
}

/** Bytes in one of the encodings a file may come in (or raw random bytes). */
function bytes(kind: 'customers' | 'orders'): fc.Arbitrary<Buffer> {
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(text(kind), fc.constantFrom('utf8', 'utf8', 'utf8', 'utf8', 'bom-utf16le', 'latin1', 'bom-utf8', 'cp1251', 'utf16le'))
        .map(([t, enc]) => encode(t, enc)),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)) },
  );
}

function encode(text: string, encoding: string): Buffer {
  if (encoding === 'bom-utf16le') return Buffer.from(`\uFEFF${text}`, 'utf16le');
  if (encoding === 'bom-utf8') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
  if (encoding === 'cp1251') return Buffer.from(text.replace(/[^\u0000-\u00ff]/g, '?'), 'latin1');
  return Buffer.from(text, encoding as BufferEncoding);
}

/** What an upload can say in its query string (checked by the DTO only for shape); each option mostly absent. */
const options: fc.Arbitrary<ImportOptions> = fc
  .record(
    {
      encoding: fc.constantFrom(
        'utf-8',
        'UTF8',
        'windows-1251',
        'utf-16le',
        'utf-16be',
        'utf-16',
        'utf-32',
        'koi8-r',
        'base64',
        'hex',
        'binary',
        'ucs2',
      ),
      delimiter: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(',', ';', '\t', '|', ' ', 'a') },
        {
          weight: 1,
          arbitrary: fc.oneof(
            fc.constantFrom('"', '\n', '\r', '\u0000', '\uD83D'),
            fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
          ),
        },
      ),
      mapping: fc.dictionary(
        fc.oneof(fc.constantFrom(...HEADERS), nastyString(15)),
        fc.constantFrom(...CUSTOMER_FIELDS, ...ORDER_FIELDS, 'attribute', 'ignore'),
        { maxKeys: 3 },
      ),
      batchSize: fc.integer({ min: 1, max: 5 }),
      maxIssueSample: fc.integer({ min: 0, max: 5 }),
      maxRecordChars: fc.oneof(
        { weight: 1, arbitrary: fc.integer({ min: 1, max: 50 }) },
        { weight: 4, arbitrary: fc.integer({ min: 200, max: 100_000 }) },
      ),
    },
    { requiredKeys: [] },
  )
  .chain((all) =>
    fc
      .subarray(Object.keys(all))
      .map((keys) => Object.fromEntries(keys.map((k) => [k, (all as Record<string, unknown>)[k]])) as ImportOptions),
  );

/** The bytes as an upload stream delivers them: pieces of random sizes. */
function* pieces(data: Buffer, sizes: number[]): Generator<Uint8Array> {
  let pos = 0;
  let k = 0;
  while (pos < data.length) {
    const size = Math.max(1, sizes[k++ % sizes.length]);
    yield data.subarray(pos, pos + size);
    pos += size;
  }
}

/** Every issue names its line (from 1) and field and says why; plain checks, as there may be thousands. */
function checkIssues(issues: ImportIssue[]): void {
  const bad = issues.find(
    (i) => !(Number.isInteger(i.line) && i.line >= 1 && typeof i.field === 'string' && i.field.length > 0 && i.reason.trim() !== ''),
  );
  expect(bad).toBeUndefined();
}

function checkStorable(rows: object[]): void {
  for (const row of rows) {
    for (const [field, value] of Object.entries(row)) {
      const texts =
        typeof value === 'string'
          ? [value]
          : Array.isArray(value)
            ? value.flatMap((v) => (typeof v === 'string' ? [v] : Object.values(v as object)))
            : value && typeof value === 'object' && !(value instanceof Date)
              ? [...Object.keys(value), ...Object.values(value)]
              : [];
      for (const t of texts) {
        if (typeof t !== 'string') continue;
        const reason = unstorableReason(t);
        if (reason)
          throw new Error(
            `line ${(row as { line: number }).line}, ${field}: accepted a value that ${reason}: ${JSON.stringify(t.slice(0, 60))}`,
          );
      }
    }
  }
}

async function readAny(kind: 'customers' | 'orders', data: Buffer, sizes: number[], opts: ImportOptions, label = '') {
  const input = pieces(data, sizes);
  const out = await timedAsync(
    `read ${kind} CSV${label}`,
    async (): Promise<{ rows: object[]; errors: ImportIssue[]; warnings: ImportIssue[]; summary: ImportSummary }> =>
      kind === 'customers' ? readCustomerCsv(input, { today, ...opts }).collect() : readOrderCsv(input, { today, ...opts }).collect(),
  );
  if (!out.ok) {
    const error = expectOwnError(out.error, [CsvImportError]) as CsvImportError;
    expect(error.code).toMatch(/^[a-z_]+$/);
    return;
  }
  const { rows, errors, warnings, summary } = out.value;
  checkIssues(errors);
  checkIssues(warnings);
  checkStorable(rows);
  expect(summary.accepted).toBe(rows.length);
}

announceSeed('CSV import');

describe('fuzz: CSV import readers', () => {
  const kind = fc.constantFrom('customers', 'orders') as fc.Arbitrary<'customers' | 'orders'>;
  const file = kind.chain((k) => bytes(k).map((data) => [k, data] as const));
  const sizes = fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 4 });

  it('read any bytes in any chunking with detected settings', async () => {
    await fc.assert(
      fc.asyncProperty(file, sizes, async ([k, data], s) => readAny(k, data, s, {})),
      fuzzParameters(600),
    );
  });

  it('read any bytes with any upload options (encoding, delimiter, mapping, limits)', async () => {
    await fc.assert(
      fc.asyncProperty(file, sizes, options, async ([k, data], s, opts) => readAny(k, data, s, opts)),
      fuzzParameters(600),
    );
  });

  /** Long runs of one unit are what catastrophic regexes and quadratic loops choke on. */
  const RUN_UNITS = [
    'a',
    ',',
    ';',
    '\t',
    '"',
    '""',
    '\n',
    '\r',
    '\r\n',
    ' ',
    '*',
    '* ',
    '@',
    'a@',
    '+7',
    '.',
    '-',
    '=',
    'я',
    '😀',
    '\u0000',
  ];
  const csvWith = (run: string, unit: string, where: string) =>
    where === 'cell'
      ? `email,first_name\nivan@mail.ru,${run}\n`
      : where === 'header'
        ? `email,${run}\nivan@mail.ru,x\n`
        : where === 'quoted'
          ? `email,first_name\nivan@mail.ru,"${run}\n`
          : `email,first_name\n${`ivan@mail.ru,${unit}\n`.repeat(Math.ceil(run.length / 20))}`;

  it('stay within the time bound on 100 KB runs of one character in a cell, a header, a quote, and many rows', async () => {
    for (const unit of RUN_UNITS) {
      const run = unit.repeat(Math.ceil(100_000 / unit.length));
      for (const where of ['cell', 'header', 'quoted', 'rows']) {
        for (const k of ['customers', 'orders'] as const)
          await readAny(k, Buffer.from(csvWith(run, unit, where), 'utf8'), [65536], {}, ` (${JSON.stringify(unit)} in a ${where})`);
      }
    }
  });

  it('stay within the time bound on huge inputs of other sizes and pieces', async () => {
    const unit = fc.constantFrom(...NASTY_STRINGS, ...RUN_UNITS);
    await fc.assert(
      fc.asyncProperty(
        kind,
        unit,
        fc.integer({ min: 20_000, max: 150_000 }),
        fc.constantFrom('cell', 'header', 'rows', 'quoted'),
        async (k, u, n, where) => {
          await readAny(k, Buffer.from(csvWith(u.repeat(Math.ceil(n / Math.max(1, u.length))), u, where), 'utf8'), [65536], {});
        },
      ),
      fuzzParameters(15),
    );
  });
});
