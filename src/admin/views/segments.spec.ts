// The segment builder's catalogue (rendered here) and its row model (client/_segment-rows.ts,
// pure, bundled into the browser module): stored rules come back as rows and go out unchanged.
import { fromRules, incomplete, newRow, nodeAt, toRules, topOf, type FieldInfo, type Group } from '../client/_segment-rows';
import { ru } from '../i18n/ru';
import { ui } from './layout';
import { builderFields } from './segments';

// The builder's catalogue as the page renders it (Russian words, value kinds from the DSL).
const fields = builderFields(ui(null)) as unknown as FieldInfo[];

describe('segment rows: rule JSON ↔ rows', () => {
  it.each([
    ['one condition', { field: 'tags', op: 'has', value: 'vip' }],
    [
      'the B2B rules',
      {
        all: [
          { field: 'kind', op: 'eq', value: 'company' },
          { field: 'last_order_at', op: 'within_last_days', value: 90 },
          { field: 'order_sum', op: 'gt', value: 50000 },
        ],
      },
    ],
    ['birthday this month, no value', { all: [{ field: 'birthday', op: 'this_month' }] }],
    [
      'an OR sub-group under AND',
      {
        all: [
          {
            any: [
              { field: 'kind', op: 'eq', value: 'company' },
              { field: 'company_id', op: 'is_set' },
            ],
          },
          { field: 'reachable.email', op: 'is_true' },
        ],
      },
    ],
    [
      'not on a row and on a group',
      { all: [{ not: { field: 'email', op: 'is_set' } }, { not: { any: [{ field: 'rating', op: 'in', value: ['D', 'E'] }] } }] },
    ],
    [
      'options: days, campaign, channel',
      {
        any: [
          { field: 'orders.sum', op: 'gte', value: 1000, days: 30 },
          { field: 'engagement.received', op: 'is_false', days: 7, campaignId: 3, channel: 'sms' },
        ],
      },
    ],
    [
      'an attribute as text, ranges and lists',
      {
        all: [
          { field: 'attributes.loyalty', op: 'eq', value: 'gold' },
          { field: 'order_count', op: 'between', value: [2, 5] },
          { field: 'registered_at', op: 'between', value: ['2024-01-01', '2024-06-30'] },
          { field: 'tags', op: 'has_none', value: ['spam', 'test'] },
        ],
      },
    ],
  ])('%s comes back exactly', (_why, rules) => {
    const node = fromRules(rules, fields);
    expect(node).not.toBeNull();
    expect(toRules(node!)).toEqual(rules);
  });

  it.each([
    ['an attribute compared with a number (the text input would make it "5")', { field: 'attributes.level', op: 'eq', value: 5 }],
    ['an unknown field', { field: 'no_such', op: 'eq', value: 1 }],
    ['an operator the field does not take', { field: 'tags', op: 'gt', value: 1 }],
    ['a key the field does not take', { field: 'kind', op: 'eq', value: 'company', days: 3 }],
    ['not of not', { not: { not: { field: 'email', op: 'is_set' } } }],
    ['a value of the wrong type', { field: 'order_sum', op: 'gt', value: '50000' }],
    ['an enum value not in the list', { field: 'kind', op: 'eq', value: 'robot' }],
    ['a list item with a comma (the list input splits on commas)', { field: 'tags', op: 'has_any', value: ['a,b'] }],
    ['two group keys', { all: [], any: [] }],
  ])('%s: not shown as rows', (_why, rules) => {
    expect(fromRules(rules, fields)).toBeNull();
  });

  it('a single condition is shown in a top group of one', () => {
    expect(topOf({ field: 'tags', op: 'has', value: 'vip' }, fields)).toMatchObject({
      t: 'group',
      match: 'all',
      items: [{ field: 'tags' }],
    });
  });

  it('a new row takes the field’s first operator: timestamps start at "in the last N days", birthdays at "this month"', () => {
    const row = (name: string) => newRow(fields.find((f) => f.field === name)!);
    expect(row('last_order_at')).toMatchObject({ op: 'within_last_days', value: undefined });
    expect(row('birthday')).toMatchObject({ op: 'this_month', value: undefined });
    expect(row('kind')).toMatchObject({ op: 'eq', value: 'person' });
    expect(incomplete(row('last_order_at'), fields)).toBe(true);
    expect(incomplete(row('birthday'), fields)).toBe(false);
  });

  it('an issue path points at its row through groups and `not`', () => {
    const top = topOf(
      { all: [{ field: 'kind', op: 'eq', value: 'company' }, { not: { any: [{ field: 'order_sum', op: 'gt', value: 1 }] } }] },
      fields,
    ) as Group;
    const sub = top.items[1] as Group;
    expect(nodeAt(top, 'rules.all[1].not.any[0].value')).toBe(sub.items[0]);
    expect(nodeAt(top, 'rules.all[1].not.any')).toBe(sub);
    expect(nodeAt(top, 'rules')).toBe(top);
  });

  it('every field and operator has Russian words, not its code', () => {
    for (const f of fields) {
      expect([f.field, Object.hasOwn(ru, `segField.${f.field}`)]).toEqual([f.field, true]);
      for (const o of f.ops) expect([f.field, o.op, o.label === o.op]).toEqual([f.field, o.op, false]);
    }
    const label = (field: string, op: string) => fields.find((f) => f.field === field)!.ops.find((o) => o.op === op)!.label;
    expect([label('birthday', 'this_month'), label('birthday', 'in_next_days')]).toEqual(['в этом месяце', 'в ближайшие N дней']);
    expect([label('last_order_at', 'more_than_days_ago'), label('last_order_at', 'within_last_days')]).toEqual([
      'более N дней назад',
      'за последние N дней',
    ]);
    expect([label('order_sum', 'gt'), label('tags', 'has')]).toEqual(['больше', 'содержит']);
    expect(fields.find((f) => f.field === 'kind')!.values).toEqual([
      { value: 'person', label: 'человек' },
      { value: 'company', label: 'компания' },
    ]);
  });
});
