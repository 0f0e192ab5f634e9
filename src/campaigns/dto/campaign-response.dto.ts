// What the campaigns routes answer, for the OpenAPI description only (nothing is validated on
// the way out; test/foundation/openapi.e2e-spec.ts parses real answers with these schemas).
import { z } from 'zod';
import { INT4_MAX } from '../../common/ids';
import { dateTimeText } from '../../common/openapi';
import { CampaignStatus, Channel, ScheduleKind } from '../../generated/prisma/enums';

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
  createdAt: dateTimeText,
  updatedAt: dateTimeText,
  attachments: z.array(z.object({ attachment: z.object({ id, filename: z.string(), contentType: z.string(), size: z.int() }) })),
});
