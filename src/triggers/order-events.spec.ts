import { newOrderFields, orderStatusOutranks, orderStatusPatch } from './order-events';

describe('orderStatusOutranks', () => {
  it.each([
    ['delivered', 'shipped', true],
    ['shipped', 'shipped', false],
    ['paid', 'shipped', false],
    ['cancelled', 'created', true],
    ['delivered', 'cancelled', false],
  ])('stored %s, event %s → stale %s', (stored, incoming, stale) => {
    expect(orderStatusOutranks(stored, incoming)).toBe(stale);
  });
});

describe('orderStatusPatch', () => {
  it('keeps stored attributes and adds carrier and tracking URL to them', () => {
    const patch = orderStatusPatch(
      {
        status: 'shipped',
        order: {
          externalId: 'A-1',
          trackingNumber: 'RA123',
          carrier: 'СДЭК',
          trackingUrl: 'https://t.example/RA123',
          deliveryFrom: '2026-11-25T10:00:00+03:00',
        },
      },
      { channel: 'web' },
    );
    expect(patch).toEqual({
      status: 'shipped',
      trackingNumber: 'RA123',
      deliveryFrom: '2026-11-25T10:00:00+03:00',
      attributes: { channel: 'web', carrier: 'СДЭК', trackingUrl: 'https://t.example/RA123' },
    });
  });

  it('leaves attributes alone when the event brings none', () => {
    expect(orderStatusPatch({ status: 'delivered', order: { externalId: 'A-1' } }, { channel: 'web' })).toEqual({ status: 'delivered' });
  });
});

describe('newOrderFields', () => {
  it('takes the status and keeps carrier and tracking URL in the attributes', () => {
    expect(
      newOrderFields({
        status: 'created',
        order: { externalId: 'A-1', total: 100, carrier: 'СДЭК', trackingUrl: 'https://t.example/1', attributes: { channel: 'web' } },
      }),
    ).toEqual({
      externalId: 'A-1',
      total: 100,
      status: 'created',
      attributes: { channel: 'web', carrier: 'СДЭК', trackingUrl: 'https://t.example/1' },
    });
    expect(newOrderFields({ status: 'paid', order: { externalId: 'A-2', total: 5 } })).toEqual({
      externalId: 'A-2',
      total: 5,
      status: 'paid',
      attributes: {},
    });
  });
});
