// Requests of /settings/dkim-keys. The domain and selector are checked as DNS names; an imported
// key is read in dkim/dkim-keys.ts (which says why a PEM cannot sign).
import { z } from 'zod';
import { DOMAIN_PATTERN, SELECTOR_PATTERN } from '../dkim/dkim-keys';

export const createDkimKeySchema = z.strictObject({
  domain: z
    .string({ error: 'expected a domain such as shop.example' })
    .trim()
    .toLowerCase()
    .transform((value) => value.replace(/\.$/, ''))
    .pipe(z.string().regex(DOMAIN_PATTERN, 'expected a domain such as shop.example')),
  selector: z
    .string({ error: 'expected a selector such as s2026' })
    .trim()
    .toLowerCase()
    .max(63, 'expected at most 63 characters')
    .regex(SELECTOR_PATTERN, 'expected a selector of letters, digits and hyphens, such as s2026'),
  privateKey: z
    .string({ error: 'expected a PEM private key' })
    .max(20_000, 'expected at most 20000 characters')
    .optional()
    .describe('a PEM private key to import (RSA, at least 1024 bits); left out: a 2048-bit key is generated'),
});

export const updateDkimKeySchema = z.strictObject({
  active: z
    .boolean({ error: 'expected true or false' })
    .describe('false: the key no longer signs (the next newest active key of the domain does)'),
});

export const dkimKeyListQuery = z.object({
  domain: z.string().trim().toLowerCase().max(253).optional(),
});

export type CreateDkimKeyBody = z.infer<typeof createDkimKeySchema>;
export type UpdateDkimKeyBody = z.infer<typeof updateDkimKeySchema>;
export type DkimKeyListQuery = z.infer<typeof dkimKeyListQuery>;
