// Requests of /providers. The config is checked per kind by providers/provider-config.ts (its
// issues are named `config.<field>`); here only its place and the plain columns.
import { z } from 'zod';

export const providerKindSchema = z.enum(['smtp', 'sms_http', 'sms_smsru', 'capture'], {
  error: 'expected smtp, sms_http, sms_smsru or capture',
});
export const channelSchema = z.enum(['email', 'sms'], { error: 'expected email or sms' });

const name = z.string({ error: 'expected a name' }).trim().min(1, 'expected a name').max(200, 'expected at most 200 characters');
const limit = z.int({ error: 'expected a whole number' }).min(1, 'expected at least 1').max(1_000_000, 'expected at most 1000000');
const config = z.record(z.string(), z.unknown(), { error: 'expected an object with the provider’s settings' });

export const createProviderSchema = z.strictObject({
  name,
  /** Derived from the kind when left out (capture needs it). */
  channel: channelSchema.optional(),
  kind: providerKindSchema,
  config: config.default({}),
  perSecond: limit.nullable().default(null),
  perHour: limit.nullable().default(null),
  concurrency: z.int().min(1).max(1000).default(4),
  active: z.boolean().default(true),
});

/** Every field optional; `config` replaces the stored one, its secrets left out or sent back as "***" kept. */
export const updateProviderSchema = z.strictObject({
  name: name.optional(),
  config: config.optional(),
  perSecond: limit.nullable().optional(),
  perHour: limit.nullable().optional(),
  concurrency: z.int().min(1).max(1000).optional(),
  active: z.boolean().optional(),
});

export const providerListQuery = z.object({
  channel: channelSchema.optional(),
  active: z.enum(['true', 'false'], { error: 'expected true or false' }).optional(),
});

export type CreateProviderBody = z.infer<typeof createProviderSchema>;
export type UpdateProviderBody = z.infer<typeof updateProviderSchema>;
export type ProviderListQuery = z.infer<typeof providerListQuery>;
