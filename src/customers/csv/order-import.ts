// CSV import of orders.
//
// Layout: ONE LINE PER ITEM, order columns repeated on each line (what shops and 1C export);
// a file without product columns is one line per order. The lines of one order must be
// ADJACENT: they are grouped by order_id as they stream by, so memory holds one order. An
// order_id that comes back after other orders is an error on that line (the first group was
// already handed out), as is a second file row for an order id seen before.
//
// Order columns (customer, ordered_at, total, currency, status, tracking) are read from the
// order's first line; a later line with a different non-empty value gets a warning. Any bad
// line rejects its whole order: an order with an item missing would be wrong, not partial.
// `total` empty → the sum of quantity × price of its items.
import type { CountryCode } from 'libphonenumber-js';
import { cleanText, normaliseEmail, normalisePhone } from '../contact-normalise';
import type { CsvRecord } from './csv-tokenizer';
import {
  formatMinor,
  MAX_MONEY_MINOR,
  parseCurrency,
  parseDateTime,
  parseMoneyMinor,
  parseOrderStatus,
  parseQuantity,
} from './field-parsers';
import { ORDER_HEADER, type HeaderMapping, type OrderField } from './header-mapping';
import {
  ImportReader,
  readAttributes,
  recordShapeIssues,
  type AssemblerContext,
  type BatchCollector,
  type RowAssembler,
} from './import.runner';
import {
  CsvImportError,
  type CsvInput,
  type ImportIssue,
  type ImportOptions,
  type OrderImportItem,
  type OrderImportRow,
} from './import.types';
import { EMAIL_REASONS, MONEY_REASONS, PHONE_REASONS } from './issue-messages';
import { KeyIndex } from './key-index';

export const ID_MAX_LENGTH = 255;

export function readOrderCsv(input: CsvInput, options: ImportOptions = {}): ImportReader<OrderImportRow> {
  return new ImportReader<OrderImportRow>(
    'orders',
    input,
    options,
    ORDER_HEADER,
    (context) => new OrderAssembler(context as AssemblerContext<OrderField>),
  );
}

/** Columns that belong to the order rather than to one item; compared across an order's lines. */
const ORDER_LEVEL: readonly OrderField[] = [
  'customer_external_id',
  'customer_email',
  'customer_phone',
  'ordered_at',
  'total',
  'currency',
  'status',
  'tracking_number',
];
const CUSTOMER_REFS: readonly OrderField[] = ['customer_external_id', 'customer_email', 'customer_phone'];
/** The columns an order file must have, each as its alternatives (checked below, shown by the admin mapping step). */
export const ORDER_REQUIRED_COLUMNS: ReadonlyArray<readonly OrderField[]> = [['order_id'], ['ordered_at'], CUSTOMER_REFS];

interface OpenOrder {
  externalId: string;
  firstLine: number;
  lastLine: number;
  /** Raw order-level cells of the first line, to spot conflicting later lines. */
  firstValues: string[];
  /** Set when a line failed: the order is not handed out. */
  failed: boolean;
  /** The id was seen before (not adjacent): every line of this group is rejected. */
  duplicateOf: number | null;
  row: OrderImportRow | null;
  /** Sum of the items, in kopecks, for an order without a total. */
  itemsMinor: number;
  totalGiven: boolean;
}

class OrderAssembler implements RowAssembler<OrderImportRow> {
  private readonly index: Partial<Record<OrderField, number>>;
  private readonly mapping: HeaderMapping<OrderField>;
  private readonly headers: string[];
  private readonly region: CountryCode;
  private readonly timeZone: string;
  private readonly seen = new KeyIndex();
  private open: OpenOrder | null = null;

  constructor(context: AssemblerContext<OrderField>) {
    this.mapping = context.mapping;
    this.index = context.mapping.fieldIndex;
    this.headers = context.headers;
    this.region = context.options.defaultPhoneRegion ?? 'RU';
    this.timeZone = context.options.timeZone ?? 'Europe/Moscow';
    const missing = (message: string) => new CsvImportError('missing_column', message, context.headerLine);
    if (this.index.order_id === undefined) throw missing('the header has no order id column (order_id, номер заказа)');
    if (this.index.ordered_at === undefined) throw missing('the header has no order date column (ordered_at, дата заказа)');
    if (CUSTOMER_REFS.every((f) => this.index[f] === undefined)) {
      throw missing('the header has no customer column (customer_external_id, email or phone)');
    }
  }

  private cell(record: CsvRecord, field: OrderField): string {
    const i = this.index[field];
    return i === undefined || i >= record.fields.length ? '' : cleanText(record.fields[i]);
  }

