import { fieldCatalogue } from './field-catalogue';
import { ALLOWED_FIELD_NAMES } from './fields';

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
