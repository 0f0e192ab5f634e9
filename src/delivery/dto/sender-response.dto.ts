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
  headers: z.record(z.string(), z.string()).describe('Custom headers of its emails (name → Handlebars value)'),
  createdAt: dateTimeText,
});

export const senderList = z.array(senderView);

/** GET /senders/:id/dns-check. */
export const senderDnsReport = z.object({
  fromDomain: z.string(),
  bounceDomain: z.string().describe('The Return-Path (VERP) domain, which SPF checks'),
  records: z.array(
    z.object({
      kind: z.enum(['spf', 'dkim', 'dmarc']),
      name: z.string().describe('Where the TXT record goes'),
      publish: z.string().describe('The TXT value to publish'),
      found: z.array(z.string()).describe('What DNS has there now'),
      status: z.enum(['ok', 'missing', 'mismatch', 'unknown']).describe('unknown: DNS did not answer'),
      detail: z.string(),
    }),
  ),
  spfAligned: z.boolean(),
  dkimAligned: z.boolean(),
  dmarcReady: z.boolean().describe('A DMARC record and an aligned SPF or DKIM: DMARC can pass'),
});
