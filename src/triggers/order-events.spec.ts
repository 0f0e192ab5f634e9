import { orderStatusOutranks, orderStatusPatch } from './order-events';

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
      { status: 'shipped', order: { externalId: 'A-1', trackingNumber: 'RA123', carrier: 'СДЭК', trackingUrl: 'https://t.example/RA123', deliveryFrom: '2026-11-25T10:00:00+03:00' } },
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
