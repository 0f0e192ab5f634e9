// Order events in their stored form. Pure: no Nest, no database.
import { ownValue } from '../common/own-value';
import type { CreateOrderBody, UpdateOrderBody } from '../customers/dto/order.dto';
import type { OrderEventBody } from './dto/event.dto';

/** How far along an order is; a cancellation ends it whatever came before. */
const STATUS_RANK: Record<string, number> = { created: 0, paid: 1, shipped: 2, delivered: 3, cancelled: 4 };

/**
 * True when the stored status is further along than the event's: the event is a late or
 * retried delivery of an older webhook ("shipped" after "delivered") and must change nothing.
 * The same status again is not stale: its fields are written again and the firing, unique
 * per (order, status), keeps the notification from going twice.
 */
export function orderStatusOutranks(stored: string, incoming: string): boolean {
  return (ownValue(STATUS_RANK, stored) ?? 0) > (ownValue(STATUS_RANK, incoming) ?? 0);
}

/** The fields of a new order from its first event: carrier and tracking URL live in attributes. */
export function newOrderFields(event: Pick<OrderEventBody, 'status' | 'order'>): Omit<CreateOrderBody, 'customerId'> {
  const { carrier, trackingUrl, attributes, ...order } = event.order;
  return {
    ...order,
    status: event.status,
    attributes: { ...(attributes ?? {}), ...(carrier ? { carrier } : {}), ...(trackingUrl ? { trackingUrl } : {}) },
  };
}

/** The PATCH for an existing order: the status and whatever the event says; carrier and tracking URL live in attributes. */
export function orderStatusPatch(event: Pick<OrderEventBody, 'status' | 'order'>, storedAttributes: unknown): UpdateOrderBody {
  const { externalId: _externalId, carrier, trackingUrl, attributes, ...fields } = event.order;
  const patch: UpdateOrderBody = { ...fields, status: event.status };
  if (carrier !== undefined || trackingUrl !== undefined || attributes !== undefined) {
    const stored =
      storedAttributes && typeof storedAttributes === 'object' && !Array.isArray(storedAttributes)
        ? (storedAttributes as Record<string, unknown>)
        : {};
    patch.attributes = {
      ...stored,
      ...(attributes ?? {}),
      ...(carrier !== undefined ? { carrier } : {}),
      ...(trackingUrl !== undefined ? { trackingUrl } : {}),
    };
  }
  return patch;
}
