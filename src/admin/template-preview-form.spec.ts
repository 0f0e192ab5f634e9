import { DomainError } from '../common/domain-error';
import { readPreviewForm } from './template-preview-form';

function refusal(form: Record<string, unknown>): string[] {
  try {
    readPreviewForm(form);
  } catch (error) {
    if (error instanceof DomainError) return error.issues.map((i) => i.path);
    throw error;
  }
  throw new Error('the form was accepted');
}

describe('readPreviewForm: what the template preview posts', () => {
  it('a draft with a customer and data values', () => {
    expect(
      readPreviewForm({
        _csrf: 'x',
        locale: 'RU',
        subject: 'Тема',
        preheader: '',
        body: '<mjml></mjml>',
        customerId: '17',
        dataJson: '{"month":"март"}',
      }),
    ).toEqual({
      locale: 'ru',
      draft: { locale: 'ru', body: '<mjml></mjml>', subject: 'Тема', preheader: '' },
      customerId: 17,
      context: { data: { month: 'март' } },
    });
  });

  it('no body: the saved version; an empty customer and data: the sample and no extra values', () => {
    expect(readPreviewForm({ locale: 'en-gb', customerId: '', dataJson: '  ' })).toEqual({ locale: 'en-GB' });
  });

  it.each<[Record<string, string>, string[], string]>([
    [{ body: 'x' }, ['locale'], 'the locale is required'],
    [{ locale: 'русский', body: 'x' }, ['locale'], 'a locale is a language tag'],
    [{ locale: 'ru', body: '' }, ['body'], 'an empty body is refused, not taken for "show the saved one"'],
    [{ locale: 'ru', body: 'x', customerId: '017' }, ['customerId'], 'ids as the API writes them'],
    [{ locale: 'ru', body: 'x', customerId: 'Анна' }, ['customerId'], 'a name is not an id'],
    [{ locale: 'ru', body: 'x', dataJson: '[1]' }, ['dataJson'], 'data is an object'],
    [{ locale: 'ru', body: 'x', dataJson: '{month:' }, ['dataJson'], 'broken JSON'],
    [{ locale: 'ru', body: 'x', subject: 'я'.repeat(2001) }, ['subject'], 'subject as long as a save allows'],
  ])('%j is refused naming %j (%s)', (form, paths, _why) => {
    expect(refusal(form)).toEqual(paths);
  });
});
