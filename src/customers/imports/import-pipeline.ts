// One import from bytes to tables: the pure CSV reader turns the stream into batches of valid
// rows (bad lines become issues), writers merge each batch in its own transaction, and the job
// row follows along (counts, bytes read, issues by line).
//
// Two writers, each on its own connection, merge batches side by side while the next batch is
// parsed, so both cores of a small machine work: the database's share of a row costs several
// times the parsing. Matching never depends on another batch of the same file (see the
// customer writer), so the order in which batches commit does not change the result; issues
// and progress are recorded in file order. Memory stays flat: two batches in the database, one
// being read, and the reader's compact dedupe index.
//
// No Nest: the worker (uploaded files), the CLI and the benchmark all call runImport.
import { Client } from 'pg';
import {
  CsvImportError,
  readCustomerCsv,
  readOrderCsv,
  type CsvInput,
  type ImportBatch,
  type ImportIssue,
  type ImportOptions,
  type ImportSummary,
} from '../csv';
import { CustomerImportWriter } from './customer-import.writer';
import { withImportLock } from './import-lock';
import { ImportRunRepository, type JobCounters } from './import-run.repository';
import type { BatchResult, ImportWriter } from './import-writer';
import { OrderImportWriter } from './order-import.writer';

export const DEFAULT_IMPORT_BATCH = 5000;
export const DEFAULT_WRITERS = 2;
const ERROR_SAMPLE = 100;
/** deadlock_detected, serialization_failure: the batch was rolled back whole and can simply run again. */
const RETRYABLE = new Set(['40P01', '40001']);

export interface ImportRequest {
  kind: 'customers' | 'orders';
  jobId: number;
  input: CsvInput;
  dryRun: boolean;
  /** Shown in reports and kept as the proof of consents the file sets. */
  filename: string;
  /** Encoding, delimiter, mapping, phone region, time zone, batch size, total bytes. */
  read: ImportOptions;
  defaults: { timeZone: string; locale: string };
  /** Connections merging batches side by side (default 2). */
  writers?: number;
  /** Called after every batch. */
  onProgress?: (counters: JobCounters, totalBytes: number | null) => void;
  /** Called when another import holds the lock and this one waits. */
  onWait?: () => void;
  /** Keep the stored upload when done (an admin UI dry run, so the real import needs no second upload). */
  keepFile?: boolean;
}

export interface ImportResult {
  status: 'completed' | 'failed';
  /** Why the file could not be read (bad header, unknown encoding...), with its line. */
  failure: string | null;
  counters: JobCounters;
  /** Encoding, delimiter, columns and line counts; null when the file could not be read. */
  summary: (Omit<ImportSummary, 'errors' | 'warnings'> & { dryRun: boolean }) | null;
  /** The first errors, by line. All of them are in import_issues. */
  errors: ImportIssue[];
}

/** Opens a connection; the pipeline closes what it opens. */
export type Connect = () => Promise<Client>;

export function pgConnector(connectionString: string): Connect {
  return async () => {
    const client = new Client({ connectionString });
    await client.connect();
    return client;
  };
}

export async function runImport(connect: Connect, request: ImportRequest): Promise<ImportResult> {
  const control = await connect();
  const writerClients: Client[] = [];
  try {
    const jobs = new ImportRunRepository(control);
    await jobs.start(request.jobId);
    return await withImportLock(control, request.onWait ?? (() => undefined), async () => {
      const writers: ImportWriter<unknown>[] = [];
      for (let i = 0; i < Math.max(1, request.writers ?? DEFAULT_WRITERS); i++) {
        const client = await connect();
        writerClients.push(client);
        // Times are stored as UTC without a zone, as Prisma does. JIT off: the planner cannot size
        // the staging tables and would spend most of a second compiling each batch's statements.
        await client.query("SET TIME ZONE 'UTC'; SET jit = off");
        writers.push(i === 0 ? await firstWriter(client, request) : await writers[0].fork(client));
      }
      return importFile(jobs, writers, request);
    });
  } finally {
    for (const client of writerClients) await client.end().catch(() => undefined);
    await control.end().catch(() => undefined);
  }
}

async function firstWriter(client: Client, request: ImportRequest): Promise<ImportWriter<unknown>> {
  const writer: ImportWriter<unknown> =
    request.kind === 'customers'
      ? new CustomerImportWriter(client, {
          filename: request.filename,
          defaultTimeZone: request.defaults.timeZone,
          defaultLocale: request.defaults.locale,
        })
      : new OrderImportWriter(client);
  await writer.prepare();
  return writer;
}

