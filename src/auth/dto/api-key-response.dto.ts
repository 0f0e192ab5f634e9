// What the API-key routes answer, for the OpenAPI description only (nothing is validated on the
// way out; test/foundation/openapi.e2e-spec.ts checks real answers against the document).
import { z } from 'zod';
import { INT4_MAX } from '../../common/ids';
import { dateTimeText } from '../../common/openapi';

/** A key as listed: `prefix` is its first characters, to tell keys apart. */
export const listedKey = z.object({
  id: z.int().min(1).max(INT4_MAX),
  name: z.string(),
  prefix: z.string(),
  role: z.enum(['admin', 'marketer', 'viewer']),
  createdAt: dateTimeText,
  lastUsedAt: dateTimeText.nullable(),
  revokedAt: dateTimeText.nullable(),
});

/** POST /api-keys: the key in clear, once; only its hash is stored. */
export const createdKey = listedKey.extend({
  key: z.string().describe('The key in clear: shown this once, send it as "Authorization: Bearer <key>"'),
});
