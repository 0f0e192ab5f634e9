// What the provider and SMS webhooks answer, and the URLs to give the providers, for the
// OpenAPI description only (nothing is validated on the way out).
import { z } from 'zod';
import { bigIdText } from '../../common/openapi';

/** GET /feedback/webhook-urls (Mailgun signs its posts; SendGrid and Postmark URLs carry a signed token). */
export const providerWebhookUrls = z.object({ mailgun: z.string(), sendgrid: z.string(), postmark: z.string(), ses: z.string() });

/** GET /feedback/sms/webhook-url. */
export const smsWebhookUrl = z.object({ url: z.string().describe('The URL to give the SMS gateway') });

/** POST /webhooks/mailgun, /sendgrid/:token, /postmark/:token: each event that means something is stored as an inbound message. */
export const providerEventsStored = z.object({
  stored: z.array(bigIdText).describe('The inbound message stored for each event that matters (bounce, complaint, delivery, unsubscribe)'),
  ignored: z.int().min(0).describe('Events acknowledged and dropped (opens, clicks, deferrals)'),
});

/** POST /webhooks/ses: a subscription confirmed, a message type ignored, or a notification stored. */
export const sesReceived = z.union([
  z.object({ confirmed: z.literal(true) }),
  z.object({ ignored: z.string().describe('The SNS message type, neither a confirmation nor a notification') }),
  z.object({ id: bigIdText, status: z.literal('received') }),
]);
