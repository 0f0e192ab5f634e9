// The segment rule DSL (segment-rules.ts) as a JSON Schema, for the OpenAPI description: the
// validation itself is parseSegmentRules, which says more (which operators a field takes, the
// value each operator needs, depth and size limits); GET /segments/fields lists the fields and
// their operators. This schema never refuses a rule parseSegmentRules takes.
import { INT4_MAX } from '../../common/ids';
import { CHANNELS, CONDITION_OPS } from './fields';
import { MAX_LIST } from './segment-rules';

/** Where the document keeps it: `#/components/schemas/SegmentRule`. */
export const SEGMENT_RULE_REF = { $ref: '#/components/schemas/SegmentRule' };

const scalar = [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }];

export const SEGMENT_RULE_SCHEMA = {
  description: 'A condition on one field, or a group: all (and), any (or), not. GET /segments/fields lists every field with its operators.',
  anyOf: [
    { type: 'object', title: 'All', properties: { all: { type: 'array', items: SEGMENT_RULE_REF } }, required: ['all'] },
    { type: 'object', title: 'Any', properties: { any: { type: 'array', items: SEGMENT_RULE_REF } }, required: ['any'] },
    { type: 'object', title: 'Not', properties: { not: SEGMENT_RULE_REF }, required: ['not'] },
    {
      type: 'object',
      title: 'Condition',
      properties: {
        field: { type: 'string', description: 'A customer field (email, tags, birthday …), attributes.<key>, orders.* or engagement.*' },
        op: { type: 'string', enum: [...CONDITION_OPS] },
        value: { anyOf: [...scalar, { type: 'array', maxItems: MAX_LIST, items: { anyOf: [{ type: 'string' }, { type: 'number' }] } }] },
        days: { type: 'integer', description: 'orders.* and engagement.*: only the last N days' },
        campaignId: { type: 'integer', minimum: 1, maximum: INT4_MAX, description: 'engagement.*: only this campaign' },
        channel: { type: 'string', enum: [...CHANNELS], description: 'engagement.received: only this channel' },
      },
      required: ['field', 'op'],
    },
  ],
};
