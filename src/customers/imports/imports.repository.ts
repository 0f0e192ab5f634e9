import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service';
import type { Prisma } from '../../generated/prisma/client';
import type { ImportIssueSeverity, ImportKind } from '../../generated/prisma/enums';

@Injectable()
export class ImportsRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(data: { kind: ImportKind; filename: string; dryRun: boolean; options: Prisma.InputJsonObject; createdBy: string }) {
    return this.prisma.importJob.create({ data, select: { id: true } });
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
