// Turns database rows (a customer, an order with items) plus what the caller knows (signed
// links, campaign, brand, extra data) into the RenderContext a template sees. Pure: the
// campaign engine and the automations call it per recipient, previews call it once.

import type {
  DateInput,
  MoneyInput,
  RenderBrand,
  RenderCampaign,
  RenderContext,
  RenderCustomer,
  RenderMessage,
  RenderOrder,
  RenderOrderItem,
  RenderRun,
} from './render';
import { DEFAULT_LOCALE, DEFAULT_TIME_ZONE } from './render';

/** The customer columns a render reads (a Prisma `Customer` row fits; a `select` of these does too). */
export interface CustomerRow {
  id: number;
  kind?: string;
  firstName?: string | null;
  patronymic?: string | null;
  lastName?: string | null;
  companyName?: string | null;
  position?: string | null;
  email?: string | null;
  phone?: string | null;
  birthday?: Date | null;
  locale?: string | null;
  timeZone?: string | null;
  orderCount?: number | null;
  orderSum?: MoneyInput | null;
  lastOrderAt?: Date | null;
  registeredAt?: Date | null;
  rating?: string | null;
  tags?: string[] | null;
  attributes?: unknown;
}

export interface OrderItemRow {
  productId: string;
  name?: string | null;
  quantity: number;
  price: MoneyInput;
}

/** The order columns a render reads (a Prisma `Order` row, optionally with its `items`). */
export interface OrderRow {
  id: number;
  externalId?: string | null;
  status?: string;
  total?: MoneyInput;
  currency?: string;
  orderedAt?: Date;
  trackingNumber?: string | null;
  deliveryFrom?: Date | null;
  deliveryTo?: Date | null;
  attributes?: unknown;
  items?: OrderItemRow[];
}

export interface RenderExtras {
  /** the order the message is about (order notifications) */
  order?: OrderRow | null;
  /** order fields known to the caller and not stored on the row (carrier, trackingUrl…); they win over the row */
  orderFields?: RenderOrder;
  /**
   * Per-message links, signed by the caller: `unsubscribeUrl`, `preferencesUrl`,
   * `viewInBrowserUrl`, `confirmUrl` (double opt-in), and `trackLink(url, index)` that wraps
   * each `{{track "…"}}` destination in a click-tracking URL. Missing links render as empty.
   */
  message?: RenderMessage;
  campaign?: RenderCampaign | null;
  /** the sending company, for headers and footers ({{brand.name}}) */
  brand?: RenderBrand;
  /** free-form data of a campaign or trigger (promo code, price-list name…): `{{data.promoCode}}` */
  data?: Record<string, unknown>;
  /** the campaign run's date values ({{run.month}}); campaign messages only */
  run?: RenderRun;
  /** the company of a contact person: its name is used when the contact has none */
  company?: { companyName?: string | null } | null;
  /** "now" for {{year}} and ages; defaults to the render time */
  now?: DateInput;
}

export interface ContextDefaults {
  /** locale of customers whose row has none (DEFAULT_LOCALE) */
  locale?: string;
  /** zone of customers whose row has none or a blank one (DEFAULT_TIME_ZONE) */
  timeZone?: string;
}

const DAY_PREFIX = 10; // "YYYY-MM-DD"

/** A @db.Date column arrives as UTC midnight; as "YYYY-MM-DD" it stays the same day in every zone. */
function calendarDate(value: Date | null | undefined): string | null {
  if (!value || Number.isNaN(value.getTime())) return null;
  return value.toISOString().slice(0, DAY_PREFIX);
}

function plainObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function nonBlank(value: string | null | undefined): string | undefined {
  return value && value.trim() ? value : undefined;
}

export function renderCustomerOf(row: CustomerRow, company?: RenderExtras['company'], defaults: ContextDefaults = {}): RenderCustomer {
  return {
    id: row.id,
    kind: row.kind,
    firstName: row.firstName ?? null,
    patronymic: row.patronymic ?? null,
    lastName: row.lastName ?? null,
    companyName: nonBlank(row.companyName) ?? company?.companyName ?? null,
    position: row.position ?? null,
    email: row.email ?? null,
    phone: row.phone ?? null,
    birthday: calendarDate(row.birthday),
    locale: nonBlank(row.locale) ?? defaults.locale ?? DEFAULT_LOCALE,
    timeZone: nonBlank(row.timeZone) ?? defaults.timeZone ?? DEFAULT_TIME_ZONE,
    orderCount: row.orderCount ?? 0,
    orderSum: row.orderSum ?? 0,
    lastOrderAt: row.lastOrderAt ?? null,
    registeredAt: row.registeredAt ?? null,
    rating: row.rating ?? null,
    tags: row.tags ?? [],
    attributes: plainObject(row.attributes) ?? {},
  };
}

function stringAttribute(attributes: Record<string, unknown> | undefined, name: string): string | null {
  const value = attributes?.[name];
  return typeof value === 'string' && value.trim() ? value : null;
}

/** An order row as templates see it: `number` is the shop's id, carrier and tracking URL come from its attributes. */
export function renderOrderOf(row: OrderRow): RenderOrder {
  const attributes = plainObject(row.attributes);
  const items: RenderOrderItem[] | undefined = row.items?.map((item) => ({
    productId: item.productId,
    name: item.name ?? null,
    quantity: item.quantity,
    price: item.price,
    total: Number(item.price.toString()) * item.quantity,
  }));
  return {
    id: row.id,
    number: row.externalId ?? String(row.id),
    status: row.status,
    total: row.total,
    currency: row.currency?.trim() || undefined,
    orderedAt: row.orderedAt,
    trackingNumber: row.trackingNumber ?? null,
    trackingUrl: stringAttribute(attributes, 'trackingUrl'),
    carrier: stringAttribute(attributes, 'carrier'),
    deliveryFrom: row.deliveryFrom ?? null,
    deliveryTo: row.deliveryTo ?? null,
    items: items ?? [],
    attributes: attributes ?? {},
  };
}

/**
 * The render context of one message to one customer. Fallbacks: a customer without a locale
 * or zone gets the configured defaults; a contact without a company name gets its company's.
 */
export function customerRenderContext(customer: CustomerRow, extras: RenderExtras = {}, defaults: ContextDefaults = {}): RenderContext {
  let order: RenderOrder | null = extras.order ? renderOrderOf(extras.order) : null;
  if (extras.orderFields) order = { ...(order ?? {}), ...extras.orderFields };
  const context: RenderContext = {
    customer: renderCustomerOf(customer, extras.company, defaults),
    order,
    message: extras.message ?? {},
    campaign: extras.campaign ?? null,
    brand: extras.brand ?? {},
    data: extras.data ?? {},
  };
  if (extras.run) context.run = extras.run;
  if (extras.now !== undefined) context.now = extras.now;
  return context;
}
