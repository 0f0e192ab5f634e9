import { z } from 'zod';
import { rowIdText } from '../../common/ids';

export const channelSchema = z.enum(['email', 'sms']);

export const suppressionListQuery = z.object({
  channel: channelSchema.optional(),
  reason: z.enum(['hard_bounce', 'complaint', 'unsubscribe', 'manual', 'soft_bounce_repeated', 'erased']).optional(),
  /** Any spelling of an address; matched through its normalised hash. Needs `channel`. */
  address: z.string().trim().min(1).max(320).optional(),
  before: rowIdText.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const suppressionCheckQuery = z.object({
  channel: channelSchema,
  address: z.string().trim().min(1).max(320),
});

/** `erased` is not offered: only the erase request itself writes it. */
export const createSuppressionSchema = z.object({
  channel: channelSchema,
  address: z.string().trim().min(1).max(320),
  reason: z.enum(['manual', 'hard_bounce', 'complaint', 'unsubscribe', 'soft_bounce_repeated']).default('manual'),
  source: z.string().trim().max(500).optional(),
});
