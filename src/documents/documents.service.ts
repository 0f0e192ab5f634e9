// Documents: files with numbered versions (a price list uploaded anew each month). Campaigns
// name documents; each run fixes the version it sends when it starts (resolveRun) and the send
// path attaches exactly that version (filesFor).
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError, type FieldIssue } from '../common/domain-error';
import type { DocumentKind, UnchangedDocumentPolicy } from '../generated/prisma/enums';
import { DocumentsRepository, type NewFile } from './documents.repository';
import { decideRunDocuments } from './unchanged-documents';

export interface UploadedFile {
  filename: string;
  contentType: string;
  data: Buffer;
}

@Injectable()
export class DocumentsService {
  constructor(private readonly documents: DocumentsRepository) {}

  /** A new document whose version 1 is the file; named after the file unless a name is given. */
  create(input: { kind: DocumentKind; name?: string }, file: UploadedFile) {
    return this.documents.create({ kind: input.kind, name: input.name ?? file.filename }, withHash(file));
  }

  /**
   * The next version. The same bytes under another name (or type) are a new version under that
   * name, the bytes still stored once; the very same file as the latest version is not.
   */
  async addVersion(documentId: number, file: UploadedFile) {
    const document = await this.documents.get(documentId);
    if (!document) throw DomainError.notFound('Document', documentId);
    if (document.kind === 'image' && !file.contentType.startsWith('image/'))
      throw DomainError.validation([{ path: 'contentType', message: 'an image document takes an image/* type such as image/png' }]);
    const added = await this.documents.addVersion(documentId, withHash(file));
    if (!added) throw DomainError.notFound('Document', documentId);
    return { documentId, ...added };
  }

  /** POST /attachments as before documents: a one-version attachment document. */
  async storeAttachment(file: UploadedFile) {
    const document = await this.create({ kind: 'attachment' }, file);
    return {
      id: document.id,
      filename: document.filename,
      contentType: document.contentType,
      size: document.size,
      sha256: document.sha256,
    };
  }

  async get(id: number) {
    const document = await this.documents.get(id);
    if (!document) throw DomainError.notFound('Document', id);
    return document;
  }

  list(filter: { kind?: DocumentKind; after?: number; limit: number }) {
    return this.documents.list(filter);
  }

  async content(id: number, number: number) {
    const version = await this.documents.versionContent(id, number);
    if (!version) throw new DomainError('not_found', `Document ${id} has no version ${number}`);
    return { filename: version.filename, contentType: version.contentType, data: Buffer.from(version.content.data) };
  }

  /**
   * Problems with the documents a campaign attaches, each under its field path: unknown ids,
   * documents of another kind, the same document twice.
   */
  async attachmentProblems(ids: Array<{ documentId: number; path: string }>): Promise<FieldIssue[]> {
    const found = new Map((await this.documents.kinds(ids.map((i) => i.documentId))).map((d) => [d.id, d]));
    const seen = new Set<number>();
    const issues: FieldIssue[] = [];
    for (const { documentId, path } of ids) {
      const document = found.get(documentId);
      if (!document) issues.push({ path, message: `document ${documentId} not found` });
      else if (document.kind !== 'attachment')
        issues.push({ path, message: `document ${documentId} («${document.name}») is an ${document.kind}, not an attachment` });
      else if (seen.has(documentId)) issues.push({ path, message: `document ${documentId} is attached twice` });
      seen.add(documentId);
    }
    return issues;
  }

  /**
   * Fixes the version of each document a campaign run sends: the latest at the run's start,
   * recorded once (a prepare step run again keeps the first record). When a document with
   * policy `wait` has no version newer than the previous run's, nothing is recorded and the
   * reason is returned; `warn` records a warning beside the version.
   */
  async resolveRun(
    run: { id: number; campaignId: number },
    attachments: ReadonlyArray<{ documentId: number; ifUnchanged: UnchangedDocumentPolicy }>,
  ): Promise<{ waitFor: string | null; warnings: string[] }> {
    if (!attachments.length) return { waitFor: null, warnings: [] };
    const recorded = await this.documents.runRecord(run.id);
    if (recorded.length) return { waitFor: null, warnings: recorded.flatMap((r) => (r.warning ? [r.warning] : [])) };
    const ids = attachments.map((a) => a.documentId);
    const latest = new Map((await this.documents.latestVersions(ids)).map((v) => [v.documentId, v]));
    const previous = await this.documents.previousRunVersions(run.campaignId, run.id, ids);
    const decision = decideRunDocuments(
      attachments.flatMap((a) => {
        const version = latest.get(a.documentId);
        if (!version) return [];
        return [
          {
            documentId: a.documentId,
            name: version.name,
            ifUnchanged: a.ifUnchanged,
            latest: { versionId: version.versionId, number: version.number },
            previous: previous.get(a.documentId) ?? null,
          },
        ];
      }),
    );
    if (decision.waitFor) return { waitFor: decision.waitFor, warnings: [] };
    await this.documents.recordRun(run.id, decision.record);
    return { waitFor: null, warnings: decision.record.flatMap((r) => (r.warning ? [r.warning] : [])) };
  }

  /** Which version of each document a run sent. */
  async runRecord(runId: number) {
    return (await this.documents.runRecord(runId)).map((r) => ({
      documentId: r.documentId,
      name: r.document.name,
      version: r.version.number,
      filename: r.version.filename,
      size: r.version.size,
      sha256: r.version.sha256,
      warning: r.warning,
    }));
  }

  /**
   * The files a message attaches, in the campaign's order: the versions its run recorded, or
   * the latest versions for a message outside a run (or a run started before documents had
   * versions).
   */
  filesFor(runId: number | null, documentIds: number[]) {
    if (!documentIds.length) return Promise.resolve([]);
    return this.documents.files(runId, documentIds);
  }
}

function withHash(file: UploadedFile): NewFile {
  return { ...file, sha256: createHash('sha256').update(file.data).digest('hex') };
}
