// What the scoring routes answer, for the OpenAPI description only (nothing is validated on the
// way out; test/foundation/openapi.e2e-spec.ts checks real answers against the document).
import { z } from 'zod';
import { INT4_MAX } from '../../common/ids';
import { dateTimeText } from '../../common/openapi';
import { ScoringRunStatus } from '../../generated/prisma/enums';
import { scoringConfigSchema } from '../scoring-config';

/** GET, PUT and DELETE /scoring/config: CurrentScoringConfig in scoring.runner.ts. */
export const currentScoringConfig = z.object({
  config: scoringConfigSchema,
  source: z.enum(['default', 'saved']).describe('`default` until someone saves settings'),
  updatedAt: dateTimeText.nullable(),
});

/** A recompute: queued by POST /scoring/runs (or nightly), run on the worker. */
export const scoringRun = z.looseObject({
  id: z.int().min(1).max(INT4_MAX),
  status: z.enum(ScoringRunStatus),
  trigger: z.string().describe('What started it: api, schedule, cli'),
  config: z.unknown().describe('The settings it ran with'),
  scoredCustomers: z.int().min(0),
  changedCustomers: z.int().min(0),
  durationMs: z.int().min(0).nullable(),
  error: z.string().nullable(),
  createdAt: dateTimeText,
  startedAt: dateTimeText.nullable(),
  finishedAt: dateTimeText.nullable(),
});

/** GET /scoring/runs: newest first. */
export const scoringRuns = z.array(scoringRun);

const customers = z.int().min(0);

/** GET /scoring/summary: customers per RFM group, ABC/XYZ cell and rating (null: not scored). */
export const scoringSummary = z.object({
  rfmGroups: z.array(z.object({ group: z.string().nullable(), customers })),
  abcXyz: z.array(z.object({ abc: z.string().nullable(), xyz: z.string().nullable(), customers })),
  ratings: z.array(z.object({ rating: z.string().nullable(), customers })),
});
