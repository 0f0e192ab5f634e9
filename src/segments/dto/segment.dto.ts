// What the segments routes read: a segment (its rules are the DSL's own schema), the audience
// filter of counts and previews, and rules previewed before they are saved.
import { z } from 'zod';
import { CONSENT_REQUIREMENTS } from '../audience';
import { MAX_SAMPLE } from '../dsl/compile-segment';
import { CHANNELS } from '../dsl/fields';
import { segmentRulesSchema as validRules } from '../dsl/segment-rules';
import { SEGMENT_RULE_REF } from '../dsl/segment-rules.openapi';

// The same validation; the description points at the DSL's schema in the document.
const segmentRulesSchema = validRules.meta(SEGMENT_RULE_REF);
const name = z.string().trim().min(1).max(200);
const description = z.string().trim().max(2000).nullable().optional();
export const createSegmentSchema = z.strictObject({ name, description, rules: segmentRulesSchema });
export const updateSegmentSchema = z
  .strictObject({ name: name.optional(), description, rules: segmentRulesSchema.optional() })
  .refine((b) => Object.keys(b).length > 0, { message: 'expected at least one of "name", "description", "rules"' });

const audienceFilter = {
  channel: z.enum(CHANNELS).optional(),
  consent: z.enum(CONSENT_REQUIREMENTS as ['opted_in', 'not_opted_out']).optional(),
};
export const audienceCountQuery = z.object(audienceFilter);
const limit = z.coerce.number().int().min(1).max(MAX_SAMPLE).default(20);
export const audiencePreviewQuery = z.object({ ...audienceFilter, limit });
export const rulesPreviewSchema = z.strictObject({ rules: segmentRulesSchema, ...audienceFilter, limit });
