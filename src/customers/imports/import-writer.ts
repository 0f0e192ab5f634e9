// What the database side of an import does with one batch of valid rows, whatever the kind.
// A writer owns one pg connection for the whole import: each batch is COPYed into a temporary
// staging table and merged into the real tables with a few set-based statements, in one
// transaction (rolled back in a dry run, so the counts are exact and nothing changes).
import type { Client } from 'pg';
import type { ImportIssue } from '../csv';

export interface BatchResult {
  inserted: number;
  updated: number;
  /** Matched a stored row that already said the same. */
  unchanged: number;
  /** Rows left out by the database step as copies (two lines matching one customer). */
  duplicates: number;
  /** Rows (orders) left out by the database step because of an error (no such customer). */
  rejected: number;
  errors: ImportIssue[];
  warnings: ImportIssue[];
}

export interface ImportWriter<Row> {
  /** Staging tables and anything read once per import. */
  prepare(): Promise<void>;
  /** A writer of the same import on another connection, so batches can be merged side by side. */
  fork(client: Client): Promise<ImportWriter<Row>>;
  write(rows: Row[], dryRun: boolean): Promise<BatchResult>;
}

export interface WriterContext {
  /** Kept as the proof of consents set by this import (consents.proof_file). */
  filename: string;
  /** For new customers the file says nothing about. */
  defaultTimeZone: string;
  defaultLocale: string;
}

export function emptyResult(): BatchResult {
  return { inserted: 0, updated: 0, unchanged: 0, duplicates: 0, rejected: 0, errors: [], warnings: [] };
}

/** Runs `work` in a transaction that commits, or rolls back in a dry run (and on any error). */
export async function inBatchTransaction<T>(client: Client, dryRun: boolean, work: () => Promise<T>): Promise<T> {
  // A batch's commit need not wait for its WAL flush: the import's final job update commits
  // synchronously, which flushes every batch before it, and a crash before that leaves the job
  // unfinished, to be run again (imports are idempotent).
  await client.query('BEGIN; SET LOCAL synchronous_commit TO off');
  try {
    const result = await work();
    await client.query(dryRun ? 'ROLLBACK' : 'COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** COUNT(*) results come back from pg as strings. */
export function counts<K extends string>(row: Record<K, string | number>): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const key of Object.keys(row) as K[]) out[key] = Number(row[key]);
  return out;
}
