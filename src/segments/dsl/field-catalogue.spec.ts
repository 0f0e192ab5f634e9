import { fieldCatalogue, valueKind, type ValueKind } from './field-catalogue';
import { ALLOWED_FIELD_NAMES } from './fields';
import { parseSegmentRules } from './segment-rules';

describe('fieldCatalogue', () => {
  const catalogue = fieldCatalogue();
  const entry = (field: string) => catalogue.find((e) => e.field === field);

  it('lists every allowed field once, in the allow-list order', () => {
    expect(catalogue.map((e) => e.field)).toEqual(ALLOWED_FIELD_NAMES);
  });

  it.each([
    ['order_count', { kind: 'column', type: 'int', ops: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between'] }],
    ['abc_class', { kind: 'column', type: 'enum', values: ['A', 'B', 'C'] }],
    [
      'birthday',
      {
        kind: 'column',
        type: 'date',
        ops: ['before', 'after', 'on', 'between', 'in_days', 'in_next_days', 'this_month', 'is_set', 'is_not_set'],
      },
    ],
    ['consent.sms', { kind: 'consent', values: ['opted_in', 'opted_out', 'pending'] }],
    ['reachable.email', { kind: 'reachable', ops: ['is_true', 'is_false'] }],
    ['orders.sum', { kind: 'orders', options: ['days'] }],
    ['orders.product', { kind: 'orders', ops: ['eq', 'in'] }],
    ['engagement.received', { kind: 'engagement', options: ['days', 'campaignId', 'channel'] }],
    ['engagement.clicked', { kind: 'engagement', options: ['days', 'campaignId'] }],
    ['attributes.<key>', { kind: 'attribute' }],
  ])('describes %s', (field, expected) => {
    expect(entry(field)).toMatchObject(expected);
  });
});

describe('valueKind: what an editor asks for, and the rules accept it', () => {
  // Text in the shape the field accepts (rfm_cell is three digits 1–5, rfm_group a name).
  const sample: Record<ValueKind, (values: readonly string[] | undefined, word: string) => unknown> = {
    none: () => undefined,
    number: () => 5,
    days: () => 90,
    date: () => '2024-03-01',
    text: (_v, word) => word,
    enum: (values) => values![0],
    numberRange: () => [1, 10],
    dateRange: () => ['2024-01-01', '2024-12-31'],
    textList: (_v, word) => [word, word],
    enumList: (values) => [...values!],
  };
  const cases = fieldCatalogue().flatMap((e) => e.ops.map((op) => [e.field, op, e.values] as const));

  it.each(cases)('%s %s: a value of its kind validates', (field, op, values) => {
    const kind = valueKind(field, op);
    const value = sample[kind](values, field === 'rfm_cell' ? '155' : 'abc');
    const name = field === 'attributes.<key>' ? 'attributes.level' : field;
    const rule = value === undefined ? { field: name, op } : { field: name, op, value };
    expect(parseSegmentRules(rule)).toMatchObject({ ok: true });
  });

  it.each([
    ['kind', 'eq', 'enum', 'the customer kind is a choice of person or company'],
    ['last_order_at', 'within_last_days', 'days', 'last order in the last N days'],
    ['last_order_at', 'more_than_days_ago', 'days', 'last order more than N days ago'],
    ['birthday', 'this_month', 'none', 'birthday this month takes no value'],
    ['birthday', 'in_next_days', 'days', 'birthday within the next N days'],
    ['order_sum', 'gt', 'number', 'order sum above an amount'],
    ['tags', 'has', 'text', 'one tag'],
    ['tags', 'has_any', 'textList', 'several tags'],
    ['rfm_group', 'in', 'textList', 'an enum without a fixed list is typed'],
    ['consent.email', 'in', 'enumList', 'consent statuses are fixed'],
    ['attributes.<key>', 'eq', 'text', 'an attribute compared as text'],
    ['attributes.<key>', 'gte', 'number', 'an attribute compared as a number'],
    ['registered_at', 'between', 'dateRange', 'two dates'],
  ] as const)('%s %s → %s (%s)', (field, op, kind, _why) => {
    expect(valueKind(field, op)).toBe(kind);
  });
});
