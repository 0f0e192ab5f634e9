// What the templates routes answer (template-views.ts), for the OpenAPI description only
// (nothing is validated on the way out; test/foundation/openapi.e2e-spec.ts parses real answers).
import { z } from 'zod';
import { INT4_MAX } from '../../common/ids';
import { dateTimeText } from '../../common/openapi';
import { TemplateChannel } from '../../generated/prisma/enums';

const id = z.int().min(1).max(INT4_MAX);

/** VersionView. */
export const templateVersion = z.looseObject({
  id,
  templateId: id,
  locale: z.string(),
  version: z.int().min(1),
  subject: z.string().nullable(),
  preheader: z.string().nullable(),
  body: z.string(),
  text: z.string().nullable().describe('The hand-written plain-text part, or null when it is generated from the HTML'),
  dataFields: z.array(z.string()),
  dataSchema: z
    .array(z.looseObject({ name: z.string(), label: z.string().optional(), type: z.string(), required: z.boolean().optional() }))
    .describe('The declared data fields: name, label, type, required, default'),
  maxSegments: z.int().nullable(),
  fromFile: z.boolean().describe('Loaded from templates/ rather than saved through the API'),
  createdBy: z.string().nullable(),
  createdAt: dateTimeText,
  warnings: z.array(z.looseObject({ path: z.string(), message: z.string() })),
});

const summary = {
  id,
  key: z.string(),
  name: z.string(),
  channel: z.enum(TemplateChannel),
  description: z.string().nullable(),
  builtIn: z.boolean(),
  embedImages: z.boolean().describe("Otklik's own images go inside each email as inline CID parts instead of links"),
  createdAt: dateTimeText,
  updatedAt: dateTimeText,
  locales: z.array(z.object({ locale: z.string(), versionId: id, version: z.int().min(1), fromFile: z.boolean(), savedAt: dateTimeText })),
};

export const templateItems = z.object({ items: z.array(z.looseObject(summary)) });

/** GET /templates/:id, and what creating or changing one answers: the current version of each locale. */
export const templateDetail = z.looseObject({
  ...summary,
  current: z.array(templateVersion),
  versionCount: z.record(z.string(), z.int()).describe('Versions saved per locale'),
});

/** GET /templates/:id/versions: every saved version, newest first, `current` marking the one in use per locale. */
export const versionItems = z.object({
  items: z.array(
    z.looseObject({
      id,
      locale: z.string(),
      version: z.int().min(1),
      current: z.boolean(),
      fromFile: z.boolean(),
      createdBy: z.string().nullable(),
      createdAt: dateTimeText,
    }),
  ),
});

/** An error or warning inside a template field: the field, and the line and column inside it. */
const fieldIssue = z.looseObject({ path: z.string(), message: z.string(), line: z.int().min(1), column: z.int().min(1) });
const fieldWarning = fieldIssue.extend({
  variable: z.string().optional().describe('Unknown-variable warnings: the variable'),
  known: z.array(z.string()).optional().describe('…and the variables a template may use'),
});

/** The length of an SMS text (SmsLengthReport in render/sms-length.ts). */
const smsLength = z.object({
  encoding: z.enum(['GSM-7', 'UCS-2']),
  characters: z.int().min(0),
  units: z.int().min(0).describe('GSM-7 septets or UCS-2 code units'),
  segments: z.int().min(0),
  perSegment: z.int().min(1),
  remaining: z.int().min(0),
  nonGsmCharacters: z.array(z.string()).describe('The characters that forced UCS-2'),
});

/** POST /templates/validate (ValidationReport in template-editor.service.ts). */
export const validationReport = z.object({
  valid: z.boolean(),
  errors: z.array(fieldIssue),
  warnings: z.array(fieldWarning),
  sample: z
    .object({ text: z.string(), sms: smsLength, warnings: z.array(z.string()) })
    .optional()
    .describe('SMS: a render for a sample customer of the locale'),
});

const previewHead = {
  templateId: id,
  key: z.string(),
  versionId: id,
  version: z.int().min(1),
  locale: z.string(),
  customerId: id.nullable().describe('The customer rendered for, null for the sample one'),
  sample: z.array(z.string()).describe('The parts of the context taken from the sample (brand, links, order …)'),
};

/** POST /templates/:id/preview: the rendered email, or the SMS text and its length. */
export const templatePreview = z.union([
  z.looseObject({
    ...previewHead,
    channel: z.literal('email'),
    subject: z.string(),
    preheader: z.string(),
    html: z.string(),
    text: z.string(),
    warnings: z.array(fieldWarning),
  }),
  z.looseObject({
    ...previewHead,
    channel: z.literal('sms'),
    text: z.string(),
    sms: smsLength,
    warnings: z.array(z.looseObject({ path: z.string(), message: z.string() })),
  }),
]);
