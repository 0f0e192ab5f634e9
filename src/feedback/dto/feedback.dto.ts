import { z } from 'zod';
import { bigRowIdText, rowIdText } from '../../common/ids';

const page = {
  /** Keyset cursor: items with a smaller id (newest first); pass the previous page's `next`. */
  before: rowIdText.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
};
const id = rowIdText;
const booleanText = z.enum(['true', 'false']).transform((v) => v === 'true');

export const inboundListQuery = z.object({
  status: z.enum(['received', 'classified', 'applied', 'unclassified']).optional(),
  kind: z.enum(['bounce', 'complaint', 'autoreply', 'reply', 'delivered', 'unknown']).optional(),
  campaignId: id.optional(),
  before: bigRowIdText.optional(),
  limit: page.limit,
});

export const bounceListQuery = z.object({
  campaignId: id.optional(),
  customerId: id.optional(),
  hard: booleanText.optional(),
  address: z.string().trim().toLowerCase().min(3).max(320).optional(),
  ...page,
});

export const leadListQuery = z.object({
  status: z.enum(['new', 'contacted', 'won', 'lost']).optional(),
  campaignId: id.optional(),
  ...page,
});

export const complaintListQuery = z.object({
  kind: z.enum(['feedback_loop', 'reclamation']).optional(),
  campaignId: id.optional(),
  ...page,
});

export const cleanupLogQuery = z.object({
  action: z.string().trim().min(1).max(50).optional(),
  customerId: id.optional(),
  inboundId: bigRowIdText.optional(),
  ...page,
});

/** A raw message handed in through the API (for mailboxes Otklik cannot reach by SMTP). */
export const inboundUploadSchema = z.object({
  rawBase64: z.string().min(1, 'expected the raw message, base64-encoded'),
  envelopeTo: z.array(z.email()).max(50).default([]),
  envelopeFrom: z.string().max(320).nullable().default(null),
});

export const addressChangeListQuery = z.object({
  status: z.enum(['pending', 'confirmed', 'accepted', 'rejected']).optional(),
  ...page,
});
