// Requests of /senders. The from address is checked against the sender's channel in
// providers/sender-input.ts (an email for email, a sender name or number for SMS).
import { z } from 'zod';
import { rowId } from '../../common/ids';
import { customHeadersSchema } from '../mime/custom-headers';
import { channelSchema } from './provider.dto';

const name = z.string({ error: 'expected a name' }).trim().min(1, 'expected a name').max(200, 'expected at most 200 characters');
const text = (max: number) => z.string({ error: 'expected text' }).trim().max(max, `expected at most ${max} characters`);
const optionalText = (max: number) =>
  text(max)
    .nullish()
    .transform((value) => (value ? value : null));

export const senderFields = {
  name,
  fromAddress: text(254).min(1, 'expected an address'),
  fromName: optionalText(200),
  replyTo: optionalText(254),
  bounceDomain: optionalText(253),
  feedbackId: optionalText(64),
  providerId: rowId.nullable(),
  active: z.boolean(),
  headers: customHeadersSchema.describe(
    'Custom headers of every email from this sender, e.g. {"X-Campaign": "{{campaign.name}}"}: Handlebars with the body\'s variables; headers Otklik writes (From, Subject, List-*, Content-*, X-Otklik-*…) are refused',
  ),
};

export const createSenderSchema = z.strictObject({
  ...senderFields,
  channel: channelSchema.default('email'),
  providerId: senderFields.providerId.default(null),
  active: senderFields.active.default(true),
  headers: senderFields.headers.default({}),
});

/** The channel stays: a sender's from address means something else per channel. */
export const updateSenderSchema = z.strictObject({
  name: senderFields.name.optional(),
  fromAddress: senderFields.fromAddress.optional(),
  fromName: senderFields.fromName.optional(),
  replyTo: senderFields.replyTo.optional(),
  bounceDomain: senderFields.bounceDomain.optional(),
  feedbackId: senderFields.feedbackId.optional(),
  providerId: senderFields.providerId.optional(),
  active: senderFields.active.optional(),
  headers: senderFields.headers.optional(),
});

export const senderListQuery = z.object({
  channel: channelSchema.optional(),
  active: z.enum(['true', 'false'], { error: 'expected true or false' }).optional(),
});

export type CreateSenderBody = z.infer<typeof createSenderSchema>;
export type UpdateSenderBody = z.infer<typeof updateSenderSchema>;
export type SenderListQuery = z.infer<typeof senderListQuery>;
