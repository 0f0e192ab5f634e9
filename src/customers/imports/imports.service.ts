// CSV imports through the API and the admin UI: the upload is stored in the database in 1 MB
// pieces (any worker, on any machine, can read it back), a job on the maintenance queue runs it,
// and the import job row reports progress, counts and the per-line issues while it runs. The
// admin UI stores the file first as a 'pending' import, previews it and maps its columns, then
// starts it; its dry runs keep the file, so the real import that follows needs no second upload.
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { byteSize } from '../../common/byte-size';
import { DomainError } from '../../common/domain-error';
import type { AppConfig } from '../../config/config.module';
import type { ImportIssueSeverity, ImportKind, ImportStatus } from '../../generated/prisma/enums';
import { JobName } from '../../queue/job-catalogue';
import { JobHandlerRegistry, type JobMeta } from '../../queue/job-handlers';
import { JobQueue } from '../../queue/job-queue';
import type { ImportUploadQuery } from '../dto/import.dto';
import { keysetPage } from '../keyset-page';
import { phoneRegion } from '../contact-normalise';
import { mappingOf, mappingProblems, previewCsv, type MappingProblem } from '../csv';
import { pgConnector, runImport } from './import-pipeline';
import { ImportsRepository } from './imports.repository';

const CHUNK_BYTES = 1 << 20;
/** A pending upload, or the kept file of a dry run, nobody went on with for this long is deleted (at the next upload). */
const ABANDONED_MS = 24 * 3600_000;

type StoredOptions = Pick<ImportUploadQuery, 'encoding' | 'delimiter' | 'mapping'> & { keepFile?: boolean };

/** How the admin UI reads a stored file: detected, or the encoding and delimiter the user chose. */
export interface ReadChoice {
  encoding?: string;
  delimiter?: string;
}

@Injectable()
export class ImportsService implements OnModuleInit {
  private readonly logger = new Logger(ImportsService.name);

  constructor(
    private readonly imports: ImportsRepository,
    private readonly queue: JobQueue,
    private readonly registry: JobHandlerRegistry,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register(JobName.ImportRun, ({ importJobId }, meta) => this.run(importJobId, meta));
  }

  /** Uploads larger than this are refused with 413 (IMPORT_MAX_UPLOAD_MB); the CLI has no limit. */
  get maxUploadBytes(): number {
    return this.config.get('IMPORT_MAX_UPLOAD_MB', { infer: true }) * (1 << 20);
  }

  private tooLarge(): DomainError {
    return new DomainError(
      'payload_too_large',
      `The file is larger than the upload limit of ${byteSize(this.maxUploadBytes)}; import it with the CLI (npm run customers:import)`,
    );
  }

  /**
   * Stores the uploaded file and queues its import; returns the job to poll. `declaredBytes`
   * (Content-Length) over the limit is refused before anything is read or stored; a body
   * without one is counted as it streams.
   */
  async upload(kind: ImportKind, body: AsyncIterable<Uint8Array>, query: ImportUploadQuery, createdBy: string, declaredBytes?: number) {
    const options: StoredOptions = { encoding: query.encoding, delimiter: query.delimiter, mapping: query.mapping };
    const filename = query.filename ?? `upload-${new Date().toISOString().replace(/[:.]/g, '-')}.csv`;
    const id = await this.store(kind, body, { filename, dryRun: query.dryRun, options, createdBy, status: 'queued' }, declaredBytes);
    await this.queue.enqueue({ name: JobName.ImportRun, data: { importJobId: id } }, { jobId: `import-${id}` });
    return this.status(id);
  }

  /**
   * Stores a file uploaded through the admin UI without queueing it: a 'pending' import that
   * waits for its column mapping (preview, then start). Uploads abandoned a day ago go first.
   */
  async stage(kind: ImportKind, body: AsyncIterable<Uint8Array>, filename: string, createdBy: string, declaredBytes?: number) {
    await this.imports.pruneAbandoned(new Date(Date.now() - ABANDONED_MS));
    return { id: await this.store(kind, body, { filename, dryRun: false, options: {}, createdBy, status: 'pending' }, declaredBytes) };
  }

