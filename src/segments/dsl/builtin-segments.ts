// Segments every installation starts with (segments.key, built_in = true). Plain data: the
// segments module upserts them by key. The RFM group names are those of DEFAULT_SCORING_CONFIG.
import type { SegmentRule } from './segment-rules';

export interface BuiltinSegment {
  key: string;
  name: string;
  description: string;
  rules: SegmentRule;
}

export const BUILTIN_SEGMENTS: readonly BuiltinSegment[] = Object.freeze([
  {
    key: 'birthday_today',
    name: 'Birthday today',
    description: 'Customers whose birthday is today in their own time zone (29 February birthdays on 28 February in other years).',
    rules: { field: 'birthday', op: 'in_days', value: 0 },
  },
  {
    key: 'active_base',
    name: 'Active base',
    description: 'Customers with an order (not cancelled) in the last 365 days.',
    rules: { field: 'orders.count', op: 'gte', value: 1, days: 365 },
  },
  {
    key: 'inactive_180',
    name: 'Inactive 180 days',
    description: 'Customers who have ordered before, but not in the last 180 days (cancelled orders do not count).',
    rules: {
      all: [
        { field: 'orders.count', op: 'gte', value: 1 },
        { field: 'orders.count', op: 'eq', value: 0, days: 180 },
      ],
    },
  },
  {
    key: 'new_leads',
    name: 'New leads',
    description: 'Registered in the last 30 days and no order yet.',
    rules: {
      all: [
        { field: 'registered_at', op: 'within_last_days', value: 30 },
        { field: 'orders.count', op: 'eq', value: 0 },
      ],
    },
  },
  {
    key: 'b2b_companies',
    name: 'B2B companies',
    description: 'Company records and the contact persons of companies.',
    rules: {
      any: [
        { field: 'kind', op: 'eq', value: 'company' },
        { field: 'company_id', op: 'is_set' },
      ],
    },
  },
  {
    key: 'rfm_champions',
    name: 'RFM: champions',
    description: 'Bought recently and often (RFM group "champions").',
    rules: { field: 'rfm_group', op: 'eq', value: 'champions' },
  },
  {
    key: 'rfm_at_risk',
    name: 'RFM: at risk',
    description: 'Used to buy often, not lately (RFM groups "at_risk" and "cant_lose").',
    rules: { field: 'rfm_group', op: 'in', value: ['at_risk', 'cant_lose'] },
  },
  {
    key: 'rfm_lost',
    name: 'RFM: lost',
    description: 'Bought rarely and long ago (RFM group "lost").',
    rules: { field: 'rfm_group', op: 'eq', value: 'lost' },
  },
  {
    key: 'abc_xyz_ax',
    name: 'ABC-XYZ: AX',
    description: 'Top revenue (A) with steady monthly demand (X).',
    rules: {
      all: [
        { field: 'abc_class', op: 'eq', value: 'A' },
        { field: 'xyz_class', op: 'eq', value: 'X' },
      ],
    },
  },
] satisfies BuiltinSegment[]);
