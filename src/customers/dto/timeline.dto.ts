// What GET /customers/:id/timeline reads.
import { z } from 'zod';

export const timelineQuery = z.object({
  before: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