async function importFile(jobs: ImportRunRepository, writers: ImportWriter<unknown>[], request: ImportRequest): Promise<ImportResult> {
  const options: ImportOptions = { batchSize: DEFAULT_IMPORT_BATCH, ...request.read };
  const reader = request.kind === 'customers' ? readCustomerCsv(request.input, options) : readOrderCsv(request.input, options);
  const counters: JobCounters = {
    totalRows: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    duplicates: 0,
    errorRows: 0,
    warningCount: 0,
    bytesRead: 0,
  };
  const errorSample: ImportIssue[] = [];
  const totalBytes = options.totalBytes ?? null;
  const pool = new WriterPool(writers);

  /** Counts and issues of one batch, recorded in file order on the control connection. */
  const record = async (batch: Omit<ImportBatch<unknown>, 'rows'>, result: BatchResult) => {
    const errors = batch.errors.concat(result.errors);
    const warnings = batch.warnings.concat(result.warnings);
    counters.inserted += result.inserted;
    counters.updated += result.updated;
    counters.unchanged += result.unchanged;
    counters.duplicates += result.duplicates;
    counters.errorRows += result.rejected;
    counters.warningCount += warnings.length;
    counters.totalRows = batch.progress.linesRead;
    counters.bytesRead = batch.progress.bytesRead;
    for (const e of errors) if (errorSample.length < ERROR_SAMPLE) errorSample.push(e);
    await jobs.addIssues(request.jobId, errors, warnings);
    await jobs.progress(request.jobId, counters);
    request.onProgress?.(counters, totalBytes);
  };

  const inFlight = new Set<Promise<unknown>>();
  let recorded: Promise<void> = Promise.resolve();
  const first: { failure: { error: unknown } | null } = { failure: null }; // the first batch that failed
  try {
    for await (const batch of reader) {
      if (first.failure) throw first.failure.error;
      const writer = await pool.acquire(); // at most one batch per writer in the database; the next is read meanwhile
      const { rows, ...issues } = batch; // the rows are let go once written
      const written = writeWithRetry(writer, rows, request.dryRun).finally(() => pool.release(writer));
      recorded = recorded.then(async () => record(issues, await written));
      const tracked = recorded.catch((error: unknown) => {
        first.failure ??= { error };
      });
      inFlight.add(tracked);
      void tracked.finally(() => inFlight.delete(tracked));
    }
    await recorded;
  } catch (error) {
    await Promise.allSettled([...inFlight]); // every connection idle before the job row is written or they close
    const cause = first.failure?.error ?? error;
    if (!(cause instanceof CsvImportError)) {
      // The file is kept: a retry (the job's next attempt, or the CLI run again) starts over.
      await jobs.markFailed(request.jobId, cause instanceof Error ? cause.message : String(cause)).catch(() => undefined);
      throw cause;
    }
    const failure = cause.line !== undefined ? `line ${cause.line}: ${cause.message}` : cause.message;
    const outcome = { failure, counters, summary: null, errors: sortByLine(errorSample) };
    await jobs.finish(request.jobId, outcome, request.keepFile);
    return { status: 'failed', ...outcome };
  }

  const { errors: _errors, warnings: _warnings, ...summary } = reader.summary;
  counters.totalRows = summary.dataLines;
  counters.duplicates += summary.duplicates;
  counters.errorRows += summary.rejected;
  counters.bytesRead = summary.bytesRead;
  const outcome = { failure: null, counters, summary: { ...summary, dryRun: request.dryRun }, errors: sortByLine(errorSample) };
  await jobs.finish(request.jobId, outcome, request.keepFile);
  return { status: 'completed', ...outcome };
}

async function writeWithRetry(writer: ImportWriter<unknown>, rows: unknown[], dryRun: boolean): Promise<BatchResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await writer.write(rows, dryRun);
    } catch (error) {
      if (attempt >= 3 || !RETRYABLE.has((error as { code?: string }).code ?? '')) throw error;
    }
  }
}

/** Hands out idle writers; a caller waits when all are busy. */
class WriterPool {
  private readonly idle: ImportWriter<unknown>[];
  private readonly waiting: ((writer: ImportWriter<unknown>) => void)[] = [];

  constructor(writers: ImportWriter<unknown>[]) {
    this.idle = [...writers];
  }

  acquire(): Promise<ImportWriter<unknown>> {
    const writer = this.idle.pop();
    return writer ? Promise.resolve(writer) : new Promise((resolve) => this.waiting.push(resolve));
  }

  release(writer: ImportWriter<unknown>): void {
    const next = this.waiting.shift();
    if (next) next(writer);
    else this.idle.push(writer);
  }
}

function sortByLine(issues: ImportIssue[]): ImportIssue[] {
  return [...issues].sort((a, b) => a.line - b.line);
}
