// Maps the header of an import file to canonical fields. Headers are compared after
// normalisation (case, ё/е, spaces, underscores, hyphens, dots, a trailing "*"), so
// "E-mail", "e_mail", "Эл. почта" and "ЭЛ ПОЧТА*" all find `email`. Unknown columns go to
// `attributes` under a key a segment rule can name (attribute-key.ts: «Любимый цвет» →
// lyubimyy_tsvet, «Город» → city). An explicit mapping wins over the aliases.
import { attributeKeys } from './attribute-key';

export const CUSTOMER_FIELDS = [
  'external_id',
  'email',
  'phone',
  'first_name',
  'last_name',
  'patronymic',
  'full_name',
  'company',
  'position',
  'kind',
  'birthday',
  'time_zone',
  'locale',
  'tags',
  'consent_email',
  'consent_sms',
  'source',
  'registered_at',
] as const;
export type CustomerField = (typeof CUSTOMER_FIELDS)[number];

export const ORDER_FIELDS = [
  'order_id',
  'customer_external_id',
  'customer_email',
  'customer_phone',
  'ordered_at',
  'total',
  'currency',
  'status',
  'tracking_number',
  'product_id',
  'product_name',
  'quantity',
  'price',
] as const;
export type OrderField = (typeof ORDER_FIELDS)[number];

/** What an explicit mapping may say about a column: a field, or where else it goes. */
export type ColumnTarget<F extends string> = F | 'attribute' | 'ignore';

const CUSTOMER_ALIASES: Record<CustomerField, string[]> = {
  external_id: [
    'external_id',
    'external id',
    'externalid',
    'id',
    'customer id',
    'client id',
    'crm id',
    'код',
    'код клиента',
    'ид',
    'id клиента',
    'идентификатор',
    'номер клиента',
  ],
  email: [
    'email',
    'e-mail',
    'e mail',
    'mail',
    'email address',
    'e-mail address',
    'почта',
    'эл. почта',
    'электронная почта',
    'адрес электронной почты',
    'емейл',
    'имейл',
    'емайл',
  ],
  phone: [
    'phone',
    'phone number',
    'mobile',
    'mobile phone',
    'cell',
    'tel',
    'telephone',
    'телефон',
    'тел',
    'тел.',
    'мобильный',
    'мобильный телефон',
    'моб. телефон',
    'сотовый',
    'сотовый телефон',
    'номер телефона',
  ],
  first_name: ['first_name', 'first name', 'firstname', 'given name', 'имя'],
  last_name: ['last_name', 'last name', 'lastname', 'surname', 'family name', 'фамилия'],
  patronymic: ['patronymic', 'middle name', 'middlename', 'отчество'],
  full_name: ['full_name', 'full name', 'fullname', 'name', 'contact name', 'фио', 'ф.и.о.', 'ф. и. о.', 'контактное лицо'],
  company: [
    'company',
    'company name',
    'organization',
    'organisation',
    'компания',
    'организация',
    'название компании',
    'наименование организации',
    'контрагент',
  ],
  position: ['position', 'job title', 'должность'],
  kind: ['kind', 'type', 'customer type', 'тип', 'тип клиента'],
  birthday: ['birthday', 'birth date', 'birthdate', 'date of birth', 'dob', 'дата рождения', 'день рождения', 'др'],
  time_zone: ['time_zone', 'time zone', 'timezone', 'tz', 'часовой пояс'],
  locale: ['locale', 'language', 'lang', 'язык'],
  tags: ['tags', 'tag', 'labels', 'теги', 'тег', 'метки'],
  consent_email: [
    'consent_email',
    'consent email',
    'email consent',
    'email opt in',
    'email opt-in',
    'subscribed',
    'согласие email',
    'согласие на email',
    'согласие на рассылку',
    'подписка email',
    'подписка на рассылку',
    'подписан',
  ],
  consent_sms: [
    'consent_sms',
    'consent sms',
    'sms consent',
    'sms opt in',
    'sms opt-in',
    'согласие sms',
    'согласие на sms',
    'согласие на смс',
    'подписка sms',
    'подписка смс',
    'смс рассылка',
  ],
  source: ['source', 'lead source', 'источник', 'канал привлечения'],
  registered_at: ['registered_at', 'registered at', 'registration date', 'signup date', 'created at', 'дата регистрации'],
};

const ORDER_ALIASES: Record<OrderField, string[]> = {
  order_id: [
    'order_id',
    'order id',
    'order',
    'order number',
    'order no',
    'id',
    'external id',
    'номер заказа',
    'заказ',
    'id заказа',
    'номер',
    '№ заказа',
    '№',
  ],
  customer_external_id: [
    'customer_external_id',
    'customer id',
    'customer external id',
    'client id',
    'код клиента',
    'id клиента',
    'клиент id',
  ],
  customer_email: ['customer_email', 'customer email', 'email', 'e-mail', 'почта', 'email клиента', 'почта клиента'],
  customer_phone: ['customer_phone', 'customer phone', 'phone', 'телефон', 'телефон клиента'],
  ordered_at: ['ordered_at', 'ordered at', 'order date', 'date', 'created at', 'дата', 'дата заказа', 'дата оформления'],
  total: ['total', 'order total', 'amount', 'sum', 'сумма', 'сумма заказа', 'итого', 'стоимость заказа'],
  currency: ['currency', 'валюта'],
  status: ['status', 'order status', 'статус', 'статус заказа'],
  tracking_number: ['tracking_number', 'tracking number', 'tracking', 'track', 'трек', 'трек номер', 'трек-номер', 'номер отслеживания'],
  product_id: ['product_id', 'product id', 'sku', 'article', 'item id', 'артикул', 'код товара', 'id товара'],
  product_name: [
    'product_name',
    'product name',
    'product',
    'item',
    'item name',
    'товар',
    'наименование',
    'название товара',
    'наименование товара',
  ],
  quantity: ['quantity', 'qty', 'count', 'количество', 'кол-во', 'кол.'],
  price: ['price', 'unit price', 'item price', 'цена', 'цена за единицу', 'цена за шт.'],
};

