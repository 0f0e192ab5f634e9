// The template editor's copies, against the real database: a new locale from another one, a
// clone with every locale, an older version restored; and their refusals.
import { DomainError } from '../../src/common/domain-error';
import { PrismaService } from '../../src/database/prisma.service';
import { TemplateEditorService } from '../../src/templates/template-editor.service';
import { startTestApp, type TestApp } from '../support/test-app';

const mjml = (text: string) => `<mjml><mj-body><mj-section><mj-column><mj-text>${text}</mj-text></mj-column></mj-section></mj-body></mjml>`;

describe('template copies: add a locale, clone, restore', () => {
  let t: TestApp;
  let editor: TemplateEditorService;
  let prisma: PrismaService;
  beforeAll(async () => {
    t = await startTestApp({ OTKLIK_ROLE: 'api' });
    editor = t.app.get(TemplateEditorService);
    prisma = t.app.get(PrismaService);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function refusal(promise: Promise<unknown>): Promise<DomainError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }

  it('adds a locale as a copy of another, with its declaration, and refuses one that exists', async () => {
    const created = await editor.create(
      {
        key: 'copies-a',
        name: 'A',
        channel: 'email',
        locale: 'ru',
        subject: 'Тема {{data.month}}',
        preheader: 'Прехедер',
        body: mjml('Привет'),
        dataSchema: [{ name: 'month', type: 'text', required: true, label: 'Месяц' }],
      },
      'test',
    );
    const en = await editor.addLocale(created.id, 'ru', 'en', 'tester');
    expect(en).toMatchObject({
      locale: 'en',
      version: 1,
      subject: 'Тема {{data.month}}',
      preheader: 'Прехедер',
      body: mjml('Привет'),
      createdBy: 'tester',
    });
    expect(en.dataSchema).toEqual([{ name: 'month', type: 'text', required: true, label: 'Месяц' }]);
    const again = await refusal(editor.addLocale(created.id, 'ru', 'en', 'tester'));
    expect(again.code).toBe('conflict');
    expect(again.issues).toEqual([{ path: 'locale', message: 'already exists' }]);
    expect((await refusal(editor.addLocale(created.id, 'de', 'fr', 'tester'))).code).toBe('not_found');
  });

  it('clones every locale under a new key and refuses a taken one', async () => {
    const source = await editor.create(
      { key: 'copies-b', name: 'B', channel: 'email', locale: 'ru', subject: 'Р', body: mjml('ру') },
      'test',
    );
    await editor.saveVersion(source.id, { locale: 'en', subject: 'E', body: mjml('en') }, 'test');
    await editor.saveVersion(source.id, { locale: 'ru', subject: 'Р2', body: mjml('ру2') }, 'test');
    const clone = await editor.clone(source.id, { key: 'copies-b-2', name: 'B2' }, 'cloner');
    expect(clone).toMatchObject({ key: 'copies-b-2', name: 'B2', channel: 'email', builtIn: false });
    expect(clone.current.map((v) => [v.locale, v.version, v.subject, v.body, v.createdBy])).toEqual([
      ['en', 1, 'E', mjml('en'), 'cloner'],
      ['ru', 1, 'Р2', mjml('ру2'), 'cloner'],
    ]);
    const taken = await refusal(editor.clone(source.id, { key: 'copies-b', name: 'X' }, 'cloner'));
    expect(taken.issues).toEqual([{ path: 'key', message: 'already taken' }]);
    expect(await prisma.template.count({ where: { key: { startsWith: 'copies-b' } } })).toBe(2);
  });

  it('restores an older version as a new current one, and only a version of the same template', async () => {
    const a = await editor.create({ key: 'copies-c', name: 'C', channel: 'sms', locale: 'ru', body: 'раз' }, 'test');
    const first = a.current[0];
    await editor.saveVersion(a.id, { locale: 'ru', body: 'два', maxSegments: 2 }, 'test');
    const restored = await editor.restore(a.id, first.id, 'restorer');
    expect(restored).toMatchObject({ locale: 'ru', version: 3, body: 'раз', maxSegments: null, createdBy: 'restorer' });
    const other = await editor.create({ key: 'copies-d', name: 'D', channel: 'sms', locale: 'ru', body: 'чужой' }, 'test');
    expect((await refusal(editor.restore(a.id, other.current[0].id, 'restorer'))).code).toBe('not_found');
  });
});
