// Handlebars helpers. Every helper reads the recipient from the render state that
// `withRenderState` sets around one (synchronous) template call: `root` is the
// RenderContext, `locale`/`timeZone`/`now` are resolved once per render. Reading it from
// module state rather than Handlebars' `options.data` lets templates compile without data
// frames, which are a good part of Handlebars' per-block cost.
// Helpers return plain strings; `{{ }}` HTML-escapes them in the HTML part.

import { ownValue } from '../../common/own-value';
import { storableText } from '../../common/storable-text';
import type { DateInput, MoneyInput, RenderContext, RenderCustomer, RenderMessage } from './render-context';
import {
  DEFAULT_LOCALE,
  DEFAULT_TIME_ZONE,
  formatsFor,
  isDateStyle,
  pluralForm,
  toDate,
  toNumber,
  type DateStyle,
  type Formats,
} from './format';

export interface RenderData {
  root: RenderContext;
  locale: string;
  timeZone: string;
  now: Date;
  /** cached formatting for this locale and zone */
  formats: Formats;
  /** outputs of a combined template's parts */
  parts?: string[];
}

const NO_RENDER: RenderData = {
  root: { customer: {} },
  locale: DEFAULT_LOCALE,
  timeZone: DEFAULT_TIME_ZONE,
  now: new Date(0),
  formats: formatsFor(DEFAULT_LOCALE, DEFAULT_TIME_ZONE),
};
let current: RenderData = NO_RENDER;

/** Runs one template call with `state` visible to the helpers; re-entrant. */
export function withRenderState<T>(state: RenderData, run: () => T): T {
  const previous = current;
  current = state;
  try {
    return run();
  } finally {
    current = previous;
  }
}

/** Makes `state` the render state and returns the one it replaces (for try/finally). */
export function swapRenderState(state: RenderData): RenderData {
  const previous = current;
  current = state;
  return previous;
}

/** The state of the render in progress. */
export function renderState(): RenderData {
  return current;
}

export interface HelperOptions {
  hash: Record<string, unknown>;
  name?: string;
  loc?: unknown;
  fn?: (context: unknown, options?: unknown) => string;
  inverse?: (context: unknown, options?: unknown) => string;
}

type Helper = (...args: any[]) => unknown;

/** Helpers are called as (...params, options): split them. */
function split(args: unknown[]): { params: unknown[]; options: HelperOptions } {
  return { params: args.slice(0, -1), options: args[args.length - 1] as HelperOptions };
}

