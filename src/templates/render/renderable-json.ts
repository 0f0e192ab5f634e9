// JSON can carry objects with their own "toString" or "valueOf" keys: `{"toString": null}` in
// campaign data, customer attributes or a preview's sample. Handlebars and the helpers turn
// values into strings, which for such an object throws "Cannot convert object to primitive
// value" and fails the whole render. Renders therefore see copies without those keys. Real
// contexts have none, so nothing is copied for them; objects are cached, so a campaign's
// shared `data` is walked once, not per recipient.
import type { RenderContext } from './render-context';

const CONVERSION_KEYS = ['toString', 'valueOf', 'toJSON'] as const;
/** Deeper than any path a template can name; past it values are passed on as they are. */
const MAX_DEPTH = 64;

const seen = new WeakMap<object, unknown>();

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The value, or a copy of it without own non-function toString/valueOf/toJSON keys at any depth. */
export function renderableJson<T>(value: T, depth = 0): T {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  const cached = seen.get(value);
  if (cached !== undefined) return cached as T;
  let out: unknown = value;
  if (Array.isArray(value)) {
    const items = value as unknown[];
    for (let i = 0; i < items.length; i++) {
      const clean = renderableJson(items[i], depth + 1);
      if (clean === items[i]) continue;
      if (out === value) out = items.slice();
      (out as unknown[])[i] = clean;
    }
  } else if (isPlainObject(value)) {
    let copy: Record<string, unknown> | null = null;
    const keys = Object.keys(value);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const item = value[key];
      const drop = typeof item !== 'function' && (CONVERSION_KEYS as readonly string[]).includes(key);
      const clean = drop ? item : renderableJson(item, depth + 1);
      if (!copy && !drop && clean === item) continue;
      if (!copy) {
        copy = {};
        for (let j = 0; j < i; j++) define(copy, keys[j], value[keys[j]]);
      }
      if (!drop) define(copy, key, clean);
    }
    if (copy) out = copy;
  }
  seen.set(value, out);
  return out as T;
}

/** Defines, never assigns: a "__proto__" key stays a key. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * The context with its JSON parts (campaign or trigger `data`, customer attributes, the order)
 * made renderable; the typed fields around them come from columns. A context built from a
 * request (a preview's sample) goes through renderableJson whole instead.
 */
export function renderableContext(context: RenderContext): RenderContext {
  const data = renderableJson(context.data);
  const order = renderableJson(context.order);
  const attributes = renderableJson(context.customer?.attributes);
  if (data === context.data && order === context.order && attributes === context.customer?.attributes) return context;
  return { ...context, data, order, customer: { ...context.customer, attributes } };
}
