import { DomainError } from '../common/domain-error';
import { errorNotice, formId, issueText, noticeOf, text, typedValues } from './admin-forms';
import { localPath } from './admin-http';
import { ui } from './views/layout';

const ru = ui(null);
// A session in English: ui() only reads its locale and zone.
const en = ui({ locale: 'en', timeZone: 'Europe/Moscow' } as Parameters<typeof ui>[0]);

describe('admin form helpers', () => {
  it.each([
    ['/admin/campaigns/3', '/admin/campaigns/3'],
    ['/admin', '/admin'],
    ['/admin/customers?q=a', '/admin/customers?q=a'],
    ['https://evil.example/admin', '/fallback'],
    ['//evil.example/admin', '/fallback'],
    ['/admin\\..\\x', '/fallback'],
    ['/administrator', '/fallback'],
    [42, '/fallback'],
  ])('localPath(%p) is %p (never an open redirect)', (value, expected) => {
    expect(localPath(value, '/fallback')).toBe(expected);
  });

  it('text and formId name the field in their errors', () => {
    expect(text({ name: '  Anna ' }, 'name')).toBe('Anna');
    expect(() => text({}, 'name', { required: true })).toThrow(new DomainError('validation_failed', 'name: is required'));
    expect(() => text({ name: 'abc' }, 'name', { max: 2 })).toThrow('name: must be at most 2 characters');
    expect(formId({ id: '12' }, 'id')).toBe(12);
    for (const bad of ['1.5', '-1', '0', '2147483648', '99999999999999999999', 'abc', '1e3']) {
      expect(() => formId({ id: bad }, 'id')).toThrow('id: expected an id: a whole number from 1 to 2147483647');
    }
  });

  it("notices come from a fixed list, never from the query text, in the user's language", () => {
    expect(noticeOf('undone', en)).toEqual({ kind: 'ok', text: 'The cleanup action was undone.' });
    expect(noticeOf('undone', ru)).toEqual({ kind: 'ok', text: 'Действие чистки отменено.' });
    expect(noticeOf('<script>', ru)).toBeNull();
    expect(noticeOf(['saved'], ru)).toBeNull();
  });

  it.each([
    [{ path: 'name', message: 'is required' }, '«Название»: обязательное поле', 'Name: is required', 'own check, known field'],
    [
      { path: 'name', message: 'must be at most 200 characters' },
      '«Название»: не длиннее 200 символов',
      'Name: must be at most 200 characters',
      'the limit kept',
    ],
    [
      { path: 'data.catalogUrl', message: 'expected an http(s) URL' },
      '«Данные шаблона (catalogUrl)»: expected an http(s) URL',
      'Template data (catalogUrl): expected an http(s) URL',
      "a service's message is shown as it came, the field still named",
    ],
    [{ path: 'weird', message: 'is required' }, '«weird»: обязательное поле', 'weird: is required', 'an unknown field keeps its path'],
  ])('issueText(%p) names the field on the form', (issue, inRussian, inEnglish) => {
    expect(issueText(ru, issue)).toBe(inRussian);
    expect(issueText(en, issue)).toBe(inEnglish);
  });

  it('errorNotice joins every issue; other errors than DomainError are not swallowed', () => {
    const error = DomainError.validation([
      { path: 'name', message: 'is required' },
      { path: 'at', message: '"x" is not a date and time' },
    ]);
    expect(errorNotice(error, ru)).toEqual({ kind: 'error', text: '«Название»: обязательное поле; «Дата и время»: не дата и время' });
    expect(() => errorNotice(new Error('boom'), ru)).toThrow('boom');
  });

  it('typedValues keeps the string fields typed, never the CSRF token', () => {
    expect(typedValues({ name: 'Анна', _csrf: 'secret', n: 3, tags: ['a'] })).toEqual({ name: 'Анна' });
  });
});

describe('notices named like what every object inherits', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('noticeOf(%p) is no notice', (done) => {
    expect(noticeOf(done, ru)).toBeNull();
  });
});
