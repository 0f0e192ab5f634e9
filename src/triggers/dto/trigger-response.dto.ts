// What the triggers (automations) routes answer, for the OpenAPI description only (nothing is
// validated on the way out; test/foundation/openapi.e2e-spec.ts parses real answers with it).
import { z } from 'zod';
import { INT4_MAX } from '../../common/ids';
import { dateTimeText } from '../../common/openapi';
import { Channel, MessageStatus, TriggerType } from '../../generated/prisma/enums';

const id = z.int().min(1).max(INT4_MAX);

/** `view` in triggers.service.ts. */
export const triggerView = z.looseObject({
  id,
  name: z.string(),
  type: z.enum(TriggerType),
  channels: z.array(z.enum(Channel)).describe('In order of preference: the first reachable one is used'),
  templateId: id,
  template: z.string().describe('The template key'),
  segmentId: id.nullable(),
  delayMinutes: z.int(),
  options: z.record(z.string(), z.unknown()).describe('The options of the type, defaults filled in'),
  active: z.boolean(),
  createdAt: dateTimeText,
  updatedAt: dateTimeText,
});

export const triggerItems = z.object({ items: z.array(triggerView) });

const firing = z.looseObject({
  id,
  customerId: id,
  occurrenceKey: z.string(),
  channel: z.enum(Channel).nullable().describe('null when no channel was reachable (reason says why)'),
  reason: z.string().nullable(),
  messageId: z.string().nullable().describe('An int8 id, as text'),
  firedAt: dateTimeText,
  message: z
    .object({
      status: z.enum(MessageStatus),
      statusReason: z.string().nullable(),
      sentAt: dateTimeText.nullable(),
      scheduledFor: dateTimeText.nullable(),
    })
    .nullable(),
});

/** `next` (a number here) is the cursor for the following page: pass it as `after`. */
export const firingPage = z.object({ items: z.array(firing), next: id.nullable() });