  add(record: CsvRecord, out: BatchCollector<OrderImportRow>): void {
    const line = record.line;
    const errors: ImportIssue[] = recordShapeIssues(record, this.headers);
    const orderId = this.cell(record, 'order_id');
    const open = this.open;

    if (open !== null && orderId !== '' && orderId === open.externalId) {
      open.lastLine = line;
      if (open.duplicateOf !== null) {
        out.error(this.duplicateIssue(line, orderId, open.duplicateOf));
        return;
      }
      this.warnConflicts(record, open, out);
      this.addItem(record, open, errors);
      this.report(errors, open, out);
      return;
    }

    this.flush(out);
    if (orderId === '') {
      errors.push({ line, field: 'order_id', code: 'order_id.empty', reason: 'the order id is empty' });
      for (const e of errors) out.error(e);
      out.rejected++;
      return;
    }
    const previous = this.seen.add(orderId, line);
    const order: OpenOrder = {
      externalId: orderId,
      firstLine: line,
      lastLine: line,
      firstValues: ORDER_LEVEL.map((f) => this.cell(record, f)),
      failed: false,
      duplicateOf: previous === line ? null : previous,
      row: null,
      itemsMinor: 0,
      totalGiven: false,
    };
    this.open = order;
    if (order.duplicateOf !== null) {
      out.error(this.duplicateIssue(line, orderId, order.duplicateOf));
      return;
    }
    order.row = this.orderFields(record, order, errors);
    this.addItem(record, order, errors);
    this.report(errors, order, out);
  }

  finish(out: BatchCollector<OrderImportRow>): void {
    this.flush(out);
  }

  private duplicateIssue(line: number, orderId: string, otherLine: number): ImportIssue {
    return {
      line,
      field: 'order_id',
      code: 'duplicate_order',
      reason: `order ${orderId} already appeared from line ${otherLine}; the lines of one order must be adjacent and an order listed once`,
      otherLine,
    };
  }

  private report(errors: ImportIssue[], order: OpenOrder, out: BatchCollector<OrderImportRow>): void {
    if (errors.length === 0) return;
    for (const e of errors) out.error(e);
    order.failed = true;
  }

  /** Hands the open order out, or counts it as rejected / duplicate. */
  private flush(out: BatchCollector<OrderImportRow>): void {
    const order = this.open;
    if (order === null) return;
    this.open = null;
    if (order.duplicateOf !== null) {
      out.duplicates++;
      return;
    }
    if (order.failed || order.row === null) {
      if (order.lastLine !== order.firstLine) {
        out.error({
          line: order.firstLine,
          field: 'order_id',
          code: 'order_rejected',
          reason: `order ${order.externalId} (lines ${order.firstLine}–${order.lastLine}) is not imported because some of its lines have errors`,
        });
      }
      out.rejected++;
      return;
    }
    const row = order.row;
    row.lastLine = order.lastLine;
    if (!order.totalGiven) {
      if (row.items.length === 0) {
        out.error({
          line: order.firstLine,
          field: 'total',
          code: 'total.missing',
          reason: 'the order has neither a total nor items to sum',
        });
        out.rejected++;
        return;
      }
      if (order.itemsMinor > MAX_MONEY_MINOR) {
        out.error({
          line: order.firstLine,
          field: 'total',
          code: 'total.too_large',
          reason: `the items sum to more than ${formatMinor(MAX_MONEY_MINOR)}, the largest total an order holds`,
        });
        out.rejected++;
        return;
      }
      row.total = formatMinor(order.itemsMinor);
    }
    out.accept(row);
  }

