// Who of a segment can actually be sent to on a channel: the segment's rules AND a valid,
// unsuppressed address for the channel AND consent. Plain rules, so the audience compiles to
// the same one parameterised query as any segment. Pure: no Nest, no database.
import type { Channel } from './dsl/fields';
import type { SegmentCondition, SegmentRule } from './dsl/segment-rules';

export type { Channel } from './dsl/fields';

/**
 * `opted_in`: bulk mail and SMS need an explicit opt-in (docs/architecture.md: consent and quiet hours), the default.
 * `not_opted_out`: anyone who has not opted out (no consent row or pending counts), for
 * service messages that follow their own rules.
 */
export type ConsentRequirement = 'opted_in' | 'not_opted_out';
export const CONSENT_REQUIREMENTS: readonly ConsentRequirement[] = ['opted_in', 'not_opted_out'];

/** The conditions that make a customer reachable on a channel. */
export function reachabilityConditions(channel: Channel, consent: ConsentRequirement = 'opted_in'): SegmentCondition[] {
  return [
    { field: `reachable.${channel}`, op: 'is_true' },
    consent === 'opted_in'
      ? { field: `consent.${channel}`, op: 'eq', value: 'opted_in' }
      : { field: `consent.${channel}`, op: 'neq', value: 'opted_out' },
  ];
}

/**
 * The segment's rules narrowed to the customers reachable on `channel`. A top-level `all` is
 * extended rather than wrapped, so the usual rule gains no nesting level.
 */
export function audienceRules(rules: SegmentRule, channel: Channel, consent: ConsentRequirement = 'opted_in'): SegmentRule {
  const reach = reachabilityConditions(channel, consent);
  if ('all' in rules) return { all: [...rules.all, ...reach] };
  return { all: [rules, ...reach] };
}
