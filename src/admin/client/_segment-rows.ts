// The segment builder's model: rule JSON (the segment DSL, segments/dsl/segment-rules.ts) as
// groups and rows, and back. Pure, no DOM: segment-builder.ts draws it. A rule the rows cannot
// show exactly (an unknown key, a value of another type than the input would give back, `not`
// of `not`) gives null, and the builder leaves it to the JSON editor.

export type ValueKind = 'none' | 'number' | 'days' | 'date' | 'text' | 'enum' | 'numberRange' | 'dateRange' | 'textList' | 'enumList';

export interface FieldInfo {
  field: string;
  label: string;
  group: string;
  ops: Array<{ op: string; label: string; value: ValueKind }>;
  values?: Array<{ value: string; label: string }>;
  options?: string[];
  unit?: string;
}

export interface Row {
  t: 'row';
  not: boolean;
  /** The catalogue's field name (`attributes.<key>` for every attribute). */
  field: string;
  /** The attribute key, for `attributes.<key>`. */
  key: string;
  op: string;
  value: unknown;
  days?: number;
  campaignId?: number;
  channel?: string;
}

export interface Group {
  t: 'group';
  not: boolean;
  match: 'all' | 'any';
  items: Array<Row | Group>;
}

export type Node = Row | Group;

export const ATTRIBUTE = 'attributes.<key>';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isString = (v: unknown): v is string => typeof v === 'string';

export function fieldOf(fields: readonly FieldInfo[], name: string): { info: FieldInfo; key: string } | null {
  const direct = fields.find((f) => f.field === name);
  if (direct && direct.field !== ATTRIBUTE) return { info: direct, key: '' };
  const attribute = fields.find((f) => f.field === ATTRIBUTE);
  if (attribute && name.startsWith('attributes.')) return { info: attribute, key: name.slice('attributes.'.length) };
  return null;
}

export function kindOf(info: FieldInfo, op: string): ValueKind | null {
  return info.ops.find((o) => o.op === op)?.value ?? null;
}

/** Whether a stored value is one the row's input shows and gives back unchanged. */
function fits(kind: ValueKind, value: unknown, info: FieldInfo): boolean {
  const allowed = (v: unknown) => isString(v) && (info.values ?? []).some((x) => x.value === v);
  switch (kind) {
    case 'none':
      return value === undefined;
    case 'number':
    case 'days':
      return isNumber(value);
    case 'date':
    case 'text':
      return isString(value);
    case 'enum':
      return allowed(value);
    case 'numberRange':
      return Array.isArray(value) && value.length === 2 && value.every(isNumber);
    case 'dateRange':
      return Array.isArray(value) && value.length === 2 && value.every(isString);
    case 'textList':
      return Array.isArray(value) && value.length > 0 && value.every((v) => isString(v) && v.trim() === v && v !== '' && !v.includes(','));
    case 'enumList':
      return Array.isArray(value) && value.every(allowed);
  }
}

/** Rule JSON → a node; null when the rows cannot show it exactly. */
export function fromRules(rule: unknown, fields: readonly FieldInfo[]): Node | null {
  if (!isObject(rule)) return null;
  const keys = Object.keys(rule);
  if (keys.length === 1 && keys[0] === 'not') {
    const inner = fromRules(rule.not, fields);
    if (!inner || inner.not) return null;
    inner.not = true;
    return inner;
  }
  if (keys.length === 1 && (keys[0] === 'all' || keys[0] === 'any')) {
    const list = rule[keys[0]];
    if (!Array.isArray(list)) return null;
    const items = list.map((r) => fromRules(r, fields));
    if (items.some((i) => i === null)) return null;
    return { t: 'group', not: false, match: keys[0], items: items as Node[] };
  }
  if (!isString(rule.field) || !isString(rule.op)) return null;
  const found = fieldOf(fields, rule.field);
  if (!found) return null;
  const kind = kindOf(found.info, rule.op);
  if (!kind || !fits(kind, rule.value, found.info)) return null;
  const options = found.info.options ?? [];
  const row: Row = { t: 'row', not: false, field: found.info.field, key: found.key, op: rule.op, value: rule.value };
  for (const k of keys) {
    if (['field', 'op', 'value'].includes(k)) continue;
    if (!options.includes(k)) return null;
    if (k === 'days' || k === 'campaignId') {
      if (!isNumber(rule[k])) return null;
      row[k] = rule[k];
    } else if (k === 'channel') {
      if (!isString(rule.channel)) return null;
      row.channel = rule.channel;
    }
  }
  return row;
}

