// What the report routes read: the campaign report's scope and chart, the time ranges and
// keyset pages of the bounce, complaint, cleanup and lead reports.
import { z } from 'zod';
import { rowIdText } from '../../common/ids';
import { timeZoneSchema } from '../../common/time-zone';

const timeZone = timeZoneSchema;

export const campaignQuery = z.object({
  runId: rowIdText.optional(),
  /** Only the runs whose occurrence is at or after `from` and before `to`. */
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  /** Orders placed within this many days after a message count for the campaign. */
  attributionDays: z.coerce.number().int().min(1).max(90).default(7),
  interval: z.enum(['hour', 'day']).optional(),
  timeZone: timeZone.optional(),
  linkLimit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const csvQuery = campaignQuery.extend({ section: z.enum(['summary', 'links', 'chart']).default('summary') });

const range = {
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
};

const page = {
  /** Keyset cursor: the `next` of the previous page. */
  before: rowIdText.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
};

export const bounceQuery = z.object({
  ...range,
  campaignId: rowIdText.optional(),
  interval: z.enum(['hour', 'day']).optional(),
  timeZone: timeZone.optional(),
  /** Rows of the by-domain and by-campaign tables. */
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const complaintQuery = z.object({
  ...range,
  ...page,
  kind: z.enum(['feedback_loop', 'reclamation']).optional(),
  status: z.enum(['open', 'resolved']).optional(),
  campaignId: rowIdText.optional(),
});

export const cleanupQuery = z.object({
  ...range,
  ...page,
  action: z.string().trim().min(1).max(100).optional(),
  customerId: rowIdText.optional(),
  undone: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

export const leadQuery = z.object({
  ...page,
  status: z.enum(['new', 'contacted', 'won', 'lost']).optional(),
  campaignId: rowIdText.optional(),
});
