// What POST /events and POST /events/orders answer, for the OpenAPI description only (nothing
// is validated on the way out; test/foundation/openapi.e2e-spec.ts parses real answers with it).
import { z } from 'zod';
import { INT4_MAX } from '../../common/ids';
import { OrderStatus } from '../../generated/prisma/enums';

const id = z.int().min(1).max(INT4_MAX);

/** One automation that reacted (Notification in events.service.ts). */
const notification = z.object({
  triggerId: id,
  fired: z.boolean().describe('false: this (order, status) or event already fired for the automation; nothing new was sent'),
  messageId: z.string().nullable().describe('The message sent (an int8 id, as text)'),
  channel: z.string().nullable(),
  status: z.string().nullable().describe("The message's status"),
  reason: z.string().nullable().describe('Why a firing made no message'),
});

export const orderEventResult = z.object({
  order: z.object({ id, externalId: z.string(), status: z.enum(OrderStatus) }),
  customerId: id,
  customerCreated: z.boolean(),
  stale: z.boolean().describe('true when the order already had a later status: nothing changed, nothing was sent'),
  notifications: z.array(notification),
});

export const customerEventResult = z.object({
  eventId: z.string().describe('An int8 id, as text'),
  customerId: id,
  customerCreated: z.boolean(),
  notifications: z.array(notification),
});
