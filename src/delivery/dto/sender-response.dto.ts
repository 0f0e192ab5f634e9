// What /senders answers, for the OpenAPI description only.
import { z } from 'zod';
import { INT4_MAX } from '../../common/ids';
import { dateTimeText } from '../../common/openapi';

const id = z.int().min(1).max(INT4_MAX);

export const senderView = z.object({
  id,
  name: z.string(),
  channel: z.enum(['email', 'sms']),
  fromAddress: z.string().describe('an email address, or for SMS the sender name or number'),
  fromName: z.string().nullable(),
  replyTo: z.string().nullable(),
  bounceDomain: z.string().nullable(),
  feedbackId: z.string().nullable(),
  providerId: id.nullable(),
  active: z.boolean(),
  createdAt: dateTimeText,
});

export const senderList = z.array(senderView);
