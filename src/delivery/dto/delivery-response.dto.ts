// What the outbox and test-email routes answer, for the OpenAPI description only (nothing is
// validated on the way out; test/foundation/openapi.e2e-spec.ts checks real answers against the document).
import { z } from 'zod';
import { bigIdText, dateTimeText } from '../../common/openapi';
import { Channel } from '../../generated/prisma/enums';

/** GET /outbox: SUMMARY in outbox.repository.ts, newest first. */
const outboxSummary = z.looseObject({
  id: bigIdText,
  channel: z.enum(Channel),
  messageId: bigIdText.nullable().describe('The message it captured, null for a test email'),
  toAddress: z.string(),
  fromAddress: z.string().nullable(),
  subject: z.string().nullable(),
  createdAt: dateTimeText,
});

export const outboxItems = z.array(outboxSummary);

/** GET /outbox/:id: the captured message without its raw MIME. */
export const outboxMessage = outboxSummary.extend({
  text: z.string().nullable(),
  html: z.string().nullable(),
  headers: z.record(z.string(), z.unknown()).describe('The headers it was sent with, by name'),
});

/** POST /delivery/test-email. */
export const testEmailResult = z.object({
  transport: z.string().describe('The email transport that took it: smtp or capture'),
  providerMessageId: z.string(),
});
