// The documents tables: documents, their versions, the content store (bytes once per sha256)
// and the run record (which version each campaign run sent). Nothing else writes them.
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { DocumentKind } from '../generated/prisma/enums';

export interface NewFile {
  filename: string;
  contentType: string;
  data: Buffer;
  sha256: string;
}

const DOCUMENT_VIEW = {
  id: true,
  kind: true,
  name: true,
  latestVersion: true,
  filename: true,
  contentType: true,
  size: true,
  sha256: true,
  createdAt: true,
  updatedAt: true,
} as const;

const VERSION_VIEW = { number: true, filename: true, contentType: true, size: true, sha256: true, createdAt: true } as const;

/** A document's version as a campaign run uses it. */
export interface VersionRef {
  documentId: number;
  name: string;
  versionId: number;
  number: number;
}

@Injectable()
export class DocumentsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** A new document with its first version; the bytes are stored only if no content has them yet. */
  create(document: { kind: DocumentKind; name: string }, file: NewFile) {
    return this.prisma.$transaction(async (tx) => {
      const contentId = await storedContentId(tx, file);
      const created = await tx.document.create({
        data: {
          kind: document.kind,
          name: document.name,
          latestVersion: 1,
          filename: file.filename,
          contentType: file.contentType,
          size: file.data.length,
          sha256: file.sha256,
          versions: {
            create: {
              number: 1,
              filename: file.filename,
              contentType: file.contentType,
              size: file.data.length,
              sha256: file.sha256,
              contentId,
            },
          },
        },
        select: DOCUMENT_VIEW,
      });
      return created;
    });
  }

  /**
   * The next version of a document. The row lock on the document orders two uploads at once, so
   * their numbers differ. A file identical to the latest version (bytes, name and type) is not
   * a new version: the latest is returned with `created: false`.
   */
  addVersion(documentId: number, file: NewFile) {
    return this.prisma.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<Array<{ latest_version: number; filename: string; content_type: string; sha256: string }>>`
        SELECT latest_version, filename, content_type, sha256 FROM documents WHERE id = ${documentId} FOR UPDATE`;
      const current = locked[0];
      if (!current) return null;
      if (current.sha256 === file.sha256 && current.filename === file.filename && current.content_type === file.contentType) {
        const latest = await tx.documentVersion.findUniqueOrThrow({
          where: { documentId_number: { documentId, number: current.latest_version } },
          select: VERSION_VIEW,
        });
        return { created: false, version: latest };
      }
      const contentId = await storedContentId(tx, file);
      const number = current.latest_version + 1;
      const version = await tx.documentVersion.create({
        data: {
          documentId,
          number,
          filename: file.filename,
          contentType: file.contentType,
          size: file.data.length,
          sha256: file.sha256,
          contentId,
        },
        select: VERSION_VIEW,
      });
      await tx.document.update({
        where: { id: documentId },
        data: {
          latestVersion: number,
          filename: file.filename,
          contentType: file.contentType,
          size: file.data.length,
          sha256: file.sha256,
        },
      });
      return { created: true, version };
    });
  }

  get(id: number) {
    return this.prisma.document.findUnique({
      where: { id },
      select: { ...DOCUMENT_VIEW, versions: { select: VERSION_VIEW, orderBy: { number: 'asc' } } },
    });
  }

  list(filter: { kind?: DocumentKind; after?: number; limit: number }) {
    return this.prisma.document.findMany({
      where: { kind: filter.kind, id: filter.after !== undefined ? { gt: filter.after } : undefined },
      orderBy: { id: 'asc' },
      take: filter.limit,
      select: DOCUMENT_VIEW,
    });
  }

  async versionContent(documentId: number, number: number) {
    return this.prisma.documentVersion.findUnique({
      where: { documentId_number: { documentId, number } },
      select: { filename: true, contentType: true, content: { select: { data: true } } },
    });
  }

  kinds(ids: number[]) {
    return this.prisma.document.findMany({ where: { id: { in: ids } }, select: { id: true, kind: true, name: true } });
  }

  /** The latest version of each document. */
  async latestVersions(documentIds: number[]): Promise<VersionRef[]> {
    const rows = await this.prisma.$queryRaw<Array<{ document_id: number; name: string; version_id: number; number: number }>>`
      SELECT d.id AS document_id, d.name, v.id AS version_id, v.number
        FROM documents d JOIN document_versions v ON v.document_id = d.id AND v.number = d.latest_version
       WHERE d.id = ANY(${documentIds}::int[])`;
    return rows.map((r) => ({ documentId: r.document_id, name: r.name, versionId: r.version_id, number: r.number }));
  }

  /** For each document, the version the latest earlier run of the campaign recorded, with that run. */
  async previousRunVersions(campaignId: number, runId: number, documentIds: number[]) {
    const rows = await this.prisma.$queryRaw<Array<{ document_id: number; run_id: number; number: number }>>`
      SELECT DISTINCT ON (rd.document_id) rd.document_id, rd.run_id, v.number
        FROM campaign_run_documents rd
        JOIN campaign_runs r ON r.id = rd.run_id
        JOIN document_versions v ON v.id = rd.version_id
       WHERE r.campaign_id = ${campaignId} AND rd.run_id < ${runId} AND rd.document_id = ANY(${documentIds}::int[])
       ORDER BY rd.document_id, rd.run_id DESC`;
    return new Map(rows.map((r) => [r.document_id, { runId: r.run_id, number: r.number }]));
  }

  /** Records the versions a run sends; a record already there stays (a prepare step run twice). */
  async recordRun(runId: number, rows: Array<{ documentId: number; versionId: number; warning: string | null }>): Promise<void> {
    if (!rows.length) return;
    await this.prisma.runDocument.createMany({
      data: rows.map((r) => ({ runId, documentId: r.documentId, versionId: r.versionId, warning: r.warning })),
      skipDuplicates: true,
    });
  }

  /** What a run recorded: each document and the version it sends. */
  runRecord(runId: number) {
    return this.prisma.runDocument.findMany({
      where: { runId },
      orderBy: { documentId: 'asc' },
      select: {
        documentId: true,
        warning: true,
        document: { select: { name: true } },
        version: { select: { id: true, number: true, filename: true, contentType: true, size: true, sha256: true } },
      },
    });
  }

  /** The files to attach: a run's recorded version of each document, else the document's latest. */
  async files(runId: number | null, documentIds: number[]) {
    const rows = await this.prisma.$queryRaw<Array<{ document_id: number; filename: string; content_type: string; data: Uint8Array }>>`
      SELECT d.id AS document_id, v.filename, v.content_type, c.data
        FROM documents d
        LEFT JOIN campaign_run_documents rd ON rd.document_id = d.id AND rd.run_id = ${runId}
        JOIN document_versions v ON v.id = COALESCE(rd.version_id,
               (SELECT lv.id FROM document_versions lv WHERE lv.document_id = d.id AND lv.number = d.latest_version))
        JOIN document_contents c ON c.id = v.content_id
       WHERE d.id = ANY(${documentIds}::int[])`;
    const byId = new Map(rows.map((r) => [r.document_id, r]));
    return documentIds.flatMap((id) => {
      const row = byId.get(id);
      return row ? [{ documentId: id, filename: row.filename, contentType: row.content_type, data: Buffer.from(row.data) }] : [];
    });
  }
}

/**
 * The `document_contents` row holding these bytes, inserted if none does: the one content store
 * of documents and images (images.repository.ts), so the same bytes are stored once.
 */
export async function storedContentId(tx: Pick<PrismaService, '$queryRaw'>, file: { sha256: string; data: Buffer }): Promise<number> {
  // One statement that inserts or finds: two uploads of the same bytes at once share one row.
  const rows = await tx.$queryRaw<Array<{ id: number }>>`
    WITH inserted AS (
      INSERT INTO document_contents (sha256, size, data) VALUES (${file.sha256}, ${file.data.length}, ${file.data})
      ON CONFLICT (sha256) DO NOTHING RETURNING id)
    SELECT id FROM inserted UNION ALL SELECT id FROM document_contents WHERE sha256 = ${file.sha256} LIMIT 1`;
  if (rows[0]) return rows[0].id;
  // The same bytes committed by another upload while this statement waited: its snapshot
  // could not see them, the next statement does.
  const again = await tx.$queryRaw<Array<{ id: number }>>`SELECT id FROM document_contents WHERE sha256 = ${file.sha256}`;
  return again[0].id;
}