  private orderFields(record: CsvRecord, order: OpenOrder, errors: ImportIssue[]): OrderImportRow {
    const line = record.line;
    const fail = (field: string, code: string, reason: string) => errors.push({ line, field, code, reason });
    if (order.externalId.length > ID_MAX_LENGTH) fail('order_id', 'order_id.too_long', `longer than ${ID_MAX_LENGTH} characters`);

    let customerExternalId: string | null = this.cell(record, 'customer_external_id') || null;
    if (customerExternalId !== null && customerExternalId.length > ID_MAX_LENGTH) {
      fail('customer_external_id', 'customer_external_id.too_long', `longer than ${ID_MAX_LENGTH} characters`);
      customerExternalId = null;
    }
    let customerEmail: string | null = null;
    const rawEmail = this.cell(record, 'customer_email');
    if (rawEmail !== '') {
      const r = normaliseEmail(rawEmail);
      if (r.ok) customerEmail = r.value;
      else fail('customer_email', `email.${r.reason}`, EMAIL_REASONS[r.reason]);
    }
    let customerPhone: string | null = null;
    const rawPhone = this.cell(record, 'customer_phone');
    if (rawPhone !== '') {
      const r = normalisePhone(rawPhone, this.region);
      if (r.ok) customerPhone = r.value.e164;
      else fail('customer_phone', `phone.${r.reason}`, PHONE_REASONS[r.reason]);
    }
    if (customerExternalId === null && customerEmail === null && customerPhone === null && errors.length === 0) {
      fail('customer_external_id', 'order.no_customer', 'the order names no customer (customer id, email or phone)');
    }

    let orderedAt = new Date(0);
    const rawDate = this.cell(record, 'ordered_at');
    if (rawDate === '') {
      fail('ordered_at', 'ordered_at.empty', 'the order date is empty');
    } else {
      const r = parseDateTime(rawDate, this.timeZone);
      if (r.ok) orderedAt = r.value;
      else fail('ordered_at', `ordered_at.${r.reason}`, 'invalid order date: expected DD.MM.YYYY [HH:MM] or ISO 8601');
    }

    let total = '0.00';
    const rawTotal = this.cell(record, 'total');
    if (rawTotal !== '') {
      const r = parseMoneyMinor(rawTotal);
      if (r.ok) {
        total = formatMinor(r.value);
        order.totalGiven = true;
      } else {
        fail('total', `total.${r.reason}`, `invalid total: ${MONEY_REASONS[r.reason]}`);
      }
    }

    let status: OrderImportRow['status'] = null;
    const rawStatus = this.cell(record, 'status');
    if (rawStatus !== '') {
      const r = parseOrderStatus(rawStatus);
      if (r.ok) status = r.value;
      else fail('status', 'status.unknown_value', 'unknown order status: expected created, paid, shipped, delivered or cancelled');
    }

    let currency: string | null = null;
    const rawCurrency = this.cell(record, 'currency');
    if (rawCurrency !== '') {
      const r = parseCurrency(rawCurrency);
      if (r.ok) currency = r.value;
      else fail('currency', 'currency.unknown_value', 'unknown currency: expected a three-letter code such as RUB');
    }

    const trackingNumber = this.cell(record, 'tracking_number') || null;

    return {
      line: order.firstLine,
      lastLine: order.firstLine,
      externalId: order.externalId,
      customerExternalId,
      customerEmail,
      customerPhone,
      orderedAt,
      status,
      total,
      currency,
      trackingNumber,
      items: [],
      attributes: readAttributes(record, this.mapping),
    };
  }

  private addItem(record: CsvRecord, order: OpenOrder, errors: ImportIssue[]): void {
    const line = record.line;
    const productId = this.cell(record, 'product_id');
    const name = this.cell(record, 'product_name');
    const rawQuantity = this.cell(record, 'quantity');
    const rawPrice = this.cell(record, 'price');
    if (productId === '') {
      if (name !== '' || rawQuantity !== '' || rawPrice !== '') {
        errors.push({ line, field: 'product_id', code: 'product_id.empty', reason: 'an item line needs a product id' });
      }
      return;
    }
    let quantity = 1;
    if (rawQuantity !== '') {
      const r = parseQuantity(rawQuantity);
      if (r.ok) quantity = r.value;
      else errors.push({ line, field: 'quantity', code: `quantity.${r.reason}`, reason: QUANTITY_REASONS[r.reason] });
    }
    let priceMinor = 0;
    if (rawPrice !== '') {
      const r = parseMoneyMinor(rawPrice);
      if (r.ok) priceMinor = r.value;
      else errors.push({ line, field: 'price', code: `price.${r.reason}`, reason: `invalid price: ${MONEY_REASONS[r.reason]}` });
    }
    if (productId.length > ID_MAX_LENGTH) {
      errors.push({ line, field: 'product_id', code: 'product_id.too_long', reason: `longer than ${ID_MAX_LENGTH} characters` });
    }
    const item: OrderImportItem = { line, productId, name: name || null, quantity, price: formatMinor(priceMinor) };
    order.row?.items.push(item);
    order.itemsMinor += priceMinor * quantity;
  }

  private warnConflicts(record: CsvRecord, order: OpenOrder, out: BatchCollector<OrderImportRow>): void {
    for (let k = 0; k < ORDER_LEVEL.length; k++) {
      const value = this.cell(record, ORDER_LEVEL[k]);
      if (value !== '' && value !== order.firstValues[k]) {
        out.warning({
          line: record.line,
          field: ORDER_LEVEL[k],
          code: 'conflicting_value',
          reason: `differs from line ${order.firstLine} of the same order; the value on line ${order.firstLine} is used`,
          otherLine: order.firstLine,
        });
      }
    }
  }
}

const QUANTITY_REASONS = {
  format: 'invalid quantity: not a number',
  not_whole: 'invalid quantity: not a whole number',
  not_positive: 'invalid quantity: must be at least 1',
  too_large: 'invalid quantity: too large',
} as const;
