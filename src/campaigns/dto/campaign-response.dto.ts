// What the campaigns routes answer, for the OpenAPI description only (nothing is validated on
// the way out; test/foundation/openapi.e2e-spec.ts parses real answers with these schemas).
import { z } from 'zod';
import { INT4_MAX } from '../../common/ids';
import { dateTimeText } from '../../common/openapi';
import { PREFLIGHT_CODES } from '../preflight';
import { runDocumentView } from '../../documents/dto/document-response.dto';
import { CampaignStatus, Channel, RunStatus, ScheduleKind, UnchangedDocumentPolicy } from '../../generated/prisma/enums';

const id = z.int().min(1).max(INT4_MAX);

/** A campaign as every campaigns route shows it (CAMPAIGN_VIEW in campaigns.repository.ts). */
export const campaignView = z.looseObject({
  id,
  name: z.string(),
  channel: z.enum(Channel),
  status: z.enum(CampaignStatus),
  statusReason: z.string().nullable().describe('Why it is paused, cancelled or failed'),
  templateId: id,
  segmentId: id.nullable(),
  senderId: id.nullable(),
  scheduleKind: z.enum(ScheduleKind),
  scheduledAt: dateTimeText.nullable(),
  cron: z.string().nullable(),
  timeZone: z.string(),
  nextRunAt: dateTimeText.nullable(),
  abTest: z.record(z.string(), z.unknown()).nullable().describe('The A/B test as it was given, null without one'),
  data: z.record(z.string(), z.unknown()).describe("Values of the template's data fields"),
  localTime: z.string().nullable().describe("HH:MM in each recipient's zone on the run's date; null without one"),
  sendingWindow: z
    .object({ days: z.array(z.int().min(1).max(7)), from: z.string(), to: z.string() })
    .nullable()
    .describe('ISO weekdays (1 = Monday) and local times; null without one'),
  headers: z.record(z.string(), z.string()).describe("Custom headers over the sender's (name → Handlebars value)"),
  createdAt: dateTimeText,
  updatedAt: dateTimeText,
  attachments: z
    .array(
      z.object({
        ifUnchanged: z.enum(UnchangedDocumentPolicy),
        attachment: z
          .object({ id, name: z.string(), latestVersion: z.int().min(1), filename: z.string(), contentType: z.string(), size: z.int() })
          .describe('The document (its id is the attachment id) with its latest version'),
      }),
    )
    .describe('Documents attached; each run sends the latest version at its start'),
});

/** GET /campaigns/:id/runs: each occurrence with its message counts by status. */
export const campaignRuns = z.array(
  z.looseObject({
    id,
    campaignId: id,
    occurrenceAt: dateTimeText,
    status: z.enum(RunStatus),
    statusReason: z.string().nullable(),
    audienceCount: z.int().min(0),
    abWinner: z.string().nullable().describe('The winning A/B variant key, once decided'),
    startedAt: dateTimeText.nullable(),
    finishedAt: dateTimeText.nullable(),
    createdAt: dateTimeText,
    messages: z.record(z.string(), z.int().min(0)).describe('Messages by status, e.g. {"sent": 980, "hard_bounced": 3}'),
    documents: z.array(runDocumentView).describe('Which version of each document the run sends, fixed when it started'),
  }),
);

const recipient = z.object({
  customerId: id.nullable(),
  sample: z.string().describe('Why this recipient was rendered: random, longest or emptiest profile'),
});

/** POST /campaigns/:id/preflight: every problem at once (and the 400 of schedule lists the same). */
export const preflightReport = z.object({
  ok: z.boolean().describe('No errors: the campaign may be scheduled; warnings do not block'),
  problems: z.array(
    z.object({
      code: z.enum(PREFLIGHT_CODES),
      severity: z.enum(['error', 'warning']),
      field: z.string().optional().describe('What to change: data.month, brand.name, attachmentIds, subject, href…'),
      message: z.string(),
      recipient: recipient.optional().describe('The sample recipient whose message shows it'),
      detail: z
        .record(z.string(), z.union([z.string(), z.number()]))
        .optional()
        .describe('The values the message names: label, href, word, shown, segments and max'),
    }),
  ),
  samples: z.array(recipient).describe('The recipients whose messages were rendered'),
});

/** POST /campaigns/:id/test-send. */
export const testSendResult = z.object({
  channel: z.enum(Channel),
  to: z.string(),
  customerId: id.describe('Whose message was rendered'),
  subject: z.string().nullable().describe('The subject sent, with its «[ТЕСТ] » prefix (null for SMS)'),
  providerMessageId: z.string(),
});
