// What the documents routes answer, for the OpenAPI description only (nothing is validated on
// the way out; test/foundation/openapi.e2e-spec.ts parses real answers with these schemas).
import { z } from 'zod';
import { INT4_MAX } from '../../common/ids';
import { dateTimeText } from '../../common/openapi';
import { DocumentKind } from '../../generated/prisma/enums';

const id = z.int().min(1).max(INT4_MAX);

export const documentVersionView = z.object({
  number: z.int().min(1),
  filename: z.string().describe('The name the file is attached under'),
  contentType: z.string(),
  size: z.int().min(0),
  sha256: z.string(),
  createdAt: dateTimeText,
});

/** A document with its latest version's file fields. */
export const documentView = z.object({
  id,
  kind: z.enum(DocumentKind),
  name: z.string(),
  latestVersion: z.int().min(1),
  filename: z.string(),
  contentType: z.string(),
  size: z.int().min(0),
  sha256: z.string(),
  createdAt: dateTimeText,
  updatedAt: dateTimeText,
});

export const documentWithVersions = documentView.extend({ versions: z.array(documentVersionView) });

/** POST /documents/:id/versions: the version, and whether it is new (the same file again is not). */
export const addedVersion = z.object({ documentId: id, created: z.boolean(), version: documentVersionView });

/** POST /attachments: a document with one version, answered as the attachment it used to be. */
export const storedAttachment = z.object({ id, filename: z.string(), contentType: z.string(), size: z.int().min(0), sha256: z.string() });

/** A run's record of one document, as GET /campaigns/:id/runs shows it. */
export const runDocumentView = z.object({
  documentId: id,
  name: z.string(),
  version: z.int().min(1),
  filename: z.string(),
  size: z.int().min(0),
  sha256: z.string(),
  warning: z.string().nullable().describe('Set when the document had no newer version and the policy was `warn`'),
});
