import { DomainError } from '../common/domain-error';
import { noticeOf, formId, text } from './admin-forms';
import { localPath } from './admin-http';
import { lastDays } from './views/dashboard';

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

  it('notices come from a fixed list, never from the query text', () => {
    expect(noticeOf('undone')).toEqual({ kind: 'ok', text: 'The cleanup action was undone.' });
    expect(noticeOf('<script>')).toBeNull();
    expect(noticeOf(['saved'])).toBeNull();
  });

  it('lastDays ends today (UTC) and crosses month ends', () => {
    expect(lastDays(new Date('2026-03-02T23:59:00Z'), 3)).toEqual(['2026-02-28', '2026-03-01', '2026-03-02']);
  });
});

describe('notices named like what every object inherits', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('noticeOf(%p) is no notice', (done) => {
    expect(noticeOf(done)).toBeNull();
  });
});
