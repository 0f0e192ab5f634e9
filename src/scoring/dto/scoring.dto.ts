// What the scoring routes read. The settings' schema is the domain's own (scoring-config.ts:
// the runner checks stored settings with it too); it is re-exported here so a route's input is
// found where every module keeps it.
import { z } from 'zod';
export { scoringConfigSchema } from '../scoring-config';

export const runsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) });