function present(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

function text(value: unknown): string {
  if (!present(value)) return '';
  return typeof value === 'string' ? value.trim() : String(value);
}

function withDefault(value: unknown, options: HelperOptions): string {
  return present(value) ? text(value) : text(options.hash.default);
}

// ---- customer shortcuts: {{firstName}}, {{firstName default="коллега"}} ---------------

/** Customer fields that are also top-level helpers. */
export const CUSTOMER_SHORTCUTS = ['firstName', 'lastName', 'patronymic', 'companyName', 'position', 'email', 'phone'] as const;
/** Message links that are also top-level helpers. */
export const LINK_SHORTCUTS = ['unsubscribeUrl', 'preferencesUrl', 'viewInBrowserUrl', 'confirmUrl'] as const;

function customerOf(): RenderCustomer {
  return current.root.customer ?? {};
}

function customerField(field: (typeof CUSTOMER_SHORTCUTS)[number]): Helper {
  return (options: HelperOptions) => withDefault(customerOf()[field], options);
}

function messageLink(field: (typeof LINK_SHORTCUTS)[number]): Helper {
  return (options: HelperOptions) => withDefault(current.root.message?.[field], options);
}

/** "Иван Петрович Смирнов" — first name, patronymic, last name, whichever are known. */
export function fullNameOf(customer: RenderCustomer): string {
  return [customer.firstName, customer.patronymic, customer.lastName].map(text).filter(Boolean).join(' ');
}

/** "Иван Петрович" — the polite Russian form of address; the first name alone without a patronymic. */
export function politeNameOf(customer: RenderCustomer): string {
  const first = text(customer.firstName);
  if (!first) return '';
  const patronymic = text(customer.patronymic);
  return patronymic ? `${first} ${patronymic}` : first;
}

// ---- order status labels ---------------------------------------------------------------

const ORDER_STATUS_LABELS: Record<string, Record<string, string>> = {
  ru: { created: 'оформлен', paid: 'оплачен', shipped: 'отправлен', delivered: 'доставлен', cancelled: 'отменён' },
  en: { created: 'placed', paid: 'paid', shipped: 'shipped', delivered: 'delivered', cancelled: 'cancelled' },
};

function orderStatusLabel(status: unknown, locale: string): string {
  const key = text(status);
  const lang = locale.slice(0, 2).toLowerCase();
  return ownValue(ownValue(ORDER_STATUS_LABELS, lang) ?? ORDER_STATUS_LABELS.en, key) ?? key;
}

// ---- the helper table --------------------------------------------------------------------

function trackLink(message: RenderMessage | undefined, url: string, index: number): string {
  if (!url || !message?.trackLink) return url;
  return message.trackLink(url, index);
}

function styleParam(value: unknown, fallback: DateStyle): DateStyle {
  return isDateStyle(value) ? value : fallback;
}

function decimalsOf(options: HelperOptions): number | undefined {
  if (options.hash.decimals === undefined) return undefined;
  const d = toNumber(options.hash.decimals);
  return d === undefined ? undefined : Math.max(0, Math.min(6, Math.trunc(d)));
}

function compare(op: (a: number | string, b: number | string) => boolean): Helper {
  return (a: unknown, b: unknown) => {
    const na = toNumber(a as MoneyInput);
    const nb = toNumber(b as MoneyInput);
    if (na !== undefined && nb !== undefined) return op(na, nb);
    return op(String(a ?? ''), String(b ?? ''));
  };
}

export const HELPERS: Record<string, Helper> = {
  ...Object.fromEntries(CUSTOMER_SHORTCUTS.map((f) => [f, customerField(f)])),
  ...Object.fromEntries(LINK_SHORTCUTS.map((f) => [f, messageLink(f)])),

  fullName: (options: HelperOptions) => withDefault(fullNameOf(customerOf()), options),
  politeName: (options: HelperOptions) => withDefault(politeNameOf(customerOf()), options),

  /** {{field customer.position default="…"}}: a value with a fallback (also the target of {{a.b default=…}}). */
  field: (value: unknown, options: HelperOptions) => withDefault(value, options),
  /** {{or customer.companyName fullName "клиент"}}: the first present value. */
  or: (...args: unknown[]) => {
    const { params } = split(args);
    return params.find(present) ?? params[params.length - 1] ?? '';
  },
  and: (...args: unknown[]) => split(args).params.every(present),
  not: (value: unknown) => !present(value) || value === false,
  eq: (a: unknown, b: unknown) => String(a ?? '') === String(b ?? ''),
  ne: (a: unknown, b: unknown) => String(a ?? '') !== String(b ?? ''),
  gt: compare((a, b) => a > b),
  gte: compare((a, b) => a >= b),
  lt: compare((a, b) => a < b),
  lte: compare((a, b) => a <= b),
  upper: (value: unknown) => text(value).toLocaleUpperCase(current.locale),
  lower: (value: unknown) => text(value).toLocaleLowerCase(current.locale),

  /** {{plural count "товар" "товара" "товаров"}} / {{plural count "item" "items"}} */
  plural: (...args: unknown[]) => {
    const { params } = split(args);
    const [count, ...forms] = params;
    return pluralForm(
      count as MoneyInput,
      forms.map((f) => String(f ?? '')),
    );
  },
  /** {{formatNumber value decimals=0}} → "1 234,5" */
  formatNumber: (value: unknown, options?: HelperOptions) =>
    options ? current.formats.amount(value as MoneyInput, undefined, decimalsOf(options)) : '',
  /** {{money order.total order.currency}}, {{money data.price currency="EUR" decimals=0}} */
  money: (value: unknown, currencyOrOptions: unknown, maybeOptions?: HelperOptions) => {
    const options = (maybeOptions ?? currencyOrOptions) as HelperOptions | undefined;
    if (!options) return ''; // {{money}} with no amount
    const given = maybeOptions ? currencyOrOptions : undefined;
    const currency = text(given) || text(options.hash.currency) || text(current.root.order?.currency) || 'RUB';
    return current.formats.amount(value as MoneyInput, currency.toUpperCase(), decimalsOf(options));
  },
  /** {{date order.orderedAt "long"}}; styles: short medium long dayMonth weekday datetime time monthYear year */
  date: (value: unknown, styleOrOptions: unknown, maybeOptions?: HelperOptions) => {
    const options = (maybeOptions ?? styleOrOptions) as HelperOptions | undefined;
    if (!options) return ''; // {{date}} with no value
    const style = styleParam(maybeOptions ? styleOrOptions : options.hash.style, 'long');
    return current.formats.date(value as DateInput, style);
  },
  /** {{dateRange order.deliveryFrom order.deliveryTo}} → "12–14 марта" */
  dateRange: (...args: unknown[]) => {
    const { params, options } = split(args);
    const style = styleParam(params[2] ?? options.hash.style, 'dayMonth');
    return current.formats.dateRange(params[0] as DateInput, params[1] as DateInput, style);
  },
  /** {{year}}: the current year in the customer's zone, for footers */
  year: () => current.formats.date(current.now, 'year'),
  /** {{age customer.birthday}}: full years at "now" */
  age: (value: unknown) => {
    const born = toDate(value as DateInput);
    if (!born) return '';
    const now = current.now;
    let years = now.getUTCFullYear() - born.date.getUTCFullYear();
    const beforeBirthday =
      now.getUTCMonth() < born.date.getUTCMonth() ||
      (now.getUTCMonth() === born.date.getUTCMonth() && now.getUTCDate() < born.date.getUTCDate());
    if (beforeBirthday) years -= 1;
    return String(years);
  },
  /** {{orderStatus order.status}} → "отправлен" / "shipped" */
  orderStatus: (status: unknown) => orderStatusLabel(status, current.locale),
  /** {{track "https://shop.example/x"}}: a click-tracked link signed for this message */
  track: (url: unknown, options: HelperOptions) => {
    const index = toNumber(options.hash.linkIndex as MoneyInput) ?? -1;
    // A lone surrogate in the address would make the signer's encodeURIComponent throw.
    return trackLink(current.root.message, storableText(text(url)), index);
  },
};

/** Helpers that take no parameters and stand for a value, usable as `{{#if firstName}}`. */
export const VALUE_HELPERS: ReadonlySet<string> = new Set<string>([
  ...CUSTOMER_SHORTCUTS,
  ...LINK_SHORTCUTS,
  'fullName',
  'politeName',
  'year',
]);

/** Parameters each helper needs at least; validation reports calls with fewer. */
export const HELPER_MIN_PARAMS: Readonly<Record<string, number>> = {
  field: 1,
  or: 1,
  and: 1,
  not: 1,
  eq: 2,
  ne: 2,
  gt: 2,
  gte: 2,
  lt: 2,
  lte: 2,
  upper: 1,
  lower: 1,
  plural: 2,
  formatNumber: 1,
  money: 1,
  date: 1,
  dateRange: 1,
  age: 1,
  orderStatus: 1,
  track: 1,
  if: 1,
  unless: 1,
  each: 1,
  with: 1,
  lookup: 2,
};
