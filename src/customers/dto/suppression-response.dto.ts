// What the suppressions routes answer, for the OpenAPI description only (nothing is validated
// on the way out; test/foundation/openapi.e2e-spec.ts parses real answers with these schemas).
import { z } from 'zod';
import { INT4_MAX } from '../../common/ids';
import { dateTimeText } from '../../common/openapi';
import { Channel, SuppressionReason } from '../../generated/prisma/enums';

const id = z.int().min(1).max(INT4_MAX);

export const suppressionView = z.looseObject({
  id,
  channel: z.enum(Channel),
  addressHash: z.string().describe('sha256 (hex) of the normalised address'),
  address: z.string().nullable().describe('null once the customer is erased'),
  reason: z.enum(SuppressionReason),
  source: z.string().nullable(),
  customerId: id.nullable(),
  evidenceId: z.string().nullable().describe('The inbound message that caused it (an int8 id, as text)'),
  createdAt: dateTimeText,
});

/** Newest first: `next` is the cursor for the following page (pass it as `before`), null at the end. */
export const suppressionPage = z.object({ items: z.array(suppressionView), next: z.string().nullable() });

export const suppressionCreated = suppressionView.extend({
  created: z.boolean().describe('false when it was already suppressed (its first reason stays)'),
});

export const suppressionCheck = z.object({
  channel: z.enum(Channel),
  suppressed: z.boolean(),
  reason: z.enum(SuppressionReason).nullable(),
  since: dateTimeText.nullable(),
});
