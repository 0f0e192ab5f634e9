// The import job row and its per-line issues, written by a running import over the import's
// own pg connection (the same code path serves the worker, the CLI and the benchmark).
import type { Client } from 'pg';
import type { CopyValue } from '../../database/copy-writer';
import { copyValues } from './copy-batch';
import type { ImportIssue } from '../csv';

/** A file with more problems than this keeps counting them, but stores only the first ones. */
export const MAX_STORED_ISSUES = 100_000;

export interface JobCounters {
  totalRows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  duplicates: number;
  errorRows: number;
  warningCount: number;
  bytesRead: number;
}

export interface NewImportJob {
  kind: 'customers' | 'orders';
  filename: string | null;
  dryRun: boolean;
  options: Record<string, unknown>;
  createdBy: string;
  totalBytes: number | null;
}

export class ImportRunRepository {
  private stored = 0;

  constructor(private readonly client: Client) {}

  async create(job: NewImportJob): Promise<number> {
    const { rows } = await this.client.query<{ id: number }>(
      `INSERT INTO import_jobs (kind, filename, dry_run, options, created_by, total_bytes)
       VALUES ($1::"ImportKind", $2, $3, $4, $5, $6) RETURNING id`,
      [job.kind, job.filename, job.dryRun, JSON.stringify(job.options), job.createdBy, job.totalBytes],
    );
    return rows[0].id;
  }

  /** Running, from zero: a retried job starts its counts and its issue list again. */
  async start(jobId: number): Promise<void> {
    this.stored = 0;
    await this.client.query('DELETE FROM import_issues WHERE import_job_id = $1', [jobId]);
    await this.client.query(
      `UPDATE import_jobs SET status = 'running', started_at = now(), finished_at = NULL, failure = NULL, summary = NULL,
              errors = '[]', total_rows = 0, inserted_rows = 0, updated_rows = 0, unchanged_rows = 0, duplicate_rows = 0,
              error_rows = 0, warning_count = 0, bytes_read = 0
        WHERE id = $1`,
      [jobId],
    );
  }

  async addIssues(jobId: number, errors: ImportIssue[], warnings: ImportIssue[]): Promise<void> {
    const room = MAX_STORED_ISSUES - this.stored;
    if (room <= 0 || errors.length + warnings.length === 0) return;
    const rows: CopyValue[][] = [];
    for (const [severity, issues] of [
      ['error', errors],
      ['warning', warnings],
    ] as const) {
      for (const i of issues) if (rows.length < room) rows.push([jobId, severity, i.line, i.field, i.code, i.reason, i.otherLine ?? null]);
    }
    this.stored += await copyValues(
      this.client,
      'import_issues',
      ['import_job_id', 'severity', 'line', 'field', 'code', 'reason', 'other_line'],
      rows,
    );
  }

  async progress(jobId: number, c: JobCounters): Promise<void> {
    await this.client.query(
      `UPDATE import_jobs SET total_rows = $2, inserted_rows = $3, updated_rows = $4, unchanged_rows = $5, duplicate_rows = $6,
              error_rows = $7, warning_count = $8, bytes_read = $9
        WHERE id = $1`,
      [jobId, c.totalRows, c.inserted, c.updated, c.unchanged, c.duplicates, c.errorRows, c.warningCount, c.bytesRead],
    );
  }

  /** An unexpected failure (database, network): the uploaded file stays for a retry. */
  async markFailed(jobId: number, message: string): Promise<void> {
    await this.client.query(`UPDATE import_jobs SET status = 'failed', failure = $2, finished_at = now() WHERE id = $1`, [
      jobId,
      message.slice(0, 2000),
    ]);
  }

  /** Completed or failed, with the final counts; the uploaded file is no longer needed, unless `keepFile` (a dry run to be followed by the real one). */
  async finish(
    jobId: number,
    outcome: { failure: string | null; counters: JobCounters; summary: object | null; errors: ImportIssue[] },
    keepFile = false,
  ): Promise<void> {
    await this.progress(jobId, outcome.counters);
    await this.client.query(
      `UPDATE import_jobs SET status = $2::"ImportStatus", failure = $3, summary = $4, errors = $5, finished_at = now() WHERE id = $1`,
      [
        jobId,
        outcome.failure === null ? 'completed' : 'failed',
        outcome.failure,
        outcome.summary && JSON.stringify(outcome.summary),
        JSON.stringify(outcome.errors),
      ],
    );
    if (!keepFile) await this.client.query('DELETE FROM import_chunks WHERE import_job_id = $1', [jobId]);
  }
}