/** A node → the rule JSON the API stores. */
export function toRules(node: Node): Json {
  let rule: Json;
  if (node.t === 'group') rule = { [node.match]: node.items.map(toRules) };
  else {
    rule = { field: node.field === ATTRIBUTE ? `attributes.${node.key}` : node.field, op: node.op };
    if (node.value !== undefined) rule.value = node.value;
    if (node.days !== undefined) rule.days = node.days;
    if (node.campaignId !== undefined) rule.campaignId = node.campaignId;
    if (node.channel !== undefined) rule.channel = node.channel;
  }
  return node.not ? { not: rule } : rule;
}

/** The builder's top: always a group (a single condition is shown as a group of one). */
export function topOf(rules: unknown, fields: readonly FieldInfo[]): Group | null {
  const node = fromRules(rules, fields);
  if (!node) return null;
  return node.t === 'group' ? node : { t: 'group', not: false, match: 'all', items: [node] };
}

/** A new row for the field, with its first operator and an empty value of that operator's kind. */
export function newRow(info: FieldInfo): Row {
  const row: Row = { t: 'row', not: false, field: info.field, key: '', op: info.ops[0].op, value: undefined };
  row.value = emptyValue(info, kindOf(info, row.op)!);
  return row;
}

export function emptyValue(info: FieldInfo, kind: ValueKind): unknown {
  if (kind === 'enum') return info.values?.[0]?.value;
  if (kind === 'enumList') return [];
  if (kind === 'numberRange' || kind === 'dateRange') return [null, null];
  if (kind === 'textList') return [];
  if (kind === 'text') return '';
  return undefined;
}

/** Whether a row still waits for a value (the live count waits for it rather than show an error). */
export function incomplete(node: Node, fields: readonly FieldInfo[]): boolean {
  if (node.t === 'group') return node.items.some((i) => incomplete(i, fields));
  const info = fieldOf(fields, node.field === ATTRIBUTE ? `attributes.${node.key}` : node.field)?.info;
  if (!info || (node.field === ATTRIBUTE && node.key === '')) return true;
  const kind = kindOf(info, node.op);
  const v = node.value;
  switch (kind) {
    case 'none':
      return false;
    case 'number':
    case 'days':
      return !isNumber(v);
    case 'date':
    case 'enum':
      return !isString(v) || v === '';
    case 'text':
      return !isString(v) || (v === '' && node.op !== 'eq' && node.op !== 'neq');
    case 'numberRange':
    case 'dateRange':
      return !Array.isArray(v) || v.some((x) => x === null || x === undefined || x === '');
    case 'textList':
    case 'enumList':
      return !Array.isArray(v) || v.length === 0;
    default:
      return true;
  }
}

/**
 * The node an issue path points at (`rules.all[1].any[0].value` → the first row of the second
 * item): the deepest node the path reaches; `not` wrappers are the node itself.
 */
export function nodeAt(top: Group, path: string): Node {
  const parts = path.replace(/^rules\.?/, '').match(/[A-Za-z_]+|\d+/g) ?? [];
  let node: Node = top;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part === 'not') continue;
    if ((part === 'all' || part === 'any') && node.t === 'group') {
      const child: Node | undefined = node.items[Number(parts[i + 1])];
      if (!child) return node;
      node = child;
      i++;
      continue;
    }
    return node;
  }
  return node;
}
