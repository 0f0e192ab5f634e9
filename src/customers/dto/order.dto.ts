// Shapes of order requests. Amounts are numbers or strings ("1 234,50", "990 ₽") read by the
// same money parser as the CSV import; order-input.ts turns them into two-place decimals.
import { z } from 'zod';
import { rowCursorText, rowId, rowIdText } from '../../common/ids';

const money = z.union([z.number().nonnegative().finite(), z.string().trim().min(1).max(40)]);
const isoTime = z.iso.datetime({ offset: true });
const optionalText = (max: number) => z.string().trim().min(1).max(max).nullable().optional();

export const orderStatusSchema = z.enum(['created', 'paid', 'shipped', 'delivered', 'cancelled']);

export const orderItemSchema = z
  .object({
    productId: z.string().trim().min(1).max(255),
    name: z.string().trim().max(500).optional(),
    quantity: z.number().int().min(1).max(1_000_000).default(1),
    /** Unit price. */
    price: money.default(0),
  })
  .strict();

const orderFields = {
  status: orderStatusSchema.optional(),
  /** Defaults to the sum of quantity × price of the items. */
  total: money.optional(),
  currency: z.string().trim().min(1).max(10).optional(),
  orderedAt: isoTime.optional(),
  trackingNumber: optionalText(255),
  deliveryFrom: isoTime.nullable().optional(),
  deliveryTo: isoTime.nullable().optional(),
  items: z.array(orderItemSchema).max(1000).optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
};

export const createOrderSchema = z
  .object({
    externalId: z.string().trim().min(1).max(255).optional(),
    /** The customer: by id, or by external id, email or phone (any one). */
    customerId: rowId.optional(),
    customerExternalId: z.string().trim().min(1).max(255).optional(),
    customerEmail: z.string().trim().min(1).max(1024).optional(),
    customerPhone: z.string().trim().min(1).max(100).optional(),
    ...orderFields,
  })
  .strict()
  .refine((o) => [o.customerId, o.customerExternalId, o.customerEmail, o.customerPhone].some((v) => v !== undefined), {
    message: 'name the customer: customerId, customerExternalId, customerEmail or customerPhone',
    path: ['customerId'],
  });

/** PATCH: fields left out stay; `items`, when given, replace the order's items. */
export const updateOrderSchema = z.object(orderFields).strict();

export const orderListQuery = z.object({
  customerId: rowIdText.optional(),
  status: orderStatusSchema.optional(),
  after: rowCursorText.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
});

export type CreateOrderBody = z.infer<typeof createOrderSchema>;
export type UpdateOrderBody = z.infer<typeof updateOrderSchema>;
export type OrderItemBody = z.infer<typeof orderItemSchema>;
