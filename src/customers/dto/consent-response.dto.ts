// What the consent routes answer, for the OpenAPI description only (nothing is validated on the
// way out; test/foundation/openapi.e2e-spec.ts parses real answers with these schemas).
import { z } from 'zod';
import { INT4_MAX } from '../../common/ids';
import { dateTimeText } from '../../common/openapi';
import { Channel, ConsentStatus } from '../../generated/prisma/enums';

const proof = {
  channel: z.enum(Channel),
  status: z.enum(ConsentStatus),
  source: z.string().nullable(),
  at: dateTimeText,
  proofIp: z.string().nullable(),
  proofForm: z.string().nullable(),
  proofFile: z.string().nullable(),
};

/** Current consent per channel, and the history (newest first) with its proof. */
export const consentList = z.object({
  consents: z.array(z.looseObject(proof)),
  history: z.array(z.looseObject({ id: z.int().min(1).max(INT4_MAX), ...proof })),
});

/** PUT /customers/:id/consents/:channel and POST …/email/confirmation: the consent as it now is. */
export const consentSet = z.looseObject({
  ...proof,
  confirmationQueued: z.boolean().describe('true when the double opt-in email was queued'),
});
