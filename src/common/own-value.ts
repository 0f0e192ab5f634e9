// Lookups in fixed tables keyed by outside text (a query value, a form action, a CSV cell, a
// template argument, a header of an inbound mail): only the table's own entries count, never
// what every object inherits ("constructor", "toString", "__proto__"). Pure.

/** `table[key]` when the table has that key itself, else undefined. */
export function ownValue<V>(table: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
