import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service';
import type { Prisma } from '../../generated/prisma/client';
import type { ImportIssueSeverity, ImportKind, ImportStatus } from '../../generated/prisma/enums';

@Injectable()
export class ImportsRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(data: {
    kind: ImportKind;
    filename: string;
    dryRun: boolean;
    options: Prisma.InputJsonObject;
    createdBy: string;
    status?: ImportStatus;
  }) {
    return this.prisma.importJob.create({ data, select: { id: true } });
  }

  /** A pending import becomes queued with its options; false when it was not pending (started already). */
  async queuePending(id: number, data: { dryRun: boolean; options: Prisma.InputJsonObject }): Promise<boolean> {
    const { count } = await this.prisma.importJob.updateMany({ where: { id, status: 'pending' }, data: { ...data, status: 'queued' } });
    return count === 1;
  }

  async hasFile(importJobId: number): Promise<boolean> {
    return (await this.prisma.importChunk.findFirst({ where: { importJobId }, select: { seq: true } })) !== null;
  }

  /**
   * A new import that takes over the stored file of `from` (its chunks move, no bytes are copied);
   * null when `from` holds no file any more (taken by an earlier call, or pruned).
   */
  createWithFileOf(
    from: number,
    data: {
      kind: ImportKind;
      filename: string | null;
      dryRun: boolean;
      options: Prisma.InputJsonObject;
      createdBy: string;
      totalBytes: bigint | null;
    },
  ): Promise<{ id: number } | null> {
    return this.prisma
      .$transaction(async (tx) => {
        const job = await tx.importJob.create({ data, select: { id: true } });
        const { count } = await tx.importChunk.updateMany({ where: { importJobId: from }, data: { importJobId: job.id } });
        if (count === 0) throw new NoFile();
        return job;
      })
      .catch((error: unknown) => {
        if (error instanceof NoFile) return null;
        throw error;
      });
  }

  /** Uploads nobody went on with: pending imports, and the kept files of dry runs, older than `before`. */
  async pruneAbandoned(before: Date): Promise<void> {
    await this.prisma.importJob.deleteMany({ where: { status: 'pending', createdAt: { lt: before } } });
    await this.prisma.importChunk.deleteMany({
      where: { importJob: { dryRun: true, status: { in: ['completed', 'failed'] }, finishedAt: { lt: before } } },
    });
  }

  async addChunk(importJobId: number, seq: number, data: Uint8Array<ArrayBuffer>): Promise<void> {
    await this.prisma.importChunk.create({ data: { importJobId, seq, data } });
  }

  async chunk(importJobId: number, seq: number): Promise<Uint8Array | null> {
    const row = await this.prisma.importChunk.findUnique({ where: { importJobId_seq: { importJobId, seq } }, select: { data: true } });
    return row?.data ?? null;
  }

  async setTotalBytes(id: number, totalBytes: number): Promise<void> {
    await this.prisma.importJob.update({ where: { id }, data: { totalBytes } });
  }

  async deleteChunks(importJobId: number): Promise<void> {
    await this.prisma.importChunk.deleteMany({ where: { importJobId } });
  }

  /** A pending import and its file (an upload the admin UI refused after reading it). */
  async deletePending(id: number): Promise<void> {
    await this.prisma.importJob.deleteMany({ where: { id, status: 'pending' } });
  }

  async delete(id: number): Promise<void> {
    await this.prisma.importJob.deleteMany({ where: { id } });
  }

  get(id: number) {
    return this.prisma.importJob.findUnique({ where: { id } });
  }

  list(filter: { kind?: ImportKind; before?: number; limit: number }) {
    return this.prisma.importJob.findMany({
      where: { kind: filter.kind, id: filter.before !== undefined ? { lt: filter.before } : undefined },
      orderBy: { id: 'desc' },
      take: filter.limit,
      omit: { errors: true, summary: true },
    });
  }

  /** In line order; `after` is the id of the last issue of the previous page. */
  issues(importJobId: number, filter: { severity?: ImportIssueSeverity; after?: bigint; limit: number }) {
    return this.prisma.importIssue.findMany({
      where: { importJobId, severity: filter.severity, id: filter.after !== undefined ? { gt: filter.after } : undefined },
      orderBy: { id: 'asc' },
      take: filter.limit,
      omit: { importJobId: true },
    });
  }
}

/** Rolls back the transaction of createWithFileOf when there is no file to take. */
class NoFile extends Error {}
