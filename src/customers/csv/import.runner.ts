// Turns the record stream into batches of typed rows for one kind of import. The kind-specific
// part (which fields, how a line becomes a row) is a RowAssembler; this file owns the header,
// blank lines, batching, counting, progress and the summary.
import { storableText, unstorableReason } from '../../common/storable-text';
import { readCsvRecords, newReadState, type CsvReadState } from './csv-reader';
import type { CsvRecord } from './csv-tokenizer';
import { HeaderMappingError, mapHeader, type HeaderMapping, type HeaderSpec } from './header-mapping';
import {
  CsvImportError,
  type CsvInput,
  type ImportBatch,
  type ImportIssue,
  type ImportOptions,
  type ImportProgress,
  type ImportSummary,
} from './import.types';

export const DEFAULT_BATCH_SIZE = 1000;
export const DEFAULT_MAX_ISSUE_SAMPLE = 1000;

/** Collects what the lines of one batch produce, and the running totals. */
export class BatchCollector<Row> {
  rows: Row[] = [];
  errors: ImportIssue[] = [];
  warnings: ImportIssue[] = [];
  accepted = 0;
  rejected = 0;
  duplicates = 0;
  errorCount = 0;
  warningCount = 0;
  readonly errorSample: ImportIssue[] = [];
  readonly warningSample: ImportIssue[] = [];

  constructor(private readonly maxSample: number) {}

  accept(row: Row): void {
    this.rows.push(row);
    this.accepted++;
  }

  error(issue: ImportIssue): void {
    this.errors.push(issue);
    this.errorCount++;
    if (this.errorSample.length < this.maxSample) this.errorSample.push(issue);
  }

  warning(issue: ImportIssue): void {
    this.warnings.push(issue);
    this.warningCount++;
    if (this.warningSample.length < this.maxSample) this.warningSample.push(issue);
  }

  get pending(): number {
    return Math.max(this.rows.length, this.errors.length + this.warnings.length);
  }

  take(progress: ImportProgress): ImportBatch<Row> {
    const batch = { rows: this.rows, errors: this.errors, warnings: this.warnings, progress };
    this.rows = [];
    this.errors = [];
    this.warnings = [];
    return batch;
  }
}

export interface RowAssembler<Row> {
  /** One non-blank data record. */
  add(record: CsvRecord, out: BatchCollector<Row>): void;
  /** End of input: flush whatever is held back. */
  finish(out: BatchCollector<Row>): void;
}

export interface AssemblerContext<F extends string> {
  mapping: HeaderMapping<F>;
  headers: string[];
  headerLine: number;
  options: ImportOptions;
}

/**
 * One import read: iterate it once for batches, then read `summary`. Stopping early (break)
 * closes the input.
 */
export class ImportReader<Row> implements AsyncIterable<ImportBatch<Row>> {
  private started = false;
  private result: ImportSummary | null = null;
  private readonly state: CsvReadState = newReadState();
  private linesRead = 0;

  constructor(
    private readonly kind: 'customers' | 'orders',
    private readonly input: CsvInput,
    private readonly options: ImportOptions,
    private readonly spec: HeaderSpec<string>,
    private readonly createAssembler: (context: AssemblerContext<string>) => RowAssembler<Row>,
  ) {}

  /** Available once iteration has finished. */
  get summary(): ImportSummary {
    if (this.result === null) throw new Error('the import summary is available after the last batch');
    return this.result;
  }

  get progress(): ImportProgress {
    return { bytesRead: this.state.bytesRead, totalBytes: this.options.totalBytes ?? null, linesRead: this.linesRead };
  }

