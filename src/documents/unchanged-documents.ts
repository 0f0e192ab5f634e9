// What a recurring campaign's run does about documents that did not change since the previous
// run: per document, the campaign's policy (`wait`, `warn` or `send`) decides. Pure: the
// documents service reads the versions and records the outcome.
import type { UnchangedDocumentPolicy } from '../generated/prisma/enums';

export interface RunDocumentState {
  documentId: number;
  name: string;
  ifUnchanged: UnchangedDocumentPolicy;
  /** The document's latest version, which this run would send. */
  latest: { versionId: number; number: number };
  /** The version the previous run of the campaign sent, and that run; null for a first run. */
  previous: { number: number; runId: number } | null;
}

export interface RunDocumentsDecision {
  /** Why the run waits (the first document with policy `wait` that has no newer version), or null. */
  waitFor: string | null;
  /** The versions to record, with a warning for each unchanged document under `warn`. */
  record: Array<{ documentId: number; versionId: number; warning: string | null }>;
}

export function decideRunDocuments(documents: readonly RunDocumentState[]): RunDocumentsDecision {
  const record: RunDocumentsDecision['record'] = [];
  for (const doc of documents) {
    const unchanged = doc.previous !== null && doc.latest.number <= doc.previous.number;
    const sentBefore = unchanged ? `version ${doc.previous!.number} was sent by run ${doc.previous!.runId}` : '';
    if (unchanged && doc.ifUnchanged === 'wait') {
      return { waitFor: `waiting for a new version of «${doc.name}» (document ${doc.documentId}): ${sentBefore}`, record: [] };
    }
    const warning =
      unchanged && doc.ifUnchanged === 'warn'
        ? `«${doc.name}» (document ${doc.documentId}) has no new version: ${sentBefore}, sent again`
        : null;
    record.push({ documentId: doc.documentId, versionId: doc.latest.versionId, warning });
  }
  return { waitFor: null, record };
}
