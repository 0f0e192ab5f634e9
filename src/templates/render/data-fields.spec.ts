import {
  dataValueIssues,
  declarationIssues,
  declarationOf,
  mergeDeclarations,
  missingDataIssues,
  parseDataFieldLine,
  resolveData,
  type DataField,
} from './data-fields';
import { runValues } from './run-values';
import { parseTemplateFile } from './template-file';

const B2B: DataField[] = [
  { name: 'month', label: 'Месяц', type: 'text', required: true, default: '{{run.month}}' },
  { name: 'priceListName', type: 'text', required: true },
  { name: 'catalogUrl', type: 'url', required: true },
  { name: 'highlights', type: 'list' },
  { name: 'discount', type: 'number' },
  { name: 'minOrder', type: 'money' },
  { name: 'validUntil', type: 'date' },
];

describe('data field lines', () => {
  it.each([
    ['text! "Месяц" = {{run.month}}', { name: 'f', type: 'text', required: true, label: 'Месяц', default: '{{run.month}}' }, 'everything'],
    ['url!', { name: 'f', type: 'url', required: true }, 'required url, no label'],
    ['list "Новинки"', { name: 'f', type: 'list', label: 'Новинки' }, 'optional with a label'],
    ['number = 10', { name: 'f', type: 'number', default: 10 }, 'a number default is a number'],
    ['', { name: 'f', type: 'text' }, 'nothing: optional text'],
    ['= Привет, мир', { name: 'f', type: 'text', default: 'Привет, мир' }, 'a default runs to the end of the line'],
  ])('%s — %s', (line, field, _why) => {
    expect(parseDataFieldLine('f', line)).toEqual({ field });
  });

  it.each([
    ['color', /unknown type "color"/, 'unknown type'],
    ['url = not a link', /the default: expected an http\(s\) URL/, 'a default of the wrong type'],
    ['number = {{run.month}}', /only text and date defaults/, 'run values are text'],
    ['list = a', /a list has no default/, 'no list literal in front matter'],
    ['text "unclosed', /expected "type/, 'a broken label'],
  ])('refuses %s (%s)', (line, message, _why) => {
    expect(parseDataFieldLine('f', line).error).toMatch(message);
  });

  it('reads both front-matter forms into one declaration, names kept in dataFields', () => {
    const { file, errors } = parseTemplateFile(
      '---\nsubject: x\ndata: a, b\ndata.month: text! "Месяц" = {{run.month}}\ndata.catalogUrl: url!\n---\n<mjml></mjml>',
      { channel: 'email' },
    );
    expect(errors).toEqual([]);
    expect(file?.dataFields).toEqual(['a', 'b', 'month', 'catalogUrl']);
    expect(file?.dataSchema).toEqual([
      { name: 'a', type: 'text' },
      { name: 'b', type: 'text' },
      { name: 'month', type: 'text', required: true, label: 'Месяц', default: '{{run.month}}' },
      { name: 'catalogUrl', type: 'url', required: true },
    ]);
  });

  it('names the line of a bad field and of a field declared twice', () => {
    const { errors } = parseTemplateFile('---\ndata: a\ndata.a: url\ndata.b: colour\n---\nx', { channel: 'sms' });
    expect(errors.map((e) => [e.line, e.message])).toEqual([
      [3, 'data.a: the field is also listed in "data:"; declare it once'],
      [4, expect.stringMatching(/^data\.b: unknown type "colour"/)],
    ]);
  });
});

describe('data values against a declaration', () => {
  it('accepts good values of every type', () => {
    const data = {
      month: 'декабрь',
      priceListName: 'Опт',
      catalogUrl: 'https://shop.example.com/b2b',
      highlights: [{ title: 'x' }],
      discount: 5,
      minOrder: '1500.50',
      validUntil: '2026-12-31',
    };
    expect(dataValueIssues(B2B, data)).toEqual([]);
    expect(dataValueIssues(B2B, { minOrder: 1500, validUntil: '2026-12-31T10:00:00Z' })).toEqual([]);
  });

  it.each([
    [{ colour: 'red' }, 'data.colour', /declares no field "colour"/, 'unknown field'],
    [{ catalogUrl: 'ftp://shop.example.com' }, 'data.catalogUrl', /http\(s\) URL/, 'not http(s)'],
    [{ catalogUrl: 'shop.example.com' }, 'data.catalogUrl', /http\(s\) URL/, 'no scheme'],
    [{ discount: '5' }, 'data.discount', /expected a number/, 'a number as text'],
    [{ minOrder: '15 рублей' }, 'data.minOrder', /expected an amount/, 'words in money'],
    [{ validUntil: '31.12.2026' }, 'data.validUntil', /ISO date/, 'a Russian-style date'],
    [{ validUntil: '2026-02-30' }, 'data.validUntil', /ISO date/, 'no such day'],
    [{ highlights: 'a, b' }, 'data.highlights', /a list/, 'a list must be an array'],
    [{ month: 12 }, 'data.month', /expected text/, 'text must be a string'],
  ])('%j → %s (%s)', (data: Record<string, unknown>, path, message, _why) => {
    const issues = dataValueIssues(B2B, data);
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe(path);
    expect(issues[0].message).toMatch(message);
  });

  it('accepts anything for a template that declares nothing (saved before declarations)', () => {
    expect(dataValueIssues([], { anything: 1 })).toEqual([]);
  });

  it('lists every required field with neither value nor default; blank counts as missing', () => {
    expect(missingDataIssues(B2B, {}).map((i) => i.path)).toEqual(['data.priceListName', 'data.catalogUrl']);
    expect(missingDataIssues(B2B, { priceListName: '  ', catalogUrl: 'https://x.example' }).map((i) => i.path)).toEqual([
      'data.priceListName',
    ]);
    expect(missingDataIssues(B2B, { priceListName: 'Опт', catalogUrl: 'https://x.example' })).toEqual([]);
  });

  it('fills in defaults per run, values first', () => {
    const december = runValues(new Date('2026-12-07T07:00:00Z'), 'Europe/Moscow', 'ru');
    const january = runValues(new Date('2027-01-04T07:00:00Z'), 'Europe/Moscow', 'ru');
    const data = { priceListName: 'Опт' };
    expect(resolveData(B2B, data, december)).toEqual({ priceListName: 'Опт', month: 'декабрь 2026' });
    expect(resolveData(B2B, data, january).month).toBe('январь 2027');
    expect(resolveData(B2B, { month: 'особый месяц' }, january).month).toBe('особый месяц');
  });

  it('merges locale variants: union, required when any variant requires', () => {
    const ru: DataField[] = [{ name: 'a', type: 'text' }];
    const en: DataField[] = [
      { name: 'a', type: 'text', required: true },
      { name: 'b', type: 'url' },
    ];
    expect(mergeDeclarations([ru, en])).toEqual([
      { name: 'a', type: 'text', required: true },
      { name: 'b', type: 'url' },
    ]);
  });

  it('checks a declaration given through the API and reads old rows as optional text', () => {
    expect(
      declarationIssues([
        { name: 'a', type: 'url', default: 'nope' },
        { name: 'a', type: 'text' },
      ]),
    ).toEqual([
      { path: 'dataSchema[0].default', message: expect.stringMatching(/the default: expected an http/) },
      { path: 'dataSchema[1].name', message: 'field "a" is declared twice' },
    ]);
    expect(declarationOf({ dataSchema: [], dataFields: ['x'] })).toEqual([{ name: 'x', type: 'text' }]);
    expect(declarationOf({ dataSchema: [{ name: 'x', type: 'url' }], dataFields: ['x'] })).toEqual([{ name: 'x', type: 'url' }]);
  });
});
