import { normaliseOrderValues } from './order-input';

describe('normaliseOrderValues', () => {
  it('sums the items when creating an order without a total', () => {
    const result = normaliseOrderValues(
      {
        items: [
          { productId: 'A', quantity: 2, price: '1 200,50' },
          { productId: 'B', quantity: 1, price: 99 },
        ],
        currency: 'руб',
        orderedAt: '2026-03-01T10:00:00+03:00',
      },
      true,
    );
    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({
        total: '2500.00',
        currency: 'RUB',
        orderedAt: new Date('2026-03-01T07:00:00Z'),
        items: [
          { productId: 'A', name: null, quantity: 2, price: '1200.50' },
          { productId: 'B', name: null, quantity: 1, price: '99.00' },
        ],
      }),
    });
  });

  it('keeps a given total over the items, and needs neither on update', () => {
    expect(normaliseOrderValues({ total: '990 ₽', items: [{ productId: 'A', quantity: 1, price: 1 }] }, true)).toMatchObject({
      ok: true,
      value: { total: '990.00' },
    });
    const update = normaliseOrderValues({ status: 'paid' }, false);
    expect(update.ok && update.value.status).toBe('paid');
    expect(update.ok && update.value.total).toBeUndefined();
  });

  it.each([
    [{}, true, [{ path: 'total', message: 'give a total or items to sum' }]],
    [{ total: '1,234' }, false, [{ path: 'total', message: 'more than two decimal places' }]],
    [{ items: [{ productId: 'A', quantity: 1, price: 'abc' }] }, true, [{ path: 'items[0].price', message: 'not an amount' }]],
    [
      { total: 1, currency: 'рубли и копейки' },
      true,
      [{ path: 'currency', message: 'unknown currency: expected a three-letter code such as RUB' }],
    ],
    [
      { total: 1, deliveryFrom: '2026-05-02T00:00:00Z', deliveryTo: '2026-05-01T00:00:00Z' },
      true,
      [{ path: 'deliveryTo', message: 'before deliveryFrom' }],
    ],
  ] as const)('%p (creating: %p) → %p', (body, creating, issues) => {
    expect(normaliseOrderValues(body as never, creating)).toEqual({ ok: false, issues });
  });

  it('refuses items that sum to more than a total column holds (Decimal(14, 2))', () => {
    expect(normaliseOrderValues({ items: [{ productId: 'A', quantity: 1_000_000, price: 999_999_999 }] }, true)).toEqual({
      ok: false,
      issues: [{ path: 'items', message: 'the items sum to more than 999999999999.99, the largest total an order holds' }],
    });
  });
});
