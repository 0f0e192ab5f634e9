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
