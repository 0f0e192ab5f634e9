// What /providers answers, for the OpenAPI description only. Secrets never leave: `config` is
// shown with them masked (`smtp://user:***@host:587`, `"token": "***"`).
import { z } from 'zod';
import { INT4_MAX } from '../../common/ids';
import { dateTimeText } from '../../common/openapi';

const id = z.int().min(1).max(INT4_MAX);

export const providerView = z.object({
  id,
  name: z.string(),
  channel: z.enum(['email', 'sms']),
  kind: z.enum(['smtp', 'sms_http', 'sms_smsru', 'capture']),
  config: z.record(z.string(), z.unknown()).describe('secrets shown as ***; send *** back (or leave the secret out) to keep one'),
  hasSecret: z.boolean(),
  maskedFields: z.array(z.string()).describe('paths under config whose value is masked'),
  perSecond: z.int().nullable(),
  perHour: z.int().nullable(),
  concurrency: z.int(),
  active: z.boolean(),
  createdAt: dateTimeText,
});

export const providerList = z.array(providerView);

export const providerTest = z.object({
  ok: z.boolean(),
  kind: z.enum(['smtp', 'sms_http', 'sms_smsru', 'capture']),
  steps: z.array(z.object({ step: z.string(), ok: z.boolean(), detail: z.string() })).describe('what was checked, in order'),
  error: z.string().optional().describe('the failing step and why'),
});
