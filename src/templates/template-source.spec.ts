import { sampleContext } from './render';
import { compileVersionSource, contentHashOf, emailOfStored, smsOfStored, type StoredVersion, type VersionSource } from './template-source';

const mjml = (inner: string): string =>
  `<mjml>\n<mj-body>\n<mj-section><mj-column>\n${inner}\n</mj-column></mj-section>\n</mj-body>\n</mjml>`;

const email: VersionSource = {
  channel: 'email',
  locale: 'ru',
  subject: 'Заказ {{order.number}}',
  preheader: 'Для {{firstName}}',
  body: mjml('<mj-button href="{{track order.trackingUrl}}">Отследить</mj-button>\n<mj-text>{{firstName default="коллега"}}</mj-text>'),
  dataFields: [],
};

function stored(
  source: VersionSource,
  compiled: { compiledHtml: string | null; compiledText: string | null; warnings: unknown },
): StoredVersion {
  return {
    channel: source.channel,
    locale: source.locale,
    subject: source.subject ?? null,
    preheader: source.preheader ?? null,
    body: source.body,
    textOverride: source.text ?? null,
    dataFields: source.dataFields ?? [],
    maxSegments: source.maxSegments ?? null,
    ...compiled,
  };
}

describe('contentHashOf', () => {
  it('is equal for equal content, whatever the locale, empty strings or field order', () => {
    const base = contentHashOf(email);
    expect(contentHashOf({ ...email, locale: 'en', text: '', dataFields: [] })).toBe(base);
    expect(contentHashOf({ ...email, dataFields: ['b', 'a'] })).toBe(contentHashOf({ ...email, dataFields: ['a', 'b'] }));
    expect(contentHashOf({ ...email, body: `${email.body} ` })).not.toBe(base);
    expect(contentHashOf({ ...email, text: 'свой текст' })).not.toBe(base);
    expect(contentHashOf({ ...email, channel: 'sms' })).not.toBe(base);
  });
});

describe('compileVersionSource and the stored row', () => {
  it('stores the compiled HTML and text so a worker renders without MJML, identically', async () => {
    const check = await compileVersionSource(email);
    if (!check.ok) throw new Error('expected a valid template');
    expect(check.compiled.compiledHtml).toContain('{{track order.trackingUrl linkIndex=0}}');
    expect(check.compiled.compiledText).toContain('{{firstName default="коллега"}}');
    const fresh = await emailOfStored(stored(email, { compiledHtml: null, compiledText: null, warnings: [] }));
    const fromRow = await emailOfStored(
      stored(email, { ...check.compiled, warnings: JSON.parse(JSON.stringify(check.compiled.warnings)) }),
    );
    expect(fromRow.mjmlCompileMs).toBe(0);
    expect(fresh.mjmlCompileMs).toBeGreaterThan(0);
    const context = sampleContext('ru');
    expect(fromRow.render(context)).toEqual(fresh.render(context));
    expect(fromRow.render(context).html).toContain(
      'href="https://click.example.com/c/m-1001/0?u&#x3D;https%3A%2F%2Ftracking.example.com%2FRA123456789RU"',
    );
  });

  it('keeps a hand-written text part, with its tracked links numbered after the HTML ones', async () => {
    const source = { ...email, text: 'Трек: {{track order.trackingUrl}}' };
    const check = await compileVersionSource(source);
    if (!check.ok) throw new Error('expected a valid template');
    expect(check.compiled.compiledText).toBe('Трек: {{track order.trackingUrl linkIndex=1}}');
    const out = (await emailOfStored(stored(source, check.compiled))).render(sampleContext('ru'));
    expect(out.text).toBe('Трек: https://click.example.com/c/m-1001/1?u=https%3A%2F%2Ftracking.example.com%2FRA123456789RU');
  });

  it('returns errors with lines and warnings with the known variables', async () => {
    const bad = await compileVersionSource({ ...email, body: mjml('<mj-text>{{#if firstName}}Привет</mj-text>') });
    expect(bad).toEqual({
      ok: false,
      errors: [expect.objectContaining({ line: 4, column: 10, part: 'body', message: expect.stringMatching(/never closed/) })],
      warnings: [],
    });
    const noSubject = await compileVersionSource({ ...email, subject: null });
    expect(noSubject.ok).toBe(false);
    const warned = await compileVersionSource({ ...email, subject: '{{order.numbr}}', dataFields: ['promoCode'] });
    if (!warned.ok) throw new Error('warnings are not errors');
    expect(warned.compiled.warnings).toEqual([
      expect.objectContaining({
        part: 'subject',
        variable: 'order.numbr',
        known: expect.arrayContaining(['order.number', 'data.promoCode.*']),
      }),
    ]);
  });

  it('compiles SMS text with its segment limit, and keeps no HTML for it', async () => {
    const sms: VersionSource = { channel: 'sms', locale: 'ru', body: 'Заказ {{order.number}}: {{data.text}}', maxSegments: 1 };
    const check = await compileVersionSource(sms);
    if (!check.ok) throw new Error('expected a valid template');
    expect(check.compiled).toMatchObject({ compiledHtml: null, compiledText: null, warnings: [] });
    const compiled = smsOfStored(stored(sms, check.compiled));
    const long = compiled.render({ customer: {}, order: { number: 'A-1' }, data: { text: 'ж'.repeat(70) } });
    expect(long.length).toMatchObject({ encoding: 'UCS-2', segments: 2 });
    expect(long.warnings).toEqual([expect.stringMatching(/2 segments, limit is 1/)]);
  });
});
