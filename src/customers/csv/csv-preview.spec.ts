import * as iconv from 'iconv-lite';
import { attributeKeysOf, mappingOf, mappingProblems, previewCsv } from './csv-preview';
import { CsvImportError } from './import.types';

describe('previewCsv', () => {
  it('detects Windows-1251 and ";", suggests targets by the Russian headers, and returns the first rows as cells', async () => {
    const text = 'Имя;Фамилия;Email;Город\r\n\r\nАнна;Петрова;anna@mail.ru;Казань\r\nБорис;;boris@mail.ru;\r\nВера;;vera@mail.ru;Омск\r\n';
    const preview = await previewCsv('customers', iconv.encode(text, 'windows-1251'), {}, 2);
    expect(preview).toMatchObject({
      encoding: 'windows-1251',
      encodingBasis: 'cp1251-letters',
      delimiter: ';',
      delimiterBasis: 'header',
      headerLine: 1,
      headers: ['Имя', 'Фамилия', 'Email', 'Город'],
      suggested: ['first_name', 'last_name', 'email', 'attribute'],
      rows: [
        { line: 3, cells: ['Анна', 'Петрова', 'anna@mail.ru', 'Казань'] }, // the blank line 2 is skipped
        { line: 4, cells: ['Борис', '', 'boris@mail.ru', ''] },
      ],
    });
  });

  it('reads with a chosen encoding and delimiter, and leaves a second column of one field to the user', async () => {
    const preview = await previewCsv('customers', Buffer.from('E-mail,Email,Name\na@b.ru,c@d.ru,X\n'), { delimiter: ',' });
    expect(preview.delimiterBasis).toBe('explicit');
    expect(preview.suggested).toEqual(['email', 'attribute', 'full_name']);
  });

  it('refuses a file with no header line', async () => {
    await expect(previewCsv('orders', Buffer.from('\n\n'), {})).rejects.toBeInstanceOf(CsvImportError);
  });
});

describe('mappingProblems', () => {
  const headers = ['Имя', 'Email', 'Почта', 'Город', 'Город'];
  it.each([
    ['a valid mapping (two columns with one header, both left out)', ['first_name', 'email', 'ignore', 'ignore', 'ignore'], []],
    [
      'two columns on one field',
      ['first_name', 'email', 'email', 'ignore', 'ignore'],
      [{ code: 'duplicate_field', field: 'email', columns: [1, 2] }],
    ],
    [
      'two columns with one header, one of them used (a mapping names headers)',
      ['first_name', 'email', 'ignore', 'attribute', 'ignore'],
      [{ code: 'duplicate_header', header: 'Город', columns: [3, 4] }],
    ],
    [
      'no email, phone or external id',
      ['first_name', 'attribute', 'ignore', 'ignore', 'ignore'],
      [{ code: 'missing_column', fields: ['external_id', 'email', 'phone'] }],
    ],
    [
      'a field of another kind',
      ['order_id', 'email', 'ignore', 'ignore', 'ignore'],
      [{ code: 'unknown_target', column: 0, target: 'order_id' }],
    ],
  ])('%s', (_why, targets, expected) => {
    expect(mappingProblems('customers', headers, targets)).toEqual(expected);
  });

  it('orders need an order id, a date and a customer column', () => {
    expect(mappingProblems('orders', ['Номер заказа'], ['order_id']).map((p) => p.code)).toEqual(['missing_column', 'missing_column']);
  });
});

describe('mappingOf and attributeKeysOf', () => {
  it('names every column by its header, and gives attribute columns the keys the import stores them under', () => {
    expect(mappingOf(['Имя', 'Город', '__proto__'], ['first_name', 'attribute', 'ignore'])).toEqual({
      Имя: 'first_name',
      Город: 'attribute',
      ['__proto__']: 'ignore',
    });
    expect(attributeKeysOf(['Имя', 'Город', 'Любимый цвет', 'Город'], ['first_name', 'attribute', 'attribute', 'attribute'])).toEqual([
      null,
      'city',
      'lyubimyy_tsvet',
      'city_2',
    ]);
  });
});
