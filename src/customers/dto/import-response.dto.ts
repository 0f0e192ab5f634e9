// What the imports routes answer, for the OpenAPI description only (nothing is validated on the
// way out; test/foundation/openapi.e2e-spec.ts parses real answers with these schemas).
import { z } from 'zod';
import { INT4_MAX } from '../../common/ids';
import { dateTimeText } from '../../common/openapi';
import { ImportIssueSeverity, ImportKind, ImportStatus } from '../../generated/prisma/enums';

const id = z.int().min(1).max(INT4_MAX);
const count = z.int().min(0);

const job = {
  id,
  kind: z.enum(ImportKind),
  status: z.enum(ImportStatus),
  filename: z.string().nullable(),
  dryRun: z.boolean(),
  options: z.record(z.string(), z.unknown()).describe('Header mapping, delimiter, encoding'),
  createdBy: z.string().nullable(),
  failure: z.string().nullable().describe('Why the whole file could not be imported'),
  createdAt: dateTimeText,
  startedAt: dateTimeText.nullable(),
  finishedAt: dateTimeText.nullable(),
};

/** GET /imports/:id, and what an upload answers: the queued job to poll. */
export const importStatus = z.looseObject({
  ...job,
  progress: z.object({ bytesRead: count, totalBytes: count.nullable(), percent: z.int().min(0).max(100).nullable(), rows: count }),
  counts: z.object({ rows: count, inserted: count, updated: count, unchanged: count, duplicates: count, rejected: count, warnings: count }),
  summary: z.record(z.string(), z.unknown()).nullable().describe('Encoding, delimiter, columns and counts, once the file is read'),
  errors: z
    .array(z.record(z.string(), z.unknown()))
    .describe('The first issues ({ line, field, code, reason }); GET /imports/:id/issues has all'),
});

/** Newest first: `next` is the cursor for the following page (pass it as `before`), null at the end. */
export const importPage = z.object({
  items: z.array(
    z.looseObject({
      ...job,
      totalRows: count,
      insertedRows: count,
      updatedRows: count,
      unchangedRows: count,
      duplicateRows: count,
      errorRows: count,
      warningCount: count,
      bytesRead: z.string().describe('An int8, as text'),
      totalBytes: z.string().nullable().describe('An int8, as text'),
    }),
  ),
  next: z.string().nullable(),
});

/** GET /imports/:id/issues: every issue by line; `next` is the cursor for the following page (pass it as `after`). */
export const importIssuePage = z.object({
  items: z.array(
    z.looseObject({
      id: z.string().describe('An int8, as text'),
      line: z.int().min(0),
      field: z.string(),
      severity: z.enum(ImportIssueSeverity),
      code: z.string(),
      reason: z.string(),
      otherLine: z.int().nullable().describe('The earlier line it collides with (a duplicate), if any'),
    }),
  ),
  next: z.string().nullable(),
});
