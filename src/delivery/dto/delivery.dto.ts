// What the outbox and test-email routes read.
import { z } from 'zod';
import { bigRowIdText } from '../../common/ids';

export const outboxQuery = z.object({
  channel: z.enum(['email', 'sms']).optional(),
  to: z.string().min(1).optional(),
  before: bigRowIdText.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const testEmailSchema = z.object({
  to: z.email(),
  from: z.email().optional(),
});