/**
 * "Email *" (a required-field mark) → "Email". A loop, not `replace(/\*+\s*$/, '')`, which
 * retries every star of a long run that is not at the end: a header of 40,000 stars cost 2 s,
 * a megabyte one (a record may be that long) hours.
 */
function withoutTrailingStars(text: string): string {
  let end = text.length;
  while (end > 0 && /\s/.test(text[end - 1])) end--;
  const beforeStars = end;
  while (end > 0 && text.charCodeAt(end - 1) === 0x2a) end--;
  return end === beforeStars ? text : text.slice(0, end);
}

/** The form headers are compared in. */
export function normaliseHeader(header: string): string {
  return withoutTrailingStars(
    header
      .replace(/^\uFEFF/, '')
      .toLowerCase()
      .replace(/ё/g, 'е'),
  )
    .replace(/[\s_\-.:/]+/g, ' ')
    .trim();
}

function aliasTable<F extends string>(aliases: Record<F, string[]>): Map<string, F> {
  const table = new Map<string, F>();
  for (const field of Object.keys(aliases) as F[]) {
    for (const alias of aliases[field]) {
      const key = normaliseHeader(alias);
      const other = table.get(key);
      if (other !== undefined && other !== field) throw new Error(`alias "${alias}" names both ${other} and ${field}`);
      table.set(key, field);
    }
  }
  return table;
}

export interface HeaderSpec<F extends string> {
  kind: 'customers' | 'orders';
  fields: readonly F[];
  aliases: Map<string, F>;
}

export const CUSTOMER_HEADER: HeaderSpec<CustomerField> = {
  kind: 'customers',
  fields: CUSTOMER_FIELDS,
  aliases: aliasTable(CUSTOMER_ALIASES),
};
export const ORDER_HEADER: HeaderSpec<OrderField> = {
  kind: 'orders',
  fields: ORDER_FIELDS,
  aliases: aliasTable(ORDER_ALIASES),
};

export interface HeaderColumn<F extends string> {
  /** Zero-based position in the record. */
  index: number;
  /** The header as written in the file (trimmed). */
  header: string;
  target: ColumnTarget<F>;
  /** Attribute columns: the key the value is stored under (attribute-key.ts: «Любимый цвет» → lyubimyy_tsvet). */
  key?: string;
}

export interface HeaderMapping<F extends string> {
  columns: HeaderColumn<F>[];
  /** Column index of each mapped field. */
  fieldIndex: Partial<Record<F, number>>;
  /** Columns that go to attributes. */
  attributeColumns: HeaderColumn<F>[];
}

export class HeaderMappingError extends Error {
  constructor(
    readonly code: 'duplicate_field' | 'unknown_field' | 'duplicate_header',
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Maps `headers` to fields. `explicit` is keyed by header text (compared normalised) and
 * wins over aliases. Two columns mapping to one field is an error: which one to trust is the
 * user's call, not ours.
 */
export function mapHeader<F extends string>(
  spec: HeaderSpec<F>,
  headers: readonly string[],
  explicit: Readonly<Record<string, string>> = {},
): HeaderMapping<F> {
  const known = new Set<string>(spec.fields);
  const overrides = new Map<string, ColumnTarget<F>>();
  for (const [header, target] of Object.entries(explicit)) {
    if (target !== 'attribute' && target !== 'ignore' && !known.has(target)) {
      throw new HeaderMappingError('unknown_field', target, `mapping for "${header}" names unknown field "${target}"`);
    }
    overrides.set(normaliseHeader(header), target as ColumnTarget<F>);
  }

  const columns: HeaderColumn<F>[] = [];
  const fieldIndex: Partial<Record<F, number>> = {};
  const attributeColumns: HeaderColumn<F>[] = [];
  const seenHeaders = new Map<string, number>();
  headers.forEach((raw, index) => {
    const header = raw.replace(/^\uFEFF/, '').trim();
    const key = normaliseHeader(header);
    const target: ColumnTarget<F> = overrides.get(key) ?? spec.aliases.get(key) ?? (key === '' ? 'ignore' : 'attribute');
    if (target !== 'ignore') {
      const previous = seenHeaders.get(key);
      if (previous !== undefined && target === 'attribute') {
        throw new HeaderMappingError('duplicate_header', header, `columns ${previous + 1} and ${index + 1} are both named "${header}"`);
      }
      seenHeaders.set(key, index);
    }
    const column: HeaderColumn<F> = { index, header, target };
    columns.push(column);
    if (target === 'attribute') {
      attributeColumns.push(column);
    } else if (target !== 'ignore') {
      const previous = fieldIndex[target];
      if (previous !== undefined) {
        throw new HeaderMappingError(
          'duplicate_field',
          target,
          `columns "${headers[previous].trim()}" (${previous + 1}) and "${header}" (${index + 1}) both map to ${target}; map one of them explicitly`,
        );
      }
      fieldIndex[target] = index;
    }
  });
  const keys = attributeKeys(attributeColumns.map((column) => column.header));
  attributeColumns.forEach((column, i) => (column.key = keys[i]));
  return { columns, fieldIndex, attributeColumns };
}
