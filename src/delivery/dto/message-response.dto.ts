// What POST /messages and GET /messages/:id answer, for the OpenAPI description only (nothing is
// validated on the way out; test/foundation/openapi.e2e-spec.ts parses real answers with it).
import { z } from 'zod';
import { INT4_MAX } from '../../common/ids';
import { dateTimeText } from '../../common/openapi';
import { Channel, Lane, MessageStatus } from '../../generated/prisma/enums';

const id = z.int().min(1).max(INT4_MAX);

/** VIEW in transactional.repository.ts. */
export const messageView = z.looseObject({
  id: z
    .string()
    .regex(/^[1-9]\d{0,18}$/)
    .describe('An int8 id, as text (JSON numbers lose precision past 2^53)'),
  channel: z.enum(Channel),
  lane: z.enum(Lane),
  status: z.enum(MessageStatus),
  statusReason: z.string().nullable(),
  customerId: id.nullable(),
  toAddress: z.string().nullable(),
  templateVersionId: id.nullable(),
  idempotencyKey: z.string().nullable(),
  attempts: z.int(),
  deferrals: z.int().describe('4xx answers so far (greylisting, a full queue): the place in SMTP_RETRY_SCHEDULE'),
  scheduledFor: dateTimeText.nullable().describe('While held (a deferral, quiet hours, a rate window): when it is tried next'),
  headerMessageId: z.string().nullable(),
  providerMessageId: z.string().nullable(),
  createdAt: dateTimeText,
  sentAt: dateTimeText.nullable(),
  runId: id.nullable(),
  campaignId: id.nullable(),
});

export const sentMessage = messageView.extend({
  duplicate: z.boolean().describe('true when the idempotency key was seen before: the earlier message, not sent again'),
});
