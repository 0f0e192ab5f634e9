// What bench/campaign.ts and the reliability harness (or a demo) need to send order events during a campaign, in-process:
//   const triggers = app.get(TriggersService); await triggers.create(orderNotificationTrigger('created'));
//   const events = app.get(EventsService);
//   const { notifications } = await events.orderEvent(orderEvent(n, customerId, 'created'));
//   notifications[0].messageId  → the Message row (createdAt, sentAt) of the notification
// Over HTTP it is the same two bodies: POST /triggers, then POST /events/orders.
import { orderEventSchema, type OrderEventBody } from '../src/triggers/dto/event.dto';
import { createTriggerSchema, type CreateTriggerBody } from '../src/triggers/dto/trigger.dto';

type OrderStatus = OrderEventBody['status'];

/** An order_status trigger sending the default `order-<status>` template by email (or SMS, else email). */
export function orderNotificationTrigger(status: OrderStatus, channels: Array<'email' | 'sms'> = ['email']): CreateTriggerBody {
  return createTriggerSchema.parse({
    name: `order ${status}`,
    type: 'order_status',
    channels,
    template: `order-${status}`,
    options: { orderStatus: status },
  });
}

/** The webhook of order `B-<n>` of an existing customer: one notification per (order, status). */
export function orderEvent(n: number, customerId: number, status: OrderStatus = 'created'): OrderEventBody {
  return orderEventSchema.parse({
    status,
    customerId,
    order: { externalId: `B-${n}`, items: [{ productId: 'SKU-1', name: 'Bench item', quantity: 1, price: 990 }] },
  });
}
