import { audienceRules, reachabilityConditions } from './audience';
import { compileSegment } from './dsl/compile-segment';
import { parseSegmentRules, type SegmentRule } from './dsl/segment-rules';

describe('reachabilityConditions', () => {
  it.each([
    [
      'email',
      'opted_in',
      [
        { field: 'reachable.email', op: 'is_true' },
        { field: 'consent.email', op: 'eq', value: 'opted_in' },
      ],
    ],
    [
      'sms',
      'opted_in',
      [
        { field: 'reachable.sms', op: 'is_true' },
        { field: 'consent.sms', op: 'eq', value: 'opted_in' },
      ],
    ],
    [
      'sms',
      'not_opted_out',
      [
        { field: 'reachable.sms', op: 'is_true' },
        { field: 'consent.sms', op: 'neq', value: 'opted_out' },
      ],
    ],
  ] as const)('%s with %s consent', (channel, consent, expected) => {
    expect(reachabilityConditions(channel, consent)).toEqual(expected);
  });

  it('requires opted-in consent unless told otherwise (bulk needs it)', () => {
    expect(reachabilityConditions('email')).toEqual(reachabilityConditions('email', 'opted_in'));
  });
});

describe('audienceRules', () => {
  const reach = reachabilityConditions('email');

  it('extends a top-level all group instead of nesting it', () => {
    const rules: SegmentRule = { all: [{ field: 'locale', op: 'eq', value: 'ru' }] };
    expect(audienceRules(rules, 'email')).toEqual({ all: [{ field: 'locale', op: 'eq', value: 'ru' }, ...reach] });
  });

  it.each<[string, SegmentRule]>([
    ['a condition', { field: 'order_count', op: 'gte', value: 1 }],
    [
      'an any group',
      {
        any: [
          { field: 'tags', op: 'has', value: 'vip' },
          { field: 'rating', op: 'eq', value: 'A' },
        ],
      },
    ],
    ['a not group', { not: { field: 'tags', op: 'has', value: 'vip' } }],
  ])('wraps %s', (_name, rules) => {
    expect(audienceRules(rules, 'email')).toEqual({ all: [rules, ...reach] });
  });

  it('everyone (empty all) becomes everyone reachable', () => {
    expect(audienceRules({ all: [] }, 'sms', 'not_opted_out')).toEqual({ all: reachabilityConditions('sms', 'not_opted_out') });
  });

  it('gives rules that validate and compile to one query with the channel checks', () => {
    const rules = audienceRules({ any: [{ field: 'rfm_group', op: 'eq', value: 'champions' }] }, 'sms');
    expect(parseSegmentRules(rules).ok).toBe(true);
    const q = compileSegment(rules, { mode: 'batch', afterId: 0, limit: 10 });
    expect(q.sql).toContain("c.phone IS NOT NULL AND c.phone <> '' AND c.phone_valid");
    expect(q.sql).toContain("FROM suppressions seg_s WHERE seg_s.channel = 'sms'");
    expect(q.sql).toContain("seg_cs.channel = 'sms'");
    expect(q.params).toEqual([0, 'champions', 'opted_in', 10]);
  });
});
