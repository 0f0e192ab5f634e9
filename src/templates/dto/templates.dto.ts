// Request schemas of the templates API (zod, the one validation library).
import { z } from 'zod';
import { rowId } from '../../common/ids';
import { DATA_FIELD_TYPES, declarationIssues } from '../render/data-fields';

/** "en_gb" → "en-GB": language lower-case, region upper-case, as the default files name them. */
export function normalizeLocale(tag: string): string {
  const [language, region] = tag.trim().replace('_', '-').split('-');
  return region ? `${language.toLowerCase()}-${region.length === 2 ? region.toUpperCase() : region}` : language.toLowerCase();
}

const channel = z.enum(['email', 'sms']);
/** A template's key: lower-case letters and digits joined by - or _. */
export const templateKey = z
  .string()
  .trim()
  .max(64)
  .regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, 'expected lower-case letters and digits joined by - or _, such as order-shipped');
export const localeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$/, 'expected a language tag such as ru, en or en-GB')
  .transform(normalizeLocale);

/** One declared data field: `{ name: "month", type: "text", required: true, default: "{{run.month}}" }`. */
export const dataFieldSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z_]\w*$/, 'expected a field name such as promoCode'),
    label: z.string().trim().min(1).max(200).optional(),
    type: z.enum(DATA_FIELD_TYPES).default('text'),
    required: z.boolean().optional(),
    /** used when a campaign gives no value; text may use {{run.month}} and the other run values */
    default: z.unknown().optional(),
  })
  .strict();

const dataSchemaField = z
  .array(dataFieldSchema)
  .max(100)
  .superRefine((fields, ctx) => {
    for (const issue of declarationIssues(fields, '')) {
      // declarationIssues names "[i].name"; zod wants the path as segments
      const [, index, field] = /^\[(\d+)\]\.(\w+)$/.exec(issue.path) ?? [];
      ctx.addIssue({ code: 'custom', path: index === undefined ? [] : [Number(index), field], message: issue.message });
    }
  });

const versionFields = {
  /** default: DEFAULT_LOCALE */
  locale: localeSchema.optional(),
  subject: z.string().max(2000).optional(),
  preheader: z.string().max(2000).optional(),
  body: z.string().min(1, 'the template body is empty').max(500_000),
  text: z.string().max(200_000).optional(),
  dataFields: z
    .array(z.string().regex(/^[A-Za-z_]\w*$/, 'expected a field name such as promoCode'))
    .max(100)
    .optional(),
  /** the full declaration of the data fields; replaces dataFields (names alone declare optional text) */
  dataSchema: dataSchemaField.optional(),
  maxSegments: z.number().int().min(1).max(20).optional(),
};

const oneDeclaration = (body: { dataFields?: string[]; dataSchema?: unknown[] }) =>
  body.dataFields === undefined || body.dataSchema === undefined;
const oneDeclarationIssue = { message: 'give dataSchema or dataFields, not both', path: ['dataFields'] };

export const saveVersionBody = z.object(versionFields).strict().refine(oneDeclaration, oneDeclarationIssue);
export type SaveVersionInput = z.infer<typeof saveVersionBody>;

export const createTemplateBody = z
  .object({
    key: templateKey,
    name: z.string().trim().min(1).max(200),
    channel,
    description: z.string().trim().max(2000).optional(),
    ...versionFields,
  })
  .strict()
  .refine(oneDeclaration, oneDeclarationIssue);
export type CreateTemplateInput = z.infer<typeof createTemplateBody>;

export const updateTemplateBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().trim().max(2000).nullable().optional(),
    embedImages: z
      .boolean()
      .optional()
      .describe("send Otklik's own images (`<PUBLIC_URL>/images/…`) inside each email as inline CID parts instead of links"),
  })
  .strict()
  .refine(
    (body) => body.name !== undefined || body.description !== undefined || body.embedImages !== undefined,
    'nothing to change: send name, description or embedImages',
  );
export type UpdateTemplateInput = z.infer<typeof updateTemplateBody>;

export const validateTemplateBody = z
  .object({ channel, ...versionFields })
  .strict()
  .refine(oneDeclaration, oneDeclarationIssue);
export type ValidateTemplateInput = z.infer<typeof validateTemplateBody>;

export const listTemplatesQuery = z.object({
  channel: channel.optional(),
  key: z.string().trim().min(1).optional(),
  search: z.string().trim().min(1).max(100).optional(),
});

export const listVersionsQuery = z.object({ locale: localeSchema.optional() });

const contextPart = z.record(z.string(), z.unknown());

const previewFields = z
  .object({
    /** a version of this template; default: the current version for the locale */
    versionId: rowId.optional(),
    /** which variant; default: the customer's locale, else DEFAULT_LOCALE */
    locale: localeSchema.optional(),
    /** render for this customer; default: a sample customer */
    customerId: rowId.optional(),
    /** an order of that customer; default: its latest, else a sample order */
    orderId: rowId.optional(),
    /** deep-merged over the context, e.g. {"data":{"promoCode":"X1"}} */
    context: z
      .object({
        customer: contextPart,
        order: contextPart,
        message: contextPart,
        campaign: contextPart,
        brand: contextPart,
        data: contextPart,
        run: contextPart,
        now: z.string(),
      })
      .partial()
      .strict()
      .optional(),
  })
  .strict()
  .refine((body) => body.orderId === undefined || body.customerId !== undefined, {
    message: 'orderId needs customerId',
    path: ['orderId'],
  });
/** An empty request body previews the current version for a sample customer. */
export const previewBody = z.preprocess((body) => body ?? {}, previewFields);
export type PreviewInput = z.infer<typeof previewFields>;
