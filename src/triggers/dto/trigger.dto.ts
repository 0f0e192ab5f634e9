// Shapes of trigger requests. `options` depends on the type; each type's options are checked
// here, with defaults filled in, so the stored config is always complete.
import { z } from 'zod';
import { rowCursorText, rowId } from '../../common/ids';

export const TRIGGER_TYPES = ['birthday', 'order_status', 'welcome', 'win_back', 're_engagement', 'event'] as const;
export const ORDER_STATUSES = ['created', 'paid', 'shipped', 'delivered', 'cancelled'] as const;

const templateKey = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9._-]*$/i, 'expected a template key such as order-shipped');

/** Options every type has. */
const common = {
  /**
   * `opted_in`: marketing (the default but for order notifications): the channel's consent must be opted in.
   * `not_opted_out`: service messages: anyone who has not opted out of the channel.
   */
  consent: z.enum(['opted_in', 'not_opted_out']).optional(),
  /** SMS wait for the end of SMS_QUIET_HOURS in the customer's zone (default true). */
  quietHours: z.boolean().default(true),
  /** Extra template data: `{{data.xxx}}`. */
  data: z.record(z.string(), z.unknown()).default({}),
};

export const birthdayOptions = z
  .object({
    ...common,
    /** Local hour in each customer's own time zone when the greeting goes out. */
    localHour: z.number().int().min(0).max(23).default(9),
    /** 0: on the birthday; N: N days before it. */
    daysBefore: z.number().int().min(0).max(60).default(0),
    promoCode: z.string().trim().min(1).max(100).optional(),
    discountPercent: z.number().min(0).max(100).optional(),
    /** The promo code is valid this many days after the birthday ({{data.validUntil}}). */
    promoValidDays: z.number().int().min(0).max(365).default(7),
  })
  .strict();

export const orderStatusOptions = z.object({ ...common, orderStatus: z.enum(ORDER_STATUSES) }).strict();

export const welcomeOptions = z
  .object({
    ...common,
    /** The second message of the series (a template key); none: a single welcome. */
    secondTemplate: templateKey.optional(),
    secondStepDays: z.number().int().min(1).max(365).default(3),
  })
  .strict();

const inactivityOptions = z
  .object({
    ...common,
    /** Days without an order (win_back) or without an opened email (re_engagement). */
    days: z.number().int().min(1).max(3650),
    /** The daily scan runs after this hour in DEFAULT_TIME_ZONE. */
    localHour: z.number().int().min(0).max(23).default(10),
  })
  .strict();

export const eventOptions = z.object({ ...common, eventName: z.string().trim().min(1).max(100) }).strict();

export const OPTIONS_BY_TYPE = {
  birthday: birthdayOptions,
  order_status: orderStatusOptions,
  welcome: welcomeOptions,
  win_back: inactivityOptions,
  re_engagement: inactivityOptions,
  event: eventOptions,
} as const;

export type TriggerTypeName = (typeof TRIGGER_TYPES)[number];
export type BirthdayOptions = z.infer<typeof birthdayOptions>;
export type OrderStatusOptions = z.infer<typeof orderStatusOptions>;
export type WelcomeOptions = z.infer<typeof welcomeOptions>;
export type InactivityOptions = z.infer<typeof inactivityOptions>;
export type EventOptions = z.infer<typeof eventOptions>;
export type TriggerOptions = BirthdayOptions | OrderStatusOptions | WelcomeOptions | InactivityOptions | EventOptions;

const channels = z
  .array(z.enum(['email', 'sms']))
  .min(1)
  .max(2)
  .refine((list) => new Set(list).size === list.length, 'a channel may appear once');

const triggerFields = {
  name: z.string().trim().min(1).max(200),
  type: z.enum(TRIGGER_TYPES),
  /** In order of preference: ["sms", "email"] sends SMS, else email when the customer has no reachable phone. */
  channels: channels.default(['email']),
  /** Template key; a template with this key must exist for every channel. */
  template: templateKey,
  /** Condition: only customers in this segment. */
  segmentId: rowId.nullable().optional(),
  /** Wait this long after the event before sending. */
  delayMinutes: z
    .number()
    .int()
    .min(0)
    .max(60 * 24 * 90)
    .default(0),
  active: z.boolean().default(true),
  options: z.record(z.string(), z.unknown()).default({}),
};

export const createTriggerSchema = z.object(triggerFields).strict();

/** PATCH: fields left out stay; `options`, when given, replace the stored ones (defaults filled in again). */
export const updateTriggerSchema = z
  .object({
    name: triggerFields.name.optional(),
    channels: channels.optional(),
    template: templateKey.optional(),
    segmentId: triggerFields.segmentId,
    delayMinutes: z
      .number()
      .int()
      .min(0)
      .max(60 * 24 * 90)
      .optional(),
    active: z.boolean().optional(),
    options: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export const triggerListQuery = z.object({
  type: z.enum(TRIGGER_TYPES).optional(),
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

export const firingsQuery = z.object({
  after: rowCursorText.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export type CreateTriggerBody = z.infer<typeof createTriggerSchema>;
export type UpdateTriggerBody = z.infer<typeof updateTriggerSchema>;

/** The options of a type with defaults, or the issues with paths under `options`. */
export function parseTriggerOptions(
  type: TriggerTypeName,
  options: unknown,
): { ok: true; value: TriggerOptions } | { ok: false; issues: Array<{ path: string; message: string }> } {
  const result = OPTIONS_BY_TYPE[type].safeParse(options ?? {});
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({
      path: ['options', ...issue.path.map(String)].join('.'),
      message:
        issue.code === 'unrecognized_keys'
          ? `${issue.message} (a ${type} trigger takes ${Object.keys(OPTIONS_BY_TYPE[type].shape).join(', ')})`
          : issue.message,
    })),
  };
}

/** Order notifications are service messages; everything else is marketing and needs an opt-in. */
export function consentOf(type: TriggerTypeName, options: { consent?: 'opted_in' | 'not_opted_out' }): 'opted_in' | 'not_opted_out' {
  return options.consent ?? (type === 'order_status' ? 'not_opted_out' : 'opted_in');
}
