import { compileVersionSource } from '../templates/template-source';
import { compileEmail, sampleContext } from '../templates/render';
import { fieldIssueOf } from '../templates/template-issues';
import {
  dataFieldsText,
  diffRows,
  emailSkeleton,
  errorMarks,
  knownNames,
  literalText,
  parseDataFieldsText,
  suggestName,
  templateVariables,
  warningNotes,
  type VariableWords,
} from './template-form';

const WORDS: VariableWords = {
  groups: { customer: 'Клиент', brand: 'Бренд', links: 'Ссылки', run: 'Выпуск', data: 'Данные' },
  labels: { firstName: 'Имя', 'brand.name': 'Название компании' },
  defaultName: 'клиент',
};

describe('data fields as text', () => {
  it.each([
    ['month: text! "Месяц" = {{run.month}}', [{ name: 'month', type: 'text', required: true, label: 'Месяц', default: '{{run.month}}' }]],
    ['promoCode', [{ name: 'promoCode', type: 'text' }]],
    ['data.discount: number = 10', [{ name: 'discount', type: 'number', default: 10 }]],
    ['\n  catalogUrl: url!  \n\n', [{ name: 'catalogUrl', type: 'url', required: true }]],
  ])('reads %j', (text, fields) => {
    expect(parseDataFieldsText(text)).toEqual({ fields, issues: [] });
  });

  it('names the line of each problem', () => {
    const { fields, issues } = parseDataFieldsText('month: text\n\nprice: colour\nmonth: text\n1bad');
    expect(fields).toEqual([{ name: 'month', type: 'text' }]);
    expect(issues.map((i) => [i.line, i.message])).toEqual([
      [3, expect.stringContaining('unknown type "colour"')],
      [4, 'field "month" is declared twice'],
      [5, expect.stringContaining('is not a field name')],
    ]);
    expect(issues.every((i) => i.path === 'dataSchema')).toBe(true);
  });

  it('writes a declaration back as the text it reads', () => {
    const fields = parseDataFieldsText('month: text! "Месяц" = {{run.month}}\nurl: url\nitems: list "Новинки"\nn: number = 5').fields;
    expect(dataFieldsText(fields)).toBe('month: text! "Месяц" = {{run.month}}\nurl: url\nitems: list "Новинки"\nn: number = 5');
    expect(parseDataFieldsText(dataFieldsText(fields)).fields).toEqual(fields);
  });
});

describe('the variable menu', () => {
  it('offers customer fields with a default, brand, links, run values and the declared data fields', () => {
    const vars = templateVariables(
      [
        { name: 'month', type: 'text', label: 'Месяц' },
        { name: 'promo', type: 'text' },
      ],
      WORDS,
    );
    expect(vars).toContainEqual({ group: 'Клиент', label: 'Имя', insert: '{{firstName default="клиент"}}' });
    expect(vars).toContainEqual({ group: 'Бренд', label: 'Название компании', insert: '{{brand.name}}' });
    expect(vars).toContainEqual(expect.objectContaining({ group: 'Ссылки', insert: '{{unsubscribeUrl}}' }));
    expect(vars).toContainEqual(expect.objectContaining({ group: 'Ссылки', insert: '{{track "https://"}}' }));
    expect(vars).toContainEqual(expect.objectContaining({ group: 'Выпуск', insert: '{{run.month}}' }));
    expect(vars).toContainEqual({ group: 'Данные', label: 'Месяц (data.month)', insert: '{{data.month}}' });
    expect(vars).toContainEqual({ group: 'Данные', label: 'data.promo', insert: '{{data.promo}}' });
  });

  it('offers only what a template compiles without a warning', async () => {
    const vars = templateVariables([{ name: 'month', type: 'text' }], WORDS);
    const body = emailSkeleton(vars.map((v) => v.insert).join(' '));
    const check = await compileVersionSource({
      channel: 'email',
      locale: 'ru',
      subject: 'Тема',
      body,
      dataSchema: [{ name: 'month', type: 'text' }],
      dataFields: ['month'],
    });
    expect(check.ok).toBe(true);
    if (check.ok) expect(check.compiled.warnings).toEqual([]);
  });
});

