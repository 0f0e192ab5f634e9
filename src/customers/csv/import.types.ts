// Types shared by the customer and order CSV readers.
import type { CountryCode } from 'libphonenumber-js';
import type { ConsentStatus, CustomerKind, OrderStatus } from '../../generated/prisma/enums';

/** A problem with one line of the file. `line` is the physical line (the header is line 1). */
export interface ImportIssue {
  line: number;
  /** Canonical field ("email"), the header as written for an attribute column, or "row". */
  field: string;
  /** Why, in words an admin can act on. */
  reason: string;
  /** Stable code for UIs and tests: "email.no_at", "duplicate", "row.too_many_fields", … */
  code: string;
  /** The other line involved (the first occurrence of a duplicate, the first line of an order). */
  otherLine?: number;
}

export interface ImportProgress {
  /** Bytes taken from the input so far (before decoding). */
  bytesRead: number;
  /** Size of the input when the caller knows it, for a percentage. */
  totalBytes: number | null;
  /** Data lines (not the header, not blank lines) read so far. */
  linesRead: number;
}

export interface ImportBatch<Row> {
  /** Valid rows, normalised, in file order. */
  rows: Row[];
  /** Errors of the lines this batch covers: those lines are not in `rows`. */
  errors: ImportIssue[];
  /** Warnings: duplicates dropped, values ignored, contacts shared between rows. */
  warnings: ImportIssue[];
  progress: ImportProgress;
}

export interface ImportSummary {
  kind: 'customers' | 'orders';
  encoding: string;
  /** How the encoding was chosen: explicit, bom, valid-utf8, ascii-only, cp1251-letters, invalid-utf8. */
  encodingBasis: string;
  delimiter: string;
  /** Each column of the header and where it went. */
  /** Each column and where it goes; attribute columns with the key they are stored under. */
  columns: { header: string; target: string; key?: string }[];
  bytesRead: number;
  /** Physical lines in the file, the header included. */
  lines: number;
  /** Non-blank data lines. */
  dataLines: number;
  blankLines: number;
  /** Rows (customers) or orders handed out in batches. */
  accepted: number;
  /** Rows or orders left out because of errors. */
  rejected: number;
  /** Rows or orders left out as duplicates of an earlier one. */
  duplicates: number;
  errorCount: number;
  warningCount: number;
  /** The first issues (errors and warnings, in line order per kind), capped by `maxIssueSample`. */
  errors: ImportIssue[];
  warnings: ImportIssue[];
  /** Characters that could not be decoded (U+FFFD): a sign the encoding guess was wrong. */
  undecodableChars: number;
}

export type ImportErrorCode =
  'empty_file' | 'unsupported_encoding' | 'invalid_delimiter' | 'header_mapping' | 'missing_column' | 'record_too_long' | 'input_type';

/** The file cannot be imported at all (as opposed to one bad line). */
export class CsvImportError extends Error {
  constructor(
    readonly code: ImportErrorCode,
    message: string,
    readonly line?: number,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'CsvImportError';
  }
}

/** Bytes in: a file stream (`fs.createReadStream`), an upload stream, an array of buffers, or one buffer. */
export type CsvInput = AsyncIterable<Uint8Array> | Iterable<Uint8Array> | Uint8Array;

export interface CsvReadOptions {
  /** Skip detection: 'utf-8', 'windows-1251', 'utf-16le' or any name iconv-lite knows. */
  encoding?: string;
  /** Skip detection: ',', ';', '\t' or another single character. */
  delimiter?: string;
  /** Size of the input, for progress. */
  totalBytes?: number;
  /** A record longer than this aborts the import (default 1,000,000 characters). */
  maxRecordChars?: number;
}

export interface ImportOptions extends CsvReadOptions {
  /** Header (as written, compared case- and space-insensitively) → field, 'attribute' or 'ignore'. */
  mapping?: Record<string, string>;
  /** Rows per batch (default 1000). */
  batchSize?: number;
  /** How many errors and how many warnings the summary keeps (default 1000 each). */
  maxIssueSample?: number;
  /** Region for phone numbers written without a country code (default RU). */
  defaultPhoneRegion?: CountryCode;
  /** Zone for timestamps written without an offset (default Europe/Moscow). */
  timeZone?: string;
  /** "Today" for birthday checks (default: now). */
  today?: Date;
}

// ───────────────────────────── rows ─────────────────────────────
// A null means "no value in the file" (column absent or cell empty): an upsert leaves the
// stored value alone.

export interface CustomerImportRow {
  line: number;
  externalId: string | null;
  kind: CustomerKind;
  /** The file said the kind; otherwise `kind` is a guess (company when there is only a company name) and an upsert keeps the stored kind. */
  kindGiven: boolean;
  firstName: string | null;
  lastName: string | null;
  patronymic: string | null;
  companyName: string | null;
  position: string | null;
  /** normaliseEmail form. */
  email: string | null;
  /** E.164. */
  phone: string | null;
  /** Phone extension ("доб. 12"), kept apart from the E.164 number. */
  phoneExtension: string | null;
  /** YYYY-MM-DD. */
  birthday: string | null;
  /** IANA zone. */
  timeZone: string | null;
  /** Language subtag, e.g. "ru". */
  locale: string | null;
  /** Lower-case, unique. */
  tags: string[] | null;
  consentEmail: ConsentStatus | null;
  consentSms: ConsentStatus | null;
  source: string | null;
  registeredAt: Date | null;
  /** Unknown columns, under their attribute key (attribute-key.ts); empty cells left out. */
  attributes: Record<string, string>;
}

export interface OrderImportItem {
  line: number;
  productId: string;
  name: string | null;
  quantity: number;
  /** Unit price, decimal string with two places. */
  price: string;
}

export interface OrderImportRow {
  /** First line of the order. */
  line: number;
  /** Last line of the order (= line for one-line orders). */
  lastLine: number;
  externalId: string;
  /** How to find the customer; at least one is set. */
  customerExternalId: string | null;
  customerEmail: string | null;
  customerPhone: string | null;
  orderedAt: Date;
  status: OrderStatus | null;
  /** Decimal string with two places: the file's total, or the sum of the items when it has none. */
  total: string;
  currency: string | null;
  trackingNumber: string | null;
  items: OrderImportItem[];
  /** Unknown columns of the order's first line, under their attribute key (attribute-key.ts). */
  attributes: Record<string, string>;
}
