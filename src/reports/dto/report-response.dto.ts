// What the report routes answer (reports.service.ts), for the OpenAPI description only: nothing
// is validated on the way out; test/foundation/openapi.e2e-spec.ts checks real answers against
// the document. Counts are whole numbers, rates four-decimal fractions (null with nothing to
// divide), money decimal text per currency.
import { z } from 'zod';
import { INT4_MAX } from '../../common/ids';
import { bigIdText, dateTimeText } from '../../common/openapi';
import { CampaignStatus, Channel, ComplaintKind, ComplaintStatus, InboundKind, LeadStatus, RunStatus } from '../../generated/prisma/enums';
import { CAMPAIGN_SERIES } from '../reports.service';

const id = z.int().min(1).max(INT4_MAX);
const count = z.int().min(0);
const text = z.string().nullable();
const rate = z.number().nullable();
const interval = z.enum(['hour', 'day']);
/** A chart point: a local wall-clock bucket label ("2026-11-23T14:00") and one count per series. */
const point = <S extends string>(series: readonly S[]) =>
  z.object({ bucket: z.string(), ...Object.fromEntries(series.map((name) => [name, count])) } as { bucket: z.ZodString } & Record<
    S,
    typeof count
  >);

/** The counts, orders and rates of one scope: the whole campaign, or one A/B variant. */
const campaignScope = z.object({
  variant: z.string().optional().describe('The A/B variant key (absent for the totals)'),
  audience: count,
  sent: count,
  delivered: count,
  deliveryConfirmed: count,
  softBounced: count,
  hardBounced: count,
  openedUnique: count,
  opensTotal: count,
  botOpens: count,
  clickedUnique: count,
  clicksTotal: count,
  botClicks: count,
  unsubscribed: count,
  complained: count,
  reclamations: count,
  replied: count,
  leads: count,
  suppressed: count,
  skipped: count,
  failed: count,
  cancelled: count,
  pending: count,
  orders: count.describe('Orders placed within attributionDays after a message'),
  buyers: count,
  revenue: z.record(z.string(), z.string()).describe('Attributed revenue per currency, decimal text: {"RUB": "15000.00"}'),
  rates: z.object({
    deliveryRate: rate,
    bounceRate: rate,
    openRate: rate,
    clickRate: rate,
    clickToOpenRate: rate,
    unsubscribeRate: rate,
    complaintRate: rate,
    replyRate: rate,
    conversionRate: rate,
  }),
});

/** GET /reports/campaigns/:id. */
export const campaignReport = z.object({
  campaign: z.object({ id, name: z.string(), channel: z.enum(Channel), status: z.enum(CampaignStatus) }),
  runs: z.array(
    z.looseObject({
      id,
      occurrenceAt: dateTimeText,
      status: z.enum(RunStatus),
      statusReason: z.string().nullable().describe('Why the run failed, waits or was paused (a failed pre-flight names its problems)'),
      audienceCount: count,
      abWinner: text,
      startedAt: dateTimeText.nullable(),
      finishedAt: dateTimeText.nullable(),
    }),
  ),
  runId: id.nullable().describe('The run reported on, null for all runs'),
  from: dateTimeText.nullable().describe('With a date range: the runs whose occurrence is at or after this'),
  to: dateTimeText.nullable().describe('With a date range: … and before this'),
  attributionDays: z.int().min(1),
  totals: campaignScope,
  variants: z.array(campaignScope).describe('One per A/B variant; empty without an A/B test'),
  links: z.array(z.object({ url: z.string(), linkIndex: z.int().nullable(), clicks: count, uniqueClicks: count, botClicks: count })),
  chart: z.object({
    interval,
    timeZone: z.string(),
    series: z.array(z.enum(CAMPAIGN_SERIES)),
    points: z.array(point(CAMPAIGN_SERIES)),
  }),
});

/** GET /reports/bounces (the last 30 days unless from/to say otherwise). */
export const bounceReport = z.object({
  from: dateTimeText,
  to: dateTimeText,
  campaignId: id.nullable(),
  summary: z.object({ total: count, hard: count, soft: count, addresses: count }),
  byReason: z.array(z.object({ reason: z.string(), hard: z.boolean(), count })),
  byDomain: z.array(z.object({ domain: text, count, hard: count, soft: count })),
  byCampaign: z
    .array(z.object({ campaignId: id.nullable(), name: text, count, hard: count, soft: count }))
    .optional()
    .describe('Only when no campaignId was given'),
  trend: z.object({ interval, timeZone: z.string(), points: z.array(point(['hard', 'soft'] as const)) }),
  recent: z
    .array(
      z.looseObject({
        id,
        at: dateTimeText,
        address: text,
        hard: z.boolean(),
        reason: z.string(),
        statusCode: text,
        diagnostic: text,
        evidence: z.unknown().describe('Why the classifier decided: { rule, status?, matchedLine? }; null for older bounces'),
      }),
    )
    .describe('The latest bounces, newest first, with the evidence of each'),
});

/** The customer a report row is about (null once erased or never known). */
const customerBrief = z.looseObject({
  id,
  email: text,
  phone: text,
  firstName: text,
  lastName: text,
  companyName: text,
});

/** `next`: the id to pass as `before` for the following page, null on the last. */
const next = id.nullable();

/** GET /reports/complaints. */
export const complaintReport = z.object({
  from: dateTimeText,
  to: dateTimeText,
  summary: z.object({ feedbackLoop: count, reclamations: count, open: count, resolved: count }),
  items: z.array(
    z.looseObject({
      id,
      kind: z.enum(ComplaintKind),
      status: z.enum(ComplaintStatus),
      feedbackType: text,
      text,
      campaignId: id.nullable(),
      campaignName: text,
      messageId: bigIdText.nullable(),
      inboundMessageId: bigIdText.nullable(),
      createdAt: dateTimeText,
      customer: customerBrief.nullable(),
      inboundMessage: z.object({ fromAddress: text, subject: text, receivedAt: dateTimeText }).nullable(),
    }),
  ),
  next,
});

/** GET /reports/cleanup. */
export const cleanupReport = z.object({
  from: dateTimeText,
  to: dateTimeText,
  summary: z.array(z.object({ action: z.string(), count, undone: count })),
  items: z.array(
    z.looseObject({
      id,
      action: z.string(),
      channel: z.enum(Channel).nullable(),
      address: text,
      reason: text,
      details: z.unknown(),
      inboundMessageId: bigIdText.nullable(),
      createdAt: dateTimeText,
      undoneAt: dateTimeText.nullable(),
      undoneBy: text,
      appliedAt: dateTimeText.nullable(),
      appliedBy: text,
      customer: customerBrief.nullable(),
      inboundMessage: z
        .object({ kind: z.enum(InboundKind).nullable(), fromAddress: text, subject: text, receivedAt: dateTimeText })
        .nullable(),
    }),
  ),
  next,
});

/** GET /reports/leads: the inbox, newest first. */
export const leadReport = z.object({
  summary: z.record(z.string(), count).describe('Leads per status: {"new": 4, "won": 1}'),
  items: z.array(
    z.looseObject({
      id,
      status: z.enum(LeadStatus),
      fromAddress: text,
      subject: text,
      text,
      campaignId: id.nullable(),
      campaignName: text,
      messageId: bigIdText.nullable(),
      inboundMessageId: bigIdText.nullable(),
      forwardedAt: dateTimeText.nullable(),
      createdAt: dateTimeText,
      customer: customerBrief.extend({ company: z.object({ id, companyName: text }).nullable() }).nullable(),
    }),
  ),
  next,
});