describe('refused saves', () => {
  it('the skeleton compiles', async () => {
    expect((await compileVersionSource({ channel: 'email', locale: 'ru', subject: 'Тема', body: emailSkeleton('Здравствуйте') })).ok).toBe(
      true,
    );
  });

  it('takes a name with braces literally as the first subject', async () => {
    const subject = literalText('Акция {{#if}} и {{x}}');
    const check = await compileVersionSource({ channel: 'email', locale: 'ru', subject, body: emailSkeleton('a') });
    expect(check.ok).toBe(true);
    const email = await compileEmail({ mjml: emailSkeleton('a'), subject, locale: 'ru' });
    expect(email.render(sampleContext('ru')).subject).toBe('Акция {{#if}} и {{x}}');
  });

  it.each([
    ['an unclosed block', emailSkeleton('a').replace('<mj-text>a', '<mj-text>\n{{#if firstName}}привет'), 6],
    ['an expression MJML would drop', emailSkeleton('a').replace('<mj-column>', '<mj-column>\n{{firstName}}'), 5],
  ])('%s is an error at its line, not a warning', async (_what, body, line) => {
    const check = await compileVersionSource({ channel: 'email', locale: 'ru', subject: 'Тема', body });
    expect(check.ok).toBe(false);
    if (check.ok) return;
    const marks = errorMarks(check.errors.map(fieldIssueOf));
    expect(marks.byField.body?.[0]).toEqual(expect.objectContaining({ line }));
    expect(marks.byField.body?.[0].message).not.toMatch(/^line /);
  });

  it('groups issues by form field, in line order, and keeps the rest apart', () => {
    const marks = errorMarks([
      { path: 'body', message: 'line 9, column 2: b', line: 9, column: 2 } as never,
      { path: 'body', message: 'line 2, column 1: a', line: 2, column: 1 } as never,
      { path: 'subject', message: 'needs a subject' },
      { path: 'dataSchema.0.name', message: 'bad' },
      { path: 'key', message: 'already taken' },
    ]);
    expect(marks.byField.body).toEqual([
      { line: 2, column: 1, message: 'a' },
      { line: 9, column: 2, message: 'b' },
    ]);
    expect(marks.byField.subject).toEqual([{ line: undefined, column: undefined, message: 'needs a subject' }]);
    expect(marks.byField.dataSchema).toHaveLength(1);
    expect(marks.other).toEqual([{ path: 'key', message: 'already taken' }]);
  });
});

describe('warnings, grouped and short', () => {
  it('lists an unknown variable once with every place and the closest declared name', () => {
    const notes = warningNotes(
      [
        { path: 'body', line: 3, column: 1, message: 'Unknown variable "data.mnth"; known: …', variable: 'data.mnth' },
        { path: 'subject', line: 1, column: 5, message: 'Unknown variable "data.mnth"; known: …', variable: 'data.mnth' },
        { path: 'body', line: 7, column: 1, message: 'Unknown variable "customer.frstName"', variable: 'customer.frstName' },
        { path: 'body', line: 8, column: 1, message: 'Unknown variable "zzz"', variable: 'zzz' },
        { path: 'body', line: 4, column: 1, message: 'Unescaped output' },
        { path: 'body', line: 6, column: 1, message: 'Unescaped output' },
      ],
      ['month'],
    );
    expect(notes.unknown).toEqual([
      {
        variable: 'data.mnth',
        suggestion: 'data.month',
        places: [
          { path: 'body', line: 3 },
          { path: 'subject', line: 1 },
        ],
      },
      { variable: 'customer.frstName', suggestion: 'customer.firstName', places: [{ path: 'body', line: 7 }] },
      { variable: 'zzz', suggestion: undefined, places: [{ path: 'body', line: 8 }] },
    ]);
    expect(notes.other).toEqual([
      {
        message: 'Unescaped output',
        places: [
          { path: 'body', line: 4 },
          { path: 'body', line: 6 },
        ],
      },
    ]);
  });

  it.each([
    ['data.mnth', 'data.month'],
    ['frstName', 'firstName'],
    ['brand.nme', 'brand.name'],
    ['data.x', undefined],
    ['completelyDifferent', undefined],
  ])('suggests for %s: %s', (variable, expected) => {
    expect(suggestName(variable, knownNames(['month', 'catalogUrl']))).toBe(expected);
  });

  it('knows declared data fields and helpers, not open objects', () => {
    const names = knownNames(['month']);
    expect(names).toEqual(expect.arrayContaining(['data.month', 'customer.firstName', 'firstName', 'unsubscribeUrl', 'run.month']));
    expect(names.some((n) => n.includes('*'))).toBe(false);
  });
});

describe('version diff', () => {
  it('marks removed and added lines around unchanged ones', () => {
    expect(diffRows('a\nb\nc\n', 'a\nB\nc\nd\n')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'B' },
      { kind: 'same', text: 'c' },
      { kind: 'added', text: 'd' },
    ]);
  });

  it('has only unchanged rows for equal texts, whatever their line ends', () => {
    expect(diffRows('x\ny', 'x\ny').every((r) => r.kind === 'same')).toBe(true);
    expect(diffRows('x\r\ny\r\nz\n', 'x\ny\nZ\n')).toEqual([
      { kind: 'same', text: 'x' },
      { kind: 'same', text: 'y' },
      { kind: 'removed', text: 'z' },
      { kind: 'added', text: 'Z' },
    ]);
  });
});
