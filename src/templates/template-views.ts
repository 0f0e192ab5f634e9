// How templates and versions appear in API responses.

import type { Template } from '../generated/prisma/client';
import type { TemplateWarning } from './render';
import { declarationOf, type DataField } from './render/data-fields';
import { fieldWarningOf, type TemplateFieldWarning } from './template-issues';
import type { VersionViewRow } from './templates.repository';

export interface VersionView {
  id: number;
  templateId: number;
  locale: string;
  version: number;
  subject: string | null;
  preheader: string | null;
  body: string;
  /** the hand-written plain-text part, or null when it is generated from the HTML */
  text: string | null;
  dataFields: string[];
  /** the declared data fields: name, label, type, required, default */
  dataSchema: DataField[];
  maxSegments: number | null;
  /** loaded from templates/ rather than saved through the API */
  fromFile: boolean;
  createdBy: string | null;
  createdAt: Date;
  warnings: TemplateFieldWarning[];
}

export function versionView(row: VersionViewRow): VersionView {
  const warnings = Array.isArray(row.warnings) ? (row.warnings as unknown as TemplateWarning[]) : [];
  return {
    id: row.id,
    templateId: row.templateId,
    locale: row.locale,
    version: row.version,
    subject: row.subject,
    preheader: row.preheader,
    body: row.body,
    text: row.textOverride,
    dataFields: row.dataFields,
    dataSchema: declarationOf(row),
    maxSegments: row.maxSegments,
    fromFile: row.fromFile,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    warnings: warnings.map(fieldWarningOf),
  };
}

export interface LocaleSummary {
  locale: string;
  versionId: number;
  version: number;
  /** false once a user has saved this variant (the default file no longer updates it) */
  fromFile: boolean;
  /** when this version was saved */
  savedAt: Date;
}

export function templateSummary(template: Template, locales: LocaleSummary[]) {
  return {
    id: template.id,
    key: template.key,
    name: template.name,
    channel: template.channel,
    description: template.description,
    builtIn: template.builtIn,
    embedImages: template.embedImages,
    createdAt: template.createdAt,
    updatedAt: template.updatedAt,
    locales,
  };
}
