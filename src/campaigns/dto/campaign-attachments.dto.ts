// Request schema of a campaign's documents with their policy (the `attachments` field of
// POST/PUT /campaigns; `attachmentIds` stays for documents with the default policy).
import { z } from 'zod';
import { rowId } from '../../common/ids';
import { UnchangedDocumentPolicy } from '../../generated/prisma/enums';

/**
 * What a recurring campaign's run does when the document has no version newer than the one
 * the previous run sent. `send` is the default: it is what campaigns did before documents had
 * versions, and a price list that did not change this month is still the price list; `wait`
 * can stop a mailing, so it is asked for, not assumed.
 */
export const ifUnchangedSchema = z
  .enum(UnchangedDocumentPolicy)
  .default('send')
  .describe('wait: the run waits for a new version; warn: sends and records a warning on the run; send: sends anyway (default)');

export const campaignAttachmentsSchema = z
  .array(z.object({ documentId: rowId, ifUnchanged: ifUnchangedSchema }))
  .max(10)
  .describe('Documents to attach, each with what a run does when it has not changed since the previous run');
