// What the API-key routes read.
import { z } from 'zod';

export const createKeySchema = z.object({
  name: z.string().trim().min(1).max(100),
  role: z.enum(['admin', 'marketer', 'viewer']),
});
