// The allow-list of everything a segment rule may look at, and which operators each field takes.
// Field names are the only identifiers that reach SQL, and only through this file: a customer
// field name is the `customers` column name itself, the other kinds compile to fixed SQL.

export const CHANNELS = ['email', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CONSENT_STATUSES = ['opted_in', 'opted_out', 'pending'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

export const CUSTOMER_KINDS = ['person', 'company'] as const;

/** An attribute key is passed to SQL as a parameter, but is still kept to a plain shape. */
export const ATTRIBUTE_KEY_PATTERN = /^[A-Za-z0-9_]{1,64}$/;

export type ColumnType = 'text' | 'int' | 'numeric' | 'timestamp' | 'date' | 'bool' | 'enum';

export interface ColumnField {
  kind: 'column';
  name: string;
  type: ColumnType;
  nullable: boolean;
  /** enum: the allowed values. */
  values?: readonly string[];
  /** enum without a fixed list: the shape a value must have. */
  pattern?: RegExp;
  /** The column is a PostgreSQL enum type: compare it as text. */
  pgEnum?: boolean;
  /** The column is char(n): compare as char, so the planner can use its statistics. */
  char?: boolean;
}

export interface AttributeField {
  kind: 'attribute';
  name: string;
  key: string;
}
export interface TagsField {
  kind: 'tags';
  name: 'tags';
}
export interface ConsentField {
  kind: 'consent';
  name: string;
  channel: Channel;
}
export interface ReachableField {
  kind: 'reachable';
  name: string;
  channel: Channel;
}
export type OrdersMetric = 'count' | 'sum' | 'product';
export interface OrdersField {
  kind: 'orders';
  name: string;
  metric: OrdersMetric;
}
export type EngagementEvent = 'received' | 'opened' | 'clicked' | 'replied';
export interface EngagementField {
  kind: 'engagement';
  name: string;
  event: EngagementEvent;
}

export type FieldDef = ColumnField | AttributeField | TagsField | ConsentField | ReachableField | OrdersField | EngagementField;

const column = (name: string, type: ColumnType, nullable: boolean, extra: Partial<ColumnField> = {}): ColumnField => ({
  kind: 'column',
  name,
  type,
  nullable,
  ...extra,
});

const CLASS_NAME = /^[a-z][a-z0-9_]{0,31}$/;

/** Customer columns a rule may compare, keyed by DSL name (= column name). */
export const CUSTOMER_FIELDS: Readonly<Record<string, ColumnField>> = Object.freeze(
  Object.fromEntries(
    [
      column('kind', 'enum', false, { values: CUSTOMER_KINDS, pgEnum: true }),
      column('external_id', 'text', true),
      column('company_id', 'int', true),
      column('position', 'text', true),
      column('first_name', 'text', true),
      column('patronymic', 'text', true),
      column('last_name', 'text', true),
      column('company_name', 'text', true),
      column('email', 'text', true),
      column('email_valid', 'bool', false),
      column('phone', 'text', true),
      column('phone_valid', 'bool', false),
      column('birthday', 'date', true),
      column('locale', 'text', false),
      column('time_zone', 'text', false),
      column('source', 'text', true),
      column('registered_at', 'timestamp', false),
      column('first_order_at', 'timestamp', true),
      column('last_order_at', 'timestamp', true),
      column('order_count', 'int', false),
      column('order_sum', 'numeric', false),
      column('rfm_recency', 'int', true),
      column('rfm_frequency', 'int', true),
      column('rfm_monetary', 'int', true),
      column('rfm_cell', 'enum', true, { pattern: /^[1-5]{3}$/ }),
      column('rfm_group', 'enum', true, { pattern: CLASS_NAME }),
      column('abc_class', 'enum', true, { values: ['A', 'B', 'C'], char: true }),
      column('xyz_class', 'enum', true, { values: ['X', 'Y', 'Z'], char: true }),
      column('rating', 'enum', true, { values: ['A', 'B', 'C', 'D', 'E'], char: true }),
      column('scored_at', 'timestamp', true),
    ].map((f) => [f.name, f]),
  ),
);

const OTHER_FIELDS: readonly FieldDef[] = [
  { kind: 'tags', name: 'tags' },
  ...CHANNELS.map((channel): ConsentField => ({ kind: 'consent', name: `consent.${channel}`, channel })),
  ...CHANNELS.map((channel): ReachableField => ({ kind: 'reachable', name: `reachable.${channel}`, channel })),
  ...(['count', 'sum', 'product'] as const).map((metric): OrdersField => ({ kind: 'orders', name: `orders.${metric}`, metric })),
  ...(['received', 'opened', 'clicked', 'replied'] as const).map((event): EngagementField => ({
    kind: 'engagement',
    name: `engagement.${event}`,
    event,
  })),
];
const OTHER_BY_NAME = new Map(OTHER_FIELDS.map((f) => [f.name, f]));

export const ATTRIBUTE_PREFIX = 'attributes.';

/** Every accepted field name, for error messages and UIs (`attributes.<key>` stands for any key). */
export const ALLOWED_FIELD_NAMES: readonly string[] = Object.freeze([
  ...Object.keys(CUSTOMER_FIELDS),
  `${ATTRIBUTE_PREFIX}<key>`,
  ...OTHER_FIELDS.map((f) => f.name),
]);

export type FieldLookup = { ok: true; def: FieldDef } | { ok: false; reason: 'unknown' | 'bad_attribute_key' };

export function resolveField(name: string): FieldLookup {
  if (Object.hasOwn(CUSTOMER_FIELDS, name)) return { ok: true, def: CUSTOMER_FIELDS[name] };
  const other = OTHER_BY_NAME.get(name);
  if (other) return { ok: true, def: other };
  if (name.startsWith(ATTRIBUTE_PREFIX)) {
    const key = name.slice(ATTRIBUTE_PREFIX.length);
    if (!ATTRIBUTE_KEY_PATTERN.test(key)) return { ok: false, reason: 'bad_attribute_key' };
    return { ok: true, def: { kind: 'attribute', name, key } };
  }
  return { ok: false, reason: 'unknown' };
}

// ───────────────────────────── operators ─────────────────────────────

export const CONDITION_OPS = [
  'eq',
  'neq',
  'in',
  'not_in',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'contains',
  'starts_with',
  'ends_with',
  'is_set',
  'is_not_set',
  'is_true',
  'is_false',
  'before',
  'after',
  'on',
  'within_last_days',
  'more_than_days_ago',
  'days_ago',
  'in_days',
  'in_next_days',
  'this_month',
  'has',
  'has_any',
  'has_all',
  'has_none',
] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

const NULL_OPS = ['is_set', 'is_not_set'] as const;
const COMPARE_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between'] as const;
const ABSOLUTE_DATE_OPS = ['before', 'after', 'on', 'between'] as const;
const RELATIVE_DATE_OPS = ['within_last_days', 'more_than_days_ago', 'days_ago'] as const;
const BOOL_OPS = ['is_true', 'is_false'] as const;

function columnOps(f: ColumnField): readonly ConditionOp[] {
  const nullOps = f.nullable ? NULL_OPS : [];
  switch (f.type) {
    case 'text':
      return ['eq', 'neq', 'in', 'not_in', 'contains', 'starts_with', 'ends_with', ...NULL_OPS];
    case 'int':
    case 'numeric':
      return [...COMPARE_OPS, ...nullOps];
    case 'timestamp':
      return [...ABSOLUTE_DATE_OPS, ...RELATIVE_DATE_OPS, ...nullOps];
    case 'date':
      return [...ABSOLUTE_DATE_OPS, 'in_days', 'in_next_days', 'this_month', ...nullOps];
    case 'bool':
      return BOOL_OPS;
    case 'enum':
      return ['eq', 'neq', 'in', 'not_in', ...nullOps];
  }
}

/** The operators a field accepts, in the order they are listed in error messages. */
export function opsFor(def: FieldDef): readonly ConditionOp[] {
  switch (def.kind) {
    case 'column':
      return columnOps(def);
    case 'attribute':
      return [
        'eq',
        'neq',
        'in',
        'not_in',
        'gt',
        'gte',
        'lt',
        'lte',
        'between',
        'contains',
        'starts_with',
        'ends_with',
        ...BOOL_OPS,
        ...NULL_OPS,
      ];
    case 'tags':
      return ['has', 'has_any', 'has_all', 'has_none'];
    case 'consent':
      return ['eq', 'neq', 'in', 'not_in', ...NULL_OPS];
    case 'reachable':
      return BOOL_OPS;
    case 'orders':
      return def.metric === 'product' ? ['eq', 'in'] : COMPARE_OPS;
    case 'engagement':
      return BOOL_OPS;
  }
}