  /** The job row and the file in 1 MB chunks; nothing is left behind when the body is refused. */
  private async store(
    kind: ImportKind,
    body: AsyncIterable<Uint8Array>,
    data: { filename: string; dryRun: boolean; options: StoredOptions; createdBy: string; status: ImportStatus },
    declaredBytes?: number,
  ): Promise<number> {
    const maxBytes = this.maxUploadBytes;
    if (declaredBytes !== undefined && declaredBytes > maxBytes) throw this.tooLarge();
    const job = await this.imports.create({ kind, ...data });
    let size = 0;
    try {
      let seq = 0;
      let pending: Buffer[] = [];
      let pendingSize = 0;
      const flush = async () => {
        await this.imports.addChunk(job.id, seq++, Buffer.concat(pending, pendingSize));
        pending = [];
        pendingSize = 0;
      };
      for await (const piece of body) {
        const bytes = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
        size += bytes.length;
        if (size > maxBytes) throw this.tooLarge();
        pending.push(bytes);
        pendingSize += bytes.length;
        if (pendingSize >= CHUNK_BYTES) await flush();
      }
      if (pendingSize > 0) await flush();
      if (size === 0) throw DomainError.validation([{ path: '(body)', message: 'the file is empty; send it as the request body' }]);
    } catch (error) {
      await this.imports.delete(job.id);
      throw error;
    }
    await this.imports.setTotalBytes(job.id, size);
    return job.id;
  }

  /**
   * The stored file's encoding, delimiter, header and first rows as the import will read them,
   * with the target each column gets by its header. Throws CsvImportError for a file that cannot
   * be read at all (no header, a binary header).
   */
  async preview(id: number, read: ReadChoice = {}, rows = 5) {
    const job = await this.imports.get(id);
    if (!job) throw DomainError.notFound('Import', id);
    if (!(await this.imports.hasFile(id))) throw new DomainError('invalid_state', `Import ${id} keeps no file to read`);
    return previewCsv(job.kind, this.chunks(id), read, rows);
  }

  /**
   * Starts a pending import with the targets chosen per column (as the preview lists the
   * columns); nothing starts and the problems are returned when the mapping cannot work.
   */
  async start(id: number, choice: ReadChoice & { targets: string[]; dryRun: boolean }): Promise<{ problems: MappingProblem[] }> {
    const job = await this.imports.get(id);
    if (!job) throw DomainError.notFound('Import', id);
    if (job.status !== 'pending') throw new DomainError('invalid_state', `Import ${id} was started already`);
    const read: ReadChoice = { encoding: choice.encoding, delimiter: choice.delimiter };
    const { headers } = await previewCsv(job.kind, this.chunks(id), read, 1);
    const problems = mappingProblems(job.kind, headers, choice.targets);
    if (problems.length > 0) return { problems };
    const options: StoredOptions = { ...read, mapping: mappingOf(headers, choice.targets), ...(choice.dryRun ? { keepFile: true } : {}) };
    if (!(await this.imports.queuePending(id, { dryRun: choice.dryRun, options }))) {
      throw new DomainError('invalid_state', `Import ${id} was started already`);
    }
    await this.queue.enqueue({ name: JobName.ImportRun, data: { importJobId: id } }, { jobId: `import-${id}` });
    return { problems: [] };
  }

  /** After a dry run that kept its file: the real import, same file and settings, as a new job. */
  async importForReal(dryRunId: number, createdBy: string): Promise<{ id: number }> {
    const job = await this.imports.get(dryRunId);
    if (!job) throw DomainError.notFound('Import', dryRunId);
    if (!job.dryRun || (job.status !== 'completed' && job.status !== 'failed'))
      throw new DomainError('invalid_state', `Import ${dryRunId} is not a finished dry run`);
    const { keepFile: _keepFile, ...options } = job.options as StoredOptions;
    const created = await this.imports.createWithFileOf(dryRunId, {
      kind: job.kind,
      filename: job.filename,
      dryRun: false,
      options,
      createdBy,
      totalBytes: job.totalBytes,
    });
    if (!created) throw new DomainError('invalid_state', `The file of import ${dryRunId} is no longer kept; upload it again`);
    await this.queue.enqueue({ name: JobName.ImportRun, data: { importJobId: created.id } }, { jobId: `import-${created.id}` });
    return created;
  }

