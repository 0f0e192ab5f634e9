// What the segments routes answer, for the OpenAPI description only (nothing is validated on
// the way out; test/foundation/openapi.e2e-spec.ts parses real answers with these schemas).
import { z } from 'zod';
import { INT4_MAX } from '../../common/ids';
import { dateTimeText } from '../../common/openapi';
import { CONDITION_OPS } from '../dsl/fields';
import { SEGMENT_RULE_REF } from '../dsl/segment-rules.openapi';

const id = z.int().min(1).max(INT4_MAX);

export const segmentView = z.looseObject({
  id,
  key: z.string().nullable().describe('Set for the built-in segments'),
  name: z.string(),
  description: z.string().nullable(),
  rules: z.unknown().meta(SEGMENT_RULE_REF),
  builtIn: z.boolean(),
  createdAt: dateTimeText,
  updatedAt: dateTimeText,
});

const audienceFilter = { channel: z.enum(['email', 'sms']).optional(), consent: z.enum(['opted_in', 'not_opted_out']).optional() };

export const segmentCount = z.looseObject({ segmentId: id, ...audienceFilter, count: z.int().min(0) });

/** The counts and the first customers (a few columns each, the scoring classes among them). */
export const rulesPreview = z.looseObject({
  count: z.int().min(0).describe('Customers matching, narrowed to those reachable on `channel` when it is given'),
  total: z.int().min(0).describe('Customers matching the rules, whatever their channels'),
  reachableEmail: z
    .int()
    .min(0)
    .describe('Of those, reachable by email: a valid unsuppressed address and consent (as a campaign run freezes it)'),
  reachableSms: z.int().min(0).describe('Of those, reachable by SMS, by the same rule'),
  sample: z.array(
    z.looseObject({
      id,
      name: z.string().nullable().describe('«Фамилия Имя Отчество», or the company name'),
      email: z.string().nullable(),
      phone: z.string().nullable(),
    }),
  ),
});
export const segmentPreview = rulesPreview.extend({ segmentId: id });

export const segmentViews = z.array(segmentView);

/** GET /segments/fields: every field a rule may use (fieldCatalogue in dsl/field-catalogue.ts). */
export const fieldList = z.array(
  z.object({
    field: z.string().describe('As a rule names it: email, orders.count, attributes.<key> …'),
    kind: z.enum(['column', 'attribute', 'tags', 'consent', 'reachable', 'orders', 'engagement']),
    type: z.string().optional().describe('Column type for customer fields (text, int, numeric, timestamp, date, bool, enum)'),
    ops: z.array(z.enum(CONDITION_OPS)),
    values: z.array(z.string()).optional().describe('The fixed values the field takes, where there is a fixed list'),
    options: z.array(z.string()).optional().describe('Keys besides field/op/value the condition accepts (days, campaignId, channel)'),
  }),
);
