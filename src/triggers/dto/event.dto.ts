// Shapes of the events business systems send: order status changes and generic named events.
import { z } from 'zod';
import { rowId } from '../../common/ids';
import { createCustomerSchema } from '../../customers/dto/customer.dto';
import { orderItemSchema } from '../../customers/dto/order.dto';
import { ORDER_STATUSES } from './trigger.dto';

const money = z.union([z.number().nonnegative().finite(), z.string().trim().min(1).max(40)]);
const isoTime = z.iso.datetime({ offset: true });

/** Who the event is about: an id, or contacts (matched by externalId, then email, then phone; created when unknown). */
const customerRef = {
  customerId: rowId.optional(),
  customer: createCustomerSchema.optional(),
};

const needsCustomer = (body: { customerId?: number; customer?: unknown }) => body.customerId !== undefined || body.customer !== undefined;

export const orderEventSchema = z
  .object({
    status: z.enum(ORDER_STATUSES),
    order: z
      .object({
        /** The shop's order id: the order is upserted by it. */
        externalId: z.string().trim().min(1).max(255),
        total: money.optional(),
        currency: z.string().trim().min(1).max(10).optional(),
        orderedAt: isoTime.optional(),
        items: z.array(orderItemSchema).max(1000).optional(),
        trackingNumber: z.string().trim().min(1).max(255).optional(),
        carrier: z.string().trim().min(1).max(255).optional(),
        trackingUrl: z.url().max(2000).optional(),
        deliveryFrom: isoTime.optional(),
        deliveryTo: isoTime.optional(),
        attributes: z.record(z.string(), z.unknown()).optional(),
      })
      .strict(),
    ...customerRef,
  })
  .strict()
  .refine(needsCustomer, { message: 'name the customer: customerId or customer {externalId, email, phone…}', path: ['customer'] });

export const customerEventSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    properties: z.record(z.string(), z.unknown()).default({}),
    /** A repeated key never fires the same automation twice. */
    idempotencyKey: z.string().trim().min(1).max(200).optional(),
    ...customerRef,
  })
  .strict()
  .refine(needsCustomer, { message: 'name the customer: customerId or customer {externalId, email, phone…}', path: ['customer'] });

export type OrderEventBody = z.infer<typeof orderEventSchema>;
export type CustomerEventBody = z.infer<typeof customerEventSchema>;
