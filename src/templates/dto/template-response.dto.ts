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
  createdAt: dateTimeText,
  updatedAt: dateTimeText,
  locales: z.array(z.object({ locale: z.string(), versionId: id, version: z.int().min(1), fromFile: z.boolean() })),
};

export const templateItems = z.object({ items: z.array(z.looseObject(summary)) });

/** GET /templates/:id, and what creating or changing one answers: the current version of each locale. */
export const templateDetail = z.looseObject({
  ...summary,
  current: z.array(templateVersion),
  versionCount: z.record(z.string(), z.int()).describe('Versions saved per locale'),
});