  /** Convenience for tests and small files: every batch merged into one. */
  async collect(): Promise<{ rows: Row[]; errors: ImportIssue[]; warnings: ImportIssue[]; summary: ImportSummary }> {
    const rows: Row[] = [];
    const errors: ImportIssue[] = [];
    const warnings: ImportIssue[] = [];
    for await (const batch of this) {
      rows.push(...batch.rows);
      errors.push(...batch.errors);
      warnings.push(...batch.warnings);
    }
    return { rows, errors, warnings, summary: this.summary };
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ImportBatch<Row>> {
    if (this.started) throw new Error('an ImportReader can be iterated once');
    this.started = true;
    const batchSize = this.options.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!(batchSize >= 1)) throw new Error('batchSize must be ≥ 1');
    const out = new BatchCollector<Row>(this.options.maxIssueSample ?? DEFAULT_MAX_ISSUE_SAMPLE);
    let assembler: RowAssembler<Row> | null = null;
    let mapping: HeaderMapping<string> | null = null;
    let blankLines = 0;
    let lastLine = 0;

    for await (const records of readCsvRecords(this.input, this.options, this.state)) {
      for (const record of records) {
        lastLine = record.line;
        if (isBlank(record.fields)) {
          blankLines++;
          continue;
        }
        if (assembler === null) {
          const headers = record.fields.map((h) => h.trim());
          assertStorableHeaders(headers, record.line);
          try {
            mapping = mapHeader(this.spec, headers, this.options.mapping);
          } catch (error) {
            if (error instanceof HeaderMappingError) {
              throw new CsvImportError('header_mapping', error.message, record.line, error.field);
            }
            throw error;
          }
          assembler = this.createAssembler({ mapping, headers, headerLine: record.line, options: this.options });
          continue;
        }
        this.linesRead++;
        assembler.add(record, out);
        if (out.pending >= batchSize) yield out.take(this.progress);
      }
    }
    if (assembler === null || mapping === null) throw new CsvImportError('empty_file', 'the file has no header line');
    assembler.finish(out);
    if (out.rows.length + out.errors.length + out.warnings.length > 0) yield out.take(this.progress);

    const dialect = this.state.dialect!;
    this.result = {
      kind: this.kind,
      encoding: dialect.encoding,
      encodingBasis: dialect.encodingBasis,
      delimiter: dialect.delimiter,
      columns: mapping.columns.map((c) => ({ header: c.header, target: c.target, ...(c.key === undefined ? {} : { key: c.key }) })),
      bytesRead: this.state.bytesRead,
      lines: lastLine,
      dataLines: this.linesRead,
      blankLines,
      accepted: out.accepted,
      rejected: out.rejected,
      duplicates: out.duplicates,
      errorCount: out.errorCount,
      warningCount: out.warningCount,
      errors: out.errorSample,
      warnings: out.warningSample,
      undecodableChars: this.state.undecodableChars,
    };
  }
}

function isBlank(fields: string[]): boolean {
  for (const f of fields) if (f.trim() !== '') return false;
  return true;
}

// ───────────────────────────── helpers for assemblers ─────────────────────────────

const TOKENIZER_REASONS = {
  text_after_closing_quote: 'text after the closing quote of a quoted value',
  unclosed_quote: 'a quoted value is never closed (the rest of the file was read into it)',
} as const;

const MAYBE_UNSTORABLE = /[\u0000\uD800-\uDFFF]/;

/**
 * Problems of the record as a whole: malformed quoting, more non-empty cells than the header
 * has columns (usually an unquoted delimiter inside a value, which shifts every later cell),
 * text PostgreSQL cannot store (a NUL, a lone surrogate: COPY would fail the whole import).
 */
export function recordShapeIssues(record: CsvRecord, headers: string[], issues: ImportIssue[] = []): ImportIssue[] {
  if (record.error) {
    issues.push({
      line: record.line,
      field: headers[record.error.column] || 'row',
      code: `row.${record.error.reason}`,
      reason: TOKENIZER_REASONS[record.error.reason],
    });
  }
  const fields = record.fields;
  for (let i = 0; i < fields.length; i++) {
    // One cheap test per cell; the exact check only for the rare cell that needs it.
    if (!MAYBE_UNSTORABLE.test(fields[i])) continue;
    const reason = unstorableReason(fields[i]);
    if (reason) {
      issues.push({
        line: record.line,
        field: headers[i] || 'row',
        code: 'row.unstorable_text',
        reason: `${reason} (a binary file, or the wrong encoding?)`,
      });
      break;
    }
  }
  if (fields.length > headers.length) {
    for (let i = headers.length; i < fields.length; i++) {
      if (fields[i].trim() !== '') {
        issues.push({
          line: record.line,
          field: 'row',
          code: 'row.too_many_fields',
          reason: `the line has ${fields.length} values but the header has ${headers.length} columns (an unquoted delimiter inside a value?)`,
        });
        break;
      }
    }
  }
  return issues;
}

/** Collects the attribute columns of a record; empty cells are left out. */
export function readAttributes(record: CsvRecord, mapping: HeaderMapping<string>): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const column of mapping.attributeColumns) {
    const value = column.index < record.fields.length ? record.fields[column.index].trim() : '';
    if (value === '') continue;
    const key = column.key ?? column.header;
    // A key may be "__proto__": define, never assign through the prototype setter.
    if (key === '__proto__') Object.defineProperty(attributes, key, { value, enumerable: true, writable: true, configurable: true });
    else attributes[key] = value;
  }
  return attributes;
}

/** Refuses a header row that cannot be stored (binary bytes, the wrong encoding), naming the column. */
export function assertStorableHeaders(headers: readonly string[], line: number): void {
  const bad = headers.findIndex((h) => unstorableReason(h) !== null);
  if (bad === -1) return;
  throw new CsvImportError(
    'header_mapping',
    `the header of column ${bad + 1} ${unstorableReason(headers[bad])} (a binary file, or the wrong encoding?)`,
    line,
    storableText(headers[bad]),
  );
}
