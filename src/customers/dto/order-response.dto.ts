// What the orders routes answer, for the OpenAPI description only (nothing is validated on the
// way out; test/foundation/openapi.e2e-spec.ts parses real answers with these schemas).
import { z } from 'zod';
import { INT4_MAX } from '../../common/ids';
import { dateTimeText } from '../../common/openapi';
import { OrderStatus } from '../../generated/prisma/enums';

const id = z.int().min(1).max(INT4_MAX);
/** A numeric(14,2) column: JSON carries it as text ("1990.5"), so no precision is lost. */
const decimal = z.string().describe('A decimal number as text, e.g. "1990.5"');

export const orderView = z.looseObject({
  id,
  externalId: z.string().nullable(),
  customerId: id,
  status: z.enum(OrderStatus),
  total: decimal,
  currency: z.string(),
  orderedAt: dateTimeText,
  trackingNumber: z.string().nullable(),
  deliveryFrom: dateTimeText.nullable(),
  deliveryTo: dateTimeText.nullable(),
  attributes: z.record(z.string(), z.unknown()),
  createdAt: dateTimeText,
  updatedAt: dateTimeText,
  items: z.array(z.looseObject({ id, orderId: id, productId: z.string(), name: z.string().nullable(), quantity: z.int(), price: decimal })),
});

/** A keyset page: `next` is the cursor for the following page (pass it as `after`), null at the end. */
export const orderPage = z.object({ items: z.array(orderView), next: z.string().nullable() });
