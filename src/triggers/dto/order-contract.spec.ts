import { orderEvent, orderNotificationTrigger } from '../../../bench/order-contract';

describe('bench contract (bench/order-contract.ts) against the trigger and event schemas', () => {
  it('builds a valid order_status trigger with the default template of the status', () => {
    expect(orderNotificationTrigger('shipped', ['sms', 'email'])).toEqual({
      name: 'order shipped',
      type: 'order_status',
      channels: ['sms', 'email'],
      template: 'order-shipped',
      delayMinutes: 0,
      active: true,
      options: { orderStatus: 'shipped' },
    });
  });

  it('builds one webhook per order number, for an existing customer', () => {
    const event = orderEvent(7, 42);
    expect(event).toMatchObject({
      status: 'created',
      customerId: 42,
      order: { externalId: 'B-7', items: [{ productId: 'SKU-1', quantity: 1, price: 990 }] },
    });
  });
});
