// What the campaigns routes read: a campaign (its schedule, A/B test and documents) and the list filter.
import { z } from 'zod';
import { rowCursorText, rowId } from '../../common/ids';
import { timeZoneSchema } from '../../common/time-zone';
import { cronProblem } from '../campaign-schedule';
import { customHeadersSchema } from '../../delivery/mime/custom-headers';
import { campaignAttachmentsSchema } from './campaign-attachments.dto';
import { campaignDataSchema } from './campaign-data.dto';
import { localTimeSchema, sendingWindowSchema } from './local-time.dto';

const timeZone = timeZoneSchema;

const scheduleSchema = z.discriminatedUnion('kind', [
  // timeZone: the zone of the run's date for a local-time campaign (and of the cron for a recurring one).
  z.object({ kind: z.literal('now'), timeZone: timeZone.default('Europe/Moscow') }),
  z.object({ kind: z.literal('at'), at: z.coerce.date(), timeZone: timeZone.default('Europe/Moscow') }),
  z
    .object({ kind: z.literal('recurring'), cron: z.string().min(9).max(100), timeZone: timeZone.default('Europe/Moscow') })
    .superRefine((value, ctx) => {
      const problem = cronProblem(value.cron, value.timeZone);
      if (problem) ctx.addIssue({ code: 'custom', path: ['cron'], message: problem });
    }),
]);

const abTestSchema = z
  .object({
    variants: z
      .array(z.object({ key: z.string().regex(/^[A-Za-z0-9_-]{1,20}$/), templateId: rowId }))
      .min(2)
      .max(4),
    samplePercent: z.number().min(1).max(50).default(20),
    metric: z.enum(['open', 'click']).default('open'),
    decideAfterMinutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(240),
  })
  .refine((ab) => new Set(ab.variants.map((v) => v.key)).size === ab.variants.length, {
    message: 'variant keys must differ',
    path: ['variants'],
  });

export const campaignSchema = z.object({
  name: z.string().trim().min(1).max(200),
  channel: z.enum(['email', 'sms']).default('email'),
  templateId: rowId,
  segmentId: rowId,
  senderId: rowId.nullable().optional(),
  attachmentIds: z.array(rowId).max(10).default([]).describe('Document ids to attach (policy `send`); or give `attachments`'),
  attachments: campaignAttachmentsSchema.optional(),
  schedule: scheduleSchema.default({ kind: 'now', timeZone: 'Europe/Moscow' }),
  abTest: abTestSchema.nullable().optional(),
  data: campaignDataSchema,
  localTime: localTimeSchema.nullable().optional(),
  sendingWindow: sendingWindowSchema.nullable().optional(),
  headers: customHeadersSchema
    .optional()
    .describe(
      'Custom headers over the sender\'s, e.g. {"X-Postmaster-Msgtype": "{{campaign.name}}"}: Handlebars with the body\'s variables; headers Otklik writes (From, Subject, List-*, Content-*, X-Otklik-*…) are refused; left out on an edit: kept',
    ),
});

export const campaignListQuery = z.object({
  status: z.enum(['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled', 'failed']).optional(),
  after: rowCursorText.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** POST /campaigns/:id/test-send: whose message, to where. */
export const testSendSchema = z.strictObject({
  customerId: z
    .int()
    .min(1)
    .max(2147483647)
    .optional()
    .describe("The customer whose message is rendered; default: one of the campaign's recipients"),
  to: z
    .string()
    .trim()
    .min(1)
    .max(320)
    .optional()
    .describe("Where to send it: an email address (a phone for an SMS campaign); default: the sender's own address"),
});
