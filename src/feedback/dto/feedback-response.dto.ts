// What the feedback routes answer (inbound messages, bounces, leads, complaints, the cleanup
// log, address-change proposals), for the OpenAPI description only: nothing is validated on the
// way out; test/foundation/openapi.e2e-spec.ts checks real answers against the document. Loose
// objects: the fields listed are always there, a new column does not break a client.
import { z } from 'zod';
import { INT4_MAX } from '../../common/ids';
import { bigIdText, dateTimeText } from '../../common/openapi';
import {
  AddressChangeStatus,
  Channel,
  ComplaintKind,
  ComplaintStatus,
  InboundKind,
  InboundSource,
  InboundStatus,
  LeadStatus,
} from '../../generated/prisma/enums';

const id = z.int().min(1).max(INT4_MAX);
const text = z.string().nullable();
/** keysetPage (customers/keyset-page.ts): `next` is the id to pass as `before`, null on the last page. */
const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), next: z.string().nullable() });

/** GET /feedback/inbound items: the row without its raw bytes or classification. */
const inboundSummary = z.looseObject({
  id: bigIdText,
  source: z.enum(InboundSource),
  status: z.enum(InboundStatus),
  kind: z.enum(InboundKind).nullable(),
  rawSize: z.int().min(0),
  truncated: z.boolean(),
  envelopeFrom: text,
  envelopeTo: text,
  fromAddress: text,
  subject: text,
  messageId: bigIdText.nullable().describe('The sent message it answers, once correlated'),
  campaignId: id.nullable(),
  customerId: id.nullable(),
  error: text.describe('Why it stayed unclassified'),
  receivedAt: dateTimeText,
  processedAt: dateTimeText.nullable(),
});
export const inboundPage = page(inboundSummary);

/** GET /feedback/inbound/:id: with what the classifier found. */
export const inboundDetail = inboundSummary.extend({
  classification: z.unknown().describe('What the classifier found (kind, reason, hints), null before it ran'),
});

/** POST /feedback/inbound and its retry: stored, to be classified by a job. */
export const inboundReceived = z.object({ id: bigIdText, status: z.literal('received') });

export const bouncePage = page(
  z.looseObject({
    id,
    at: dateTimeText,
    channel: z.enum(Channel),
    hard: z.boolean(),
    address: text,
    domain: text,
    reason: z.string(),
    statusCode: text,
    diagnostic: text,
    evidence: z.unknown().describe("Why: the classifier's { rule, status?, matchedLine? }; null for older bounces"),
    messageId: bigIdText.nullable(),
    campaignId: id.nullable(),
    customerId: id.nullable(),
    inboundMessageId: bigIdText.nullable(),
  }),
);

export const leadPage = page(
  z.looseObject({
    id,
    status: z.enum(LeadStatus),
    fromAddress: text,
    subject: text,
    text,
    messageId: bigIdText.nullable(),
    campaignId: id.nullable(),
    customerId: id.nullable(),
    inboundMessageId: bigIdText.nullable(),
    forwardedAt: dateTimeText.nullable(),
    createdAt: dateTimeText,
  }),
);

export const complaintPage = page(
  z.looseObject({
    id,
    kind: z.enum(ComplaintKind),
    status: z.enum(ComplaintStatus),
    feedbackType: text,
    text,
    messageId: bigIdText.nullable(),
    campaignId: id.nullable(),
    customerId: id.nullable(),
    inboundMessageId: bigIdText.nullable(),
    createdAt: dateTimeText,
  }),
);

/** One action the feedback loop took (or withheld), with the inbound message as evidence. */
export const cleanupEntry = z.looseObject({
  id,
  action: z.string().describe('What was done (or withheld, for want of proof)'),
  channel: z.enum(Channel).nullable(),
  address: text,
  reason: text,
  details: z.unknown(),
  customerId: id.nullable(),
  inboundMessageId: bigIdText.nullable(),
  createdAt: dateTimeText,
  undoneAt: dateTimeText.nullable(),
  undoneBy: text,
  appliedAt: dateTimeText.nullable(),
  appliedBy: text,
});
export const cleanupPage = page(cleanupEntry);

/** POST /feedback/cleanup-log/:id/undo. */
export const cleanupUndone = z.object({
  id,
  action: z.string(),
  undone: z.literal(true),
  restored: z.array(z.string()).describe('What was put back, one line each ("suppression 12 lifted")'),
});

/** POST /feedback/cleanup-log/:id/apply: the withheld entry's changes, now applied. */
export const cleanupApplied = z.object({ id, applied: z.array(z.string()).describe('The actions applied') });

export const addressChangePage = page(
  z.looseObject({
    id,
    status: z.enum(AddressChangeStatus),
    customerId: id,
    contactId: id.nullable(),
    oldAddress: text,
    newAddress: z.string(),
    proven: z.boolean().describe('The request proved it came from the recipient of our message'),
    inboundMessageId: bigIdText.nullable(),
    createdAt: dateTimeText,
    decidedAt: dateTimeText.nullable(),
    decidedBy: text,
  }),
);

/** POST /feedback/address-changes/:id/accept and /reject. */
export const addressChangeDecision = z.union([
  z.object({ id, status: z.literal('accepted'), contactId: id.nullable().describe('The contact that now carries the new address') }),
  z.object({ id, status: z.literal('rejected') }),
]);