  /** Drops a pending import and its file (an upload that turned out not to be a readable CSV). */
  discardPending(id: number): Promise<void> {
    return this.imports.deletePending(id);
  }

  /** Whether the import still holds its uploaded file (pending, running, or a dry run that kept it). */
  hasFile(id: number): Promise<boolean> {
    return this.imports.hasFile(id);
  }

  /** The queued job: reads the stored file back piece by piece and runs the import. */
  async run(importJobId: number, meta: JobMeta) {
    const job = await this.imports.get(importJobId);
    if (!job || job.status === 'completed') return { skipped: true };
    const stored = job.options as StoredOptions;
    try {
      const result = await runImport(pgConnector(this.config.get('DATABASE_URL', { infer: true })), {
        kind: job.kind,
        jobId: job.id,
        input: this.chunks(job.id),
        dryRun: job.dryRun,
        filename: job.filename ?? `import-${job.id}.csv`,
        read: {
          encoding: stored.encoding,
          delimiter: stored.delimiter,
          mapping: stored.mapping,
          totalBytes: job.totalBytes === null ? undefined : Number(job.totalBytes),
          defaultPhoneRegion: phoneRegion(this.config.get('DEFAULT_PHONE_REGION', { infer: true })),
          timeZone: this.config.get('DEFAULT_TIME_ZONE', { infer: true }),
        },
        defaults: {
          timeZone: this.config.get('DEFAULT_TIME_ZONE', { infer: true }),
          locale: this.config.get('DEFAULT_LOCALE', { infer: true }),
        },
        onWait: () => this.logger.log({ msg: 'import waits for another import to finish', importJobId }),
        keepFile: job.dryRun && stored.keepFile === true,
      });
      this.logger.log({ msg: 'import finished', importJobId, status: result.status, ...result.counters });
      return { status: result.status, ...result.counters };
    } catch (error) {
      if (meta.isLastAttempt) await this.imports.deleteChunks(importJobId);
      throw error;
    }
  }

  private async *chunks(importJobId: number): AsyncGenerator<Uint8Array> {
    for (let seq = 0; ; seq++) {
      const data = await this.imports.chunk(importJobId, seq);
      if (data === null) return;
      yield data;
    }
  }

  async status(id: number) {
    const job = await this.imports.get(id);
    if (!job) throw DomainError.notFound('Import', id);
    const {
      errors,
      summary,
      totalRows,
      insertedRows,
      updatedRows,
      unchangedRows,
      duplicateRows,
      errorRows,
      warningCount,
      bytesRead,
      totalBytes,
      ...rest
    } = job;
    const total = totalBytes === null ? null : Number(totalBytes);
    return {
      ...rest,
      progress: {
        bytesRead: Number(bytesRead),
        totalBytes: total,
        percent: job.status === 'completed' ? 100 : total ? Math.min(99, Math.floor((Number(bytesRead) / total) * 100)) : null,
        rows: totalRows,
      },
      counts: {
        rows: totalRows,
        inserted: insertedRows,
        updated: updatedRows,
        unchanged: unchangedRows,
        duplicates: duplicateRows,
        rejected: errorRows,
        warnings: warningCount,
      },
      summary,
      errors,
    };
  }

  async list(filter: { kind?: ImportKind; before?: number; limit: number }) {
    const items = await this.imports.list(filter);
    return keysetPage(items, filter.limit);
  }

  async issues(id: number, filter: { severity?: ImportIssueSeverity; after?: bigint; limit: number }) {
    if (!(await this.imports.get(id))) throw DomainError.notFound('Import', id);
    const items = await this.imports.issues(id, filter);
    return keysetPage(items, filter.limit);
  }
}
