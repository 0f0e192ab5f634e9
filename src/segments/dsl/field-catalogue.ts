// What a rule editor needs to offer: every field a rule may use, its operators, and the
// values or extra keys it takes. Derived from the allow-list in fields.ts, never listed twice.
import { ALLOWED_FIELD_NAMES, ATTRIBUTE_PREFIX, CONSENT_STATUSES, opsFor, resolveField, type ConditionOp } from './fields';

export interface CatalogueEntry {
  field: string;
  kind: string;
  /** Column type for customer fields (text, int, numeric, timestamp, date, bool, enum). */
  type?: string;
  ops: readonly ConditionOp[];
  /** Fixed values the field takes, where there is a fixed list. */
  values?: readonly string[];
  /** Keys besides field/op/value the condition accepts (days, campaignId, channel). */
  options?: readonly string[];
}

export function fieldCatalogue(): CatalogueEntry[] {
  return ALLOWED_FIELD_NAMES.map((name) => {
    const lookup = resolveField(name === `${ATTRIBUTE_PREFIX}<key>` ? `${ATTRIBUTE_PREFIX}key` : name);
    if (!lookup.ok) throw new Error(`allow-listed field ${name} does not resolve`);
    const def = lookup.def;
    const entry: CatalogueEntry = { field: name, kind: def.kind, ops: opsFor(def) };
    if (def.kind === 'column') {
      entry.type = def.type;
      if (def.values) entry.values = def.values;
    }
    if (def.kind === 'consent') entry.values = CONSENT_STATUSES;
    if (def.kind === 'orders') entry.options = ['days'];
    if (def.kind === 'engagement') entry.options = def.event === 'received' ? ['days', 'campaignId', 'channel'] : ['days', 'campaignId'];
    return entry;
  });
}

/**
 * The kind of `value` a condition on the field takes with the operator, as a rule editor asks
 * for it: nothing, one number, a count of days, a date, text, one of the field's fixed values,
 * a [from, to] pair, or a list (text items, or fixed values). It mirrors the value schemas of
 * segment-rules.ts; field-catalogue.spec.ts checks that a value of each kind validates there.
 * An attribute compared with eq/neq/in may hold any JSON scalar; an editor offers text.
 */
export type ValueKind = 'none' | 'number' | 'days' | 'date' | 'text' | 'enum' | 'numberRange' | 'dateRange' | 'textList' | 'enumList';

const NO_VALUE: readonly ConditionOp[] = ['is_set', 'is_not_set', 'is_true', 'is_false', 'this_month'];
const DAY_COUNT: readonly ConditionOp[] = ['within_last_days', 'more_than_days_ago', 'days_ago', 'in_days', 'in_next_days'];
const LISTS: readonly ConditionOp[] = ['in', 'not_in', 'has_any', 'has_all', 'has_none'];

export function valueKind(field: string, op: ConditionOp): ValueKind {
  const lookup = resolveField(field === `${ATTRIBUTE_PREFIX}<key>` ? `${ATTRIBUTE_PREFIX}key` : field);
  if (!lookup.ok) throw new Error(`unknown field ${field}`);
  const def = lookup.def;
  if (NO_VALUE.includes(op)) return 'none';
  if (DAY_COUNT.includes(op)) return 'days';
  const fixed = def.kind === 'consent' || (def.kind === 'column' && def.type === 'enum' && def.values !== undefined);
  if (LISTS.includes(op)) return fixed ? 'enumList' : 'textList';
  if (fixed) return 'enum';
  const dated = def.kind === 'column' && (def.type === 'date' || def.type === 'timestamp');
  if (op === 'between') return dated ? 'dateRange' : 'numberRange';
  if (dated) return 'date';
  const numeric =
    (def.kind === 'column' && (def.type === 'int' || def.type === 'numeric')) ||
    (def.kind === 'orders' && def.metric !== 'product') ||
    (def.kind === 'attribute' && ['gt', 'gte', 'lt', 'lte'].includes(op));
  return numeric ? 'number' : 'text';
}
