import { BUILTIN_SEGMENTS } from './builtin-segments';
import { ALLOWED_FIELD_NAMES } from './fields';
import { formatPath, toFieldIssues } from './format-issues';
import { assertSegmentRules, MAX_DEPTH, parseSegmentRules, segmentRulesSchema, SegmentRulesError } from './segment-rules';

function errorsOf(input: unknown): string[] {
  const r = parseSegmentRules(input);
  if (r.ok) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
  return r.errors;
}

describe('segment rule validation', () => {
  it.each<[string, unknown]>([
    ['a customer number field', { field: 'order_count', op: 'gte', value: 3 }],
    ['an empty all (everyone)', { all: [] }],
    ['birthday today', { field: 'birthday', op: 'in_days', value: 0 }],
    ['birthday in the next 7 days', { field: 'birthday', op: 'in_next_days', value: 7 }],
    ['birthday this month (no value)', { field: 'birthday', op: 'this_month' }],
    ['last order more than 90 days ago', { field: 'last_order_at', op: 'more_than_days_ago', value: 90 }],
    ['nested groups', { all: [{ any: [{ field: 'tags', op: 'has_any', value: ['vip'] }, { not: { field: 'email', op: 'is_set' } }] }] }],
    ['an attribute with a string value', { field: 'attributes.loyalty_level', op: 'eq', value: 'gold' }],
    ['an attribute with a boolean value', { field: 'attributes.vip', op: 'neq', value: false }],
    ['orders in a window', { field: 'orders.sum', op: 'between', value: [100, 200.5], days: 90 }],
    ['engagement with every option', { field: 'engagement.received', op: 'is_true', days: 7, campaignId: 3, channel: 'sms' }],
    ['a date range', { field: 'registered_at', op: 'between', value: ['2026-01-01', '2026-01-01'] }],
    ['a consent list', { field: 'consent.sms', op: 'in', value: ['opted_in', 'pending'] }],
    ['an rfm cell', { field: 'rfm_cell', op: 'in', value: ['555', '154'] }],
  ])('accepts %s', (_name, input) => {
    const r = parseSegmentRules(input);
    expect(r).toEqual({ ok: true, rules: input });
  });

  it.each<[string, unknown, string[]]>([
    [
      'a string where a number belongs',
      {
        any: [
          { field: 'order_count', op: 'gte', value: 1 },
          { field: 'locale', op: 'eq', value: 'ru' },
          { field: 'order_count', op: 'gte', value: 'x' },
        ],
      },
      ['rules.any[2].value: expected a number'],
    ],
    ['a fraction for an integer column', { field: 'order_count', op: 'eq', value: 2.5 }, ['rules.value: expected an integer']],
    ['a missing value', { all: [{ field: 'email', op: 'eq' }] }, ['rules.all[0].value: required, expected a string']],
    ['a value on an operator that takes none', { field: 'email', op: 'is_set', value: 'x' }, ['rules: unknown key "value"']],
    [
      'an operator the field does not take',
      { field: 'email_valid', op: 'eq', value: true },
      ['rules.op: expected one of "is_true", "is_false"'],
    ],
    ['this_month takes no value', { field: 'birthday', op: 'this_month', value: 3 }, ['rules: unknown key "value"']],
    ['in_next_days past a year', { field: 'birthday', op: 'in_next_days', value: 400 }, ['rules.value: expected a number ≤ 366']],
    [
      'birthday operators are for the birthday (a date) only',
      { field: 'registered_at', op: 'this_month' },
      ['rules.op: expected one of "before", "after", "on", "between", "within_last_days", "more_than_days_ago", "days_ago"'],
    ],
    ['an invalid date', { field: 'registered_at', op: 'before', value: '2026-02-30' }, ['rules.value: expected a date as YYYY-MM-DD']],
    ['a reversed range', { field: 'order_sum', op: 'between', value: [10, 1] }, ['rules.value: expected [from, to] with from ≤ to']],
    ['a one-element range', { field: 'order_sum', op: 'between', value: [10] }, ['rules.value: expected at least 2 items']],
    ['negative days', { field: 'orders.count', op: 'gte', value: 1, days: -1 }, ['rules.days: expected a number ≥ 0']],
    ['days on a customer column', { field: 'order_count', op: 'gte', value: 1, days: 30 }, ['rules: unknown key "days"']],
    ['channel on opens', { field: 'engagement.opened', op: 'is_true', channel: 'email' }, ['rules: unknown key "channel"']],
    ['a value outside an enum', { field: 'abc_class', op: 'eq', value: 'D' }, ['rules.value: expected one of "A", "B", "C"']],
    ['a bad rfm cell', { field: 'rfm_cell', op: 'eq', value: '556' }, ['rules.value: expected a value matching /^[1-5]{3}$/']],
    ['an empty list', { field: 'tags', op: 'has_any', value: [] }, ['rules.value: expected at least 1 item']],
    [
      'a bad list item',
      { field: 'consent.email', op: 'in', value: ['opted_in', 'maybe'] },
      ['rules.value[1]: expected one of "opted_in", "opted_out", "pending"'],
    ],
    [
      'an attribute object value',
      { field: 'attributes.x', op: 'eq', value: { a: 1 } },
      ['rules.value: expected a string, a number or a boolean'],
    ],
    ['an empty any', { not: { any: [] } }, ['rules.not.any: expected at least 1 item']],
    ['a group with an extra key', { all: [], note: 'x' }, ['rules: unknown key "note"']],
    ['two groups in one object', { all: [], any: [] }, ['rules: expected only one of "all", "any"']],
    ['neither group nor condition', { foo: 1 }, ['rules: expected one of "all", "any", "not" or "field"']],
    [
      'a non-object rule',
      { all: [1, null, []] },
      [
        'rules.all[0]: expected an object with one of "all", "any", "not" or "field"',
        'rules.all[1]: expected an object with one of "all", "any", "not" or "field"',
        'rules.all[2]: expected an object with one of "all", "any", "not" or "field"',
      ],
    ],
    ['a non-array all', { all: { field: 'email', op: 'is_set' } }, ['rules.all: expected an array']],
    ['a non-string field', { field: 7, op: 'eq', value: 1 }, ['rules.field: expected a string']],
    [
      'several errors at once',
      { any: [{ field: 'locale', op: 'eq', value: 1 }, { all: [{ field: 'order_count', op: 'gt', value: null }] }] },
      ['rules.any[0].value: expected a string', 'rules.any[1].all[0].value: expected a number'],
    ],
  ])('rejects %s with the failing path', (_name, input, expected) => {
    expect(errorsOf(input)).toEqual(expected);
  });

  it('rejects an unknown field and lists the allowed ones', () => {
    const [message] = errorsOf({ all: [{ field: 'password_hash', op: 'eq', value: 'x' }] });
    expect(message.startsWith('rules.all[0].field: unknown field "password_hash"; allowed: kind, external_id,')).toBe(true);
    for (const name of [
      'order_count',
      'attributes.<key>',
      'tags',
      'consent.email',
      'reachable.sms',
      'orders.product',
      'engagement.replied',
    ]) {
      expect(message).toContain(name);
    }
    expect(ALLOWED_FIELD_NAMES).not.toContain('erased_at');
  });

  it.each([
    'c.id; DROP TABLE customers; --',
    'email) OR (1=1',
    'customers.email',
    'erased_at',
    '__proto__',
    'constructor',
    'attributes',
    'consent.fax',
    'orders.total',
  ])('rejects the field name %p', (field) => {
    const [message] = errorsOf({ field, op: 'eq', value: 'x' });
    expect(message).toMatch(/^rules\.field: unknown field /);
  });

  it.each(["a'; DROP TABLE customers; --", 'a b', 'a-b', 'a.b', 'ключ', '', 'x'.repeat(65)])('rejects the attribute key %p', (key) => {
    expect(errorsOf({ field: `attributes.${key}`, op: 'eq', value: 1 })).toEqual([
      `rules.field: invalid attribute key ${JSON.stringify(key)}: keys match /^[A-Za-z0-9_]{1,64}$/`,
    ]);
  });

  it('accepts attribute keys of the allowed shape', () => {
    expect(parseSegmentRules({ field: `attributes.${'A_9'.repeat(21)}x`, op: 'is_set' }).ok).toBe(true);
  });

  it('limits nesting depth', () => {
    const nest = (levels: number) => {
      let rule: unknown = { field: 'email', op: 'is_set' };
      for (let i = 0; i < levels; i++) rule = { not: rule };
      return rule;
    };
    expect(parseSegmentRules(nest(MAX_DEPTH)).ok).toBe(true);
    expect(errorsOf(nest(MAX_DEPTH + 1))).toEqual([
      `${formatPath('rules', Array(MAX_DEPTH + 1).fill('not'))}: rules nested too deeply (at most ${MAX_DEPTH} levels)`,
    ]);
  });

  it('limits the number of conditions', () => {
    const many = Array.from({ length: 201 }, () => ({ field: 'email', op: 'is_set' }));
    expect(errorsOf({ any: [{ any: many.slice(0, 150) }, { any: many.slice(150) }] })).toEqual([
      'rules: too many conditions (201, at most 200)',
    ]);
  });

  it('uses the root name the caller gives', () => {
    const r = parseSegmentRules({ field: 'order_count', op: 'gt', value: 'x' }, 'body.rules');
    expect(r.ok ? [] : r.errors).toEqual(['body.rules.value: expected a number']);
  });

  it('throws a coded domain error from assertSegmentRules', () => {
    expect(() => assertSegmentRules({ field: 'nope', op: 'eq', value: 1 })).toThrow(SegmentRulesError);
    try {
      assertSegmentRules({ any: [{ field: 'order_count', op: 'gt', value: 'x' }] });
    } catch (e) {
      expect((e as SegmentRulesError).code).toBe('invalid_segment_rules');
      expect((e as SegmentRulesError).errors).toEqual(['rules.any[0].value: expected a number']);
    }
    expect.assertions(3);
  });

  it('exposes the same validation as a zod schema with paths', () => {
    const ok = segmentRulesSchema.safeParse({ field: 'locale', op: 'eq', value: 'ru' });
    expect(ok.success && ok.data).toEqual({ field: 'locale', op: 'eq', value: 'ru' });
    const bad = segmentRulesSchema.safeParse({ any: [{ field: 'order_count', op: 'gt', value: 'x' }] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => [i.path, i.message])).toEqual([[['any', 0, 'value'], 'expected a number']]);
  });

  it.each(BUILTIN_SEGMENTS.map((s) => [s.key, s] as const))('built-in segment %s validates', (_key, segment) => {
    expect(parseSegmentRules(segment.rules)).toEqual({ ok: true, rules: segment.rules });
  });

  it('built-in segment keys are unique', () => {
    expect(new Set(BUILTIN_SEGMENTS.map((s) => s.key)).size).toBe(BUILTIN_SEGMENTS.length);
  });
});

describe('formatPath', () => {
  it.each<[PropertyKey[], string]>([
    [[], 'rules'],
    [['any', 2, 'value'], 'rules.any[2].value'],
    [['value', 0], 'rules.value[0]'],
    [['odd key'], 'rules["odd key"]'],
  ])('%p → %s', (path, expected) => {
    expect(formatPath('rules', path)).toBe(expected);
  });
});

describe('toFieldIssues', () => {
  it('gives the API issue shape with the failing path', () => {
    const r = parseSegmentRules({
      any: [
        { field: 'locale', op: 'eq', value: 'ru' },
        { field: 'tags', op: 'has' },
        { field: 'order_count', op: 'gte', value: 'x' },
      ],
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(toFieldIssues(r.issues, 'body.rules')).toEqual([
        { path: 'body.rules.any[1].value', message: 'required, expected a string' },
        { path: 'body.rules.any[2].value', message: 'expected a number' },
      ]);
    }
  });
});
