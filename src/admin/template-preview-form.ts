// The fields the template preview posts (the frame's hidden form, the JSON preview and the test
// send): which locale, the draft as typed, the customer or the sample, extra `data` values. Pure.
import { z } from 'zod';
import { rowIdText } from '../common/ids';
import { parseOrThrow } from '../common/zod-validation';
import { localeSchema } from '../templates/dto/templates.dto';
import type { TemplateDraft } from '../templates/template-preview.service';

export interface PreviewForm {
  locale: string;
  /** absent when the form posts no body: the saved version is shown */
  draft?: TemplateDraft;
  /** absent: the sample customer */
  customerId?: number;
  /** deep-merged over the render context, e.g. `{ "data": { "month": "март" } }` */
  context?: { data: Record<string, unknown> };
}

const blankAsAbsent = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const dataJson = z.string().transform((text, ctx) => {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: 'custom', message: 'expected a JSON object' });
  return z.NEVER;
});

const previewFields = z.object({
  locale: localeSchema,
  subject: z.string().max(2000).optional(),
  preheader: z.string().max(2000).optional(),
  body: z.string().min(1, 'the template body is empty').max(500_000).optional(),
  customerId: z.preprocess(blankAsAbsent, rowIdText.optional()),
  dataJson: z.preprocess(blankAsAbsent, dataJson.optional()),
});

/** The posted preview fields; 400 naming the field (`locale`, `body`, `customerId`, `dataJson`). */
export function readPreviewForm(form: Record<string, unknown>): PreviewForm {
  const fields = parseOrThrow(previewFields, {
    locale: form.locale,
    subject: form.subject,
    preheader: form.preheader,
    body: form.body,
    customerId: form.customerId,
    dataJson: form.dataJson,
  });
  return {
    locale: fields.locale,
    ...(fields.body !== undefined
      ? { draft: { locale: fields.locale, body: fields.body, subject: fields.subject, preheader: fields.preheader } }
      : {}),
    ...(fields.customerId !== undefined ? { customerId: fields.customerId } : {}),
    ...(fields.dataJson !== undefined ? { context: { data: fields.dataJson } } : {}),
  };
}
