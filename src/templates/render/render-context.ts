// What a template sees when it is rendered for one recipient, and the catalogue of
// variables that validation accepts.

import type { RenderRun } from './run-values';

/** A date as the database, JSON or a test gives it. */
export type DateInput = Date | string | number;
/** Money as Prisma's Decimal, a string or a number. */
export type MoneyInput = number | string | bigint | { toString(): string };

export interface RenderCustomer {
  id?: number | string;
  kind?: string; // person | company
  firstName?: string | null;
  patronymic?: string | null;
  lastName?: string | null;
  companyName?: string | null;
  position?: string | null;
  email?: string | null;
  phone?: string | null;
  birthday?: DateInput | null;
  /** BCP 47, e.g. "ru", "en", "en-GB"; picks the template variant and formats */
  locale?: string | null;
  /** IANA zone, e.g. "Europe/Moscow"; dates are shown in it */
  timeZone?: string | null;
  orderCount?: number | null;
  orderSum?: MoneyInput | null;
  lastOrderAt?: DateInput | null;
  registeredAt?: DateInput | null;
  rating?: string | null;
  tags?: string[];
  attributes?: Record<string, unknown>;
}

export interface RenderOrderItem {
  productId?: string;
  name?: string | null;
  quantity?: number;
  price?: MoneyInput;
  total?: MoneyInput;
}

export interface RenderOrder {
  id?: number | string;
  /** the number the customer knows (the shop's external id) */
  number?: string | null;
  status?: string;
  total?: MoneyInput;
  currency?: string;
  orderedAt?: DateInput;
  trackingNumber?: string | null;
  trackingUrl?: string | null;
  carrier?: string | null;
  deliveryFrom?: DateInput | null;
  deliveryTo?: DateInput | null;
  items?: RenderOrderItem[];
  attributes?: Record<string, unknown>;
}

/** Per-message links, built by the tracking module and signed for this message. */
export interface RenderMessage {
  id?: string | number;
  unsubscribeUrl?: string;
  preferencesUrl?: string;
  viewInBrowserUrl?: string;
  /** double opt-in confirmation link */
  confirmUrl?: string;
  /** wraps a destination in a signed click-tracking URL; index = the link's place in the template */
  trackLink?: (url: string, index: number) => string;
}

export interface RenderCampaign {
  id?: number | string;
  name?: string;
}

/** The sending company, shown in headers and footers. */
export interface RenderBrand {
  name?: string;
  address?: string;
  website?: string;
  logoUrl?: string;
  supportEmail?: string;
  supportPhone?: string;
}

export interface RenderContext {
  customer: RenderCustomer;
  order?: RenderOrder | null;
  message?: RenderMessage;
  campaign?: RenderCampaign | null;
  brand?: RenderBrand;
  /** free-form extra data of a campaign or a trigger (promo code, price-list name...) */
  data?: Record<string, unknown>;
  /** the campaign run's date in the campaign's zone and the template's locale ({{run.month}}) */
  run?: RenderRun;
  /** "now" for {{year}} and relative wording; defaults to the render time */
  now?: DateInput;
}

// ---- catalogue of known variables, for validation warnings -----------------------------

/** A leaf, an object with known fields, an array of such objects, or an open object. */
export type KnownNode = 'leaf' | 'open' | { fields: Record<string, KnownNode> } | { items: KnownNode };

const leaves = (...names: string[]): Record<string, KnownNode> => Object.fromEntries(names.map((n) => [n, 'leaf' as const]));

export const ORDER_ITEM_FIELDS: Record<string, KnownNode> = leaves('productId', 'name', 'quantity', 'price', 'total');

/** Root of the render context. `data` is open unless the template declares its fields. */
export const KNOWN_ROOT: Record<string, KnownNode> = {
  customer: {
    fields: {
      ...leaves('id', 'kind', 'firstName', 'patronymic', 'lastName', 'companyName', 'position', 'email', 'phone', 'birthday'),
      ...leaves('locale', 'timeZone', 'orderCount', 'orderSum', 'lastOrderAt', 'registeredAt', 'rating'),
      tags: { items: 'leaf' },
      attributes: 'open',
    },
  },
  order: {
    fields: {
      ...leaves('id', 'number', 'status', 'total', 'currency', 'orderedAt', 'trackingNumber', 'trackingUrl', 'carrier'),
      ...leaves('deliveryFrom', 'deliveryTo'),
      items: { items: { fields: ORDER_ITEM_FIELDS } },
      attributes: 'open',
    },
  },
  message: { fields: leaves('id', 'unsubscribeUrl', 'preferencesUrl', 'viewInBrowserUrl', 'confirmUrl') },
  campaign: { fields: leaves('id', 'name') },
  brand: { fields: leaves('name', 'address', 'website', 'logoUrl', 'supportEmail', 'supportPhone') },
  data: 'open',
  run: { fields: leaves('date', 'month', 'monthName', 'year', 'isoDate') },
  now: 'leaf',
};

/** Root catalogue with `data` narrowed to the fields a template declares. */
export function knownRoot(dataFields?: readonly string[]): Record<string, KnownNode> {
  if (!dataFields || dataFields.length === 0) return KNOWN_ROOT;
  return { ...KNOWN_ROOT, data: { fields: Object.fromEntries(dataFields.map((f) => [f, 'open' as const])) } };
}

/** Flat list of known paths, e.g. "customer.firstName", "order.items[].name", "data.*". */
export function listKnownPaths(root: Record<string, KnownNode>, prefix = ''): string[] {
  const out: string[] = [];
  for (const [name, node] of Object.entries(root)) {
    const path = prefix ? `${prefix}.${name}` : name;
    if (node === 'leaf') out.push(path);
    else if (node === 'open') out.push(`${path}.*`);
    else if ('fields' in node) out.push(...listKnownPaths(node.fields, path));
    else if (node.items === 'leaf' || node.items === 'open') out.push(`${path}[]`);
    else out.push(...listKnownPaths('fields' in node.items ? node.items.fields : {}, `${path}[]`));
  }
  return out;
}
