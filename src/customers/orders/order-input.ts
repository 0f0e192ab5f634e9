// Money, currency and items of an order request in their stored form, with the path and the
// reason of every bad value. Pure: shares the CSV import's parsers.
import type { FieldIssue } from '../../common/domain-error';
import type { OrderItemBody, UpdateOrderBody } from '../dto/order.dto';
import { formatMinor, MAX_MONEY_MINOR, parseCurrency, parseMoneyMinor } from '../csv/field-parsers';
import { MONEY_REASONS } from '../csv/issue-messages';

export interface OrderItemValues {
  productId: string;
  name: string | null;
  quantity: number;
  /** Two-place decimal string. */
  price: string;
}

export interface OrderValues {
  status?: UpdateOrderBody['status'];
  /** Two-place decimal string; on create, the items' sum when no total was given. */
  total?: string;
  currency?: string;
  orderedAt?: Date;
  trackingNumber?: string | null;
  deliveryFrom?: Date | null;
  deliveryTo?: Date | null;
  items?: OrderItemValues[];
  attributes?: Record<string, unknown>;
}

export type OrderValuesResult = { ok: true; value: OrderValues } | { ok: false; issues: FieldIssue[] };

function money(value: number | string, path: string, issues: FieldIssue[]): number | null {
  const r = parseMoneyMinor(typeof value === 'number' ? value.toFixed(2) : value);
  if (r.ok) return r.value;
  issues.push({ path, message: MONEY_REASONS[r.reason] });
  return null;
}

const optionalDate = (value: string | null | undefined) => (value === undefined ? undefined : value === null ? null : new Date(value));

/** `creating`: the total falls back to the items' sum, and one of them is required. */
export function normaliseOrderValues(body: UpdateOrderBody, creating: boolean): OrderValuesResult {
  const issues: FieldIssue[] = [];
  const value: OrderValues = {
    status: body.status,
    trackingNumber: body.trackingNumber,
    orderedAt: body.orderedAt === undefined ? undefined : new Date(body.orderedAt),
    deliveryFrom: optionalDate(body.deliveryFrom),
    deliveryTo: optionalDate(body.deliveryTo),
    attributes: body.attributes,
  };
  if (body.currency !== undefined) {
    const r = parseCurrency(body.currency);
    if (r.ok) value.currency = r.value;
    else issues.push({ path: 'currency', message: 'unknown currency: expected a three-letter code such as RUB' });
  }
  let itemsMinor = 0;
  if (body.items !== undefined) {
    value.items = body.items.map((item: OrderItemBody, i) => {
      const price = money(item.price, `items[${i}].price`, issues) ?? 0;
      itemsMinor += price * item.quantity;
      return { productId: item.productId, name: item.name || null, quantity: item.quantity, price: formatMinor(price) };
    });
  }
  if (body.total !== undefined) {
    const total = money(body.total, 'total', issues);
    if (total !== null) value.total = formatMinor(total);
  } else if (creating) {
    if (!value.items?.length) issues.push({ path: 'total', message: 'give a total or items to sum' });
    else if (itemsMinor > MAX_MONEY_MINOR)
      issues.push({
        path: 'items',
        message: `the items sum to more than ${formatMinor(MAX_MONEY_MINOR)}, the largest total an order holds`,
      });
    else value.total = formatMinor(itemsMinor);
  }
  if (value.deliveryFrom && value.deliveryTo && value.deliveryFrom > value.deliveryTo) {
    issues.push({ path: 'deliveryTo', message: 'before deliveryFrom' });
  }
  return issues.length ? { ok: false, issues } : { ok: true, value };
}
