// CSV imports through the API: the upload is stored in the database in 1 MB pieces (any
// worker, on any machine, can read it back), a job on the maintenance queue runs it, and the
// import job row reports progress, counts and the per-line issues while it runs.
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { byteSize } from '../../common/byte-size';
import { DomainError } from '../../common/domain-error';
import type { AppConfig } from '../../config/config.module';
import type { ImportIssueSeverity, ImportKind } from '../../generated/prisma/enums';
import { JobName } from '../../queue/job-catalogue';
import { JobHandlerRegistry, type JobMeta } from '../../queue/job-handlers';
import { JobQueue } from '../../queue/job-queue';
import type { ImportUploadQuery } from '../dto/import.dto';
import { keysetPage } from '../keyset-page';
import { phoneRegion } from '../contact-normalise';
import { pgConnector, runImport } from './import-pipeline';
import { ImportsRepository } from './imports.repository';

const CHUNK_BYTES = 1 << 20;

type StoredOptions = Pick<ImportUploadQuery, 'encoding' | 'delimiter' | 'mapping'>;

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
    const maxBytes = this.maxUploadBytes;
    if (declaredBytes !== undefined && declaredBytes > maxBytes) throw this.tooLarge();
    const options: StoredOptions = { encoding: query.encoding, delimiter: query.delimiter, mapping: query.mapping };
    const filename = query.filename ?? `upload-${new Date().toISOString().replace(/[:.]/g, '-')}.csv`;
    const job = await this.imports.create({ kind, filename, dryRun: query.dryRun, options: options, createdBy });
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
    await this.queue.enqueue({ name: JobName.ImportRun, data: { importJobId: job.id } }, { jobId: `import-${job.id}` });
    return this.status(job.id);
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
