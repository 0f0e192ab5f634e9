// What one saved template version is made of, how it is checked and compiled on save, and
// how a worker turns the stored row back into render functions without running MJML.
// Pure: no Nest, no database.

import { createHash } from 'node:crypto';
import {
  checkEmail,
  checkSms,
  emailFromArtifact,
  type CompiledEmail,
  type CompiledSms,
  TemplateCompileError,
  type TemplateFile,
  type TemplateIssue,
  type TemplateWarning,
} from './render';
import { plainDataFields, type DataField } from './render/data-fields';

export type TemplateChannel = 'email' | 'sms';

/** The fields a user (or a default file) writes for one locale variant. */
export interface VersionSource {
  channel: TemplateChannel;
  locale: string;
  subject?: string | null;
  preheader?: string | null;
  /** MJML for email, Handlebars text for SMS */
  body: string;
  /** hand-written plain-text part of an email; generated from the HTML when absent */
  text?: string | null;
  /** declared `data.*` fields; when given, other `data.*` names are warned about */
  dataFields?: string[];
  /** the full declaration (type, required, label, default); its names are `dataFields` */
  dataSchema?: DataField[];
  /** SMS: warn when a render needs more segments than this */
  maxSegments?: number | null;
}

/** What a save stores beside the source. */
export interface CompiledVersion {
  contentHash: string;
  /** email: MJML output still carrying the Handlebars expressions */
  compiledHtml: string | null;
  /** email: Handlebars source of the plain-text part */
  compiledText: string | null;
  warnings: TemplateWarning[];
}

export type VersionCheck = { ok: true; compiled: CompiledVersion } | { ok: false; errors: TemplateIssue[]; warnings: TemplateWarning[] };

/** The stored row, as far as rendering needs it. */
export interface StoredVersion {
  channel: TemplateChannel;
  locale: string;
  subject: string | null;
  preheader: string | null;
  body: string;
  textOverride: string | null;
  compiledHtml: string | null;
  compiledText: string | null;
  dataFields: string[];
  maxSegments: number | null;
  warnings: unknown;
}

/** True when a declaration says more than names (a type, `!`, a label, a default). */
function declaresMoreThanNames(fields: readonly DataField[] | undefined): boolean {
  return (fields ?? []).some((f) => f.type !== 'text' || f.required || f.label !== undefined || f.default !== undefined);
}

const blankToNull = (value: string | null | undefined): string | null =>
  value === undefined || value === null || value === '' ? null : value;

/**
 * sha256 over the source fields (not the locale: versions are compared within one locale).
 * Equal hashes mean equal content, so a default file that is already the current version
 * is not saved again.
 */
export function contentHashOf(source: VersionSource): string {
  const canonical = [
    source.channel,
    blankToNull(source.subject),
    blankToNull(source.preheader),
    source.body,
    blankToNull(source.text),
    [...(source.dataFields ?? [])].sort(),
    source.maxSegments ?? null,
    // only when it says more than the names, so versions saved before declarations keep their hash
    ...(declaresMoreThanNames(source.dataSchema) ? [source.dataSchema] : []),
  ];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** Where each part sits in a template file, so a default file's errors name file lines. */
export type PartLocations = TemplateFile['locations'];

/** Validates and compiles a version: MJML runs here, once, and never again for this version. */
export async function compileVersionSource(source: VersionSource, locations?: PartLocations): Promise<VersionCheck> {
  const contentHash = contentHashOf(source);
  const dataFields = source.dataFields?.length ? source.dataFields : undefined;
  if (source.channel === 'sms') {
    const result = checkSms({
      text: source.body,
      locale: source.locale,
      maxSegments: source.maxSegments ?? undefined,
      dataFields,
      location: locations?.body,
    });
    if (!result.compiled) return { ok: false, errors: result.errors, warnings: result.warnings };
    return { ok: true, compiled: { contentHash, compiledHtml: null, compiledText: null, warnings: result.warnings } };
  }
  const result = await checkEmail({
    mjml: source.body,
    subject: source.subject ?? '',
    preheader: blankToNull(source.preheader) ?? undefined,
    text: blankToNull(source.text) ?? undefined,
    locale: source.locale,
    dataFields,
    locations,
  });
  if (!result.compiled) return { ok: false, errors: result.errors, warnings: result.warnings };
  const { artifact } = result.compiled;
  return { ok: true, compiled: { contentHash, compiledHtml: artifact.html, compiledText: artifact.text, warnings: result.warnings } };
}

type SourceFields = Pick<VersionSource, 'body'> & { [K in 'subject' | 'preheader' | 'text']?: string | null } & {
  dataFields?: string[];
  dataSchema?: DataField[];
  maxSegments?: number | null;
};

/**
 * A version source with absent fields as null and no declared data fields as []. A full
 * declaration gives the names; names alone declare optional text fields.
 */
export function versionSource(channel: TemplateChannel, locale: string, fields: SourceFields): VersionSource {
  const dataSchema = fields.dataSchema ?? plainDataFields(fields.dataFields ?? []);
  return {
    channel,
    locale,
    subject: fields.subject ?? null,
    preheader: fields.preheader ?? null,
    body: fields.body,
    text: fields.text ?? null,
    dataFields: dataSchema.map((f) => f.name),
    dataSchema,
    maxSegments: fields.maxSegments ?? null,
  };
}

/** The version source of a default template file. */
export function versionSourceOfFile(file: TemplateFile): VersionSource {
  return versionSource(file.channel, file.locale, file);
}

/** A checked source and what its compile produced, as the stored row would hold them (a draft preview renders it unsaved). */
export function storedOf(source: VersionSource, compiled: CompiledVersion): StoredVersion {
  return {
    channel: source.channel,
    locale: source.locale,
    subject: source.subject ?? null,
    preheader: source.preheader ?? null,
    body: source.body,
    textOverride: blankToNull(source.text),
    compiledHtml: compiled.compiledHtml,
    compiledText: compiled.compiledText,
    dataFields: source.dataFields ?? [],
    maxSegments: source.maxSegments ?? null,
    warnings: compiled.warnings,
  };
}

function storedWarnings(row: StoredVersion): TemplateWarning[] {
  return Array.isArray(row.warnings) ? (row.warnings as TemplateWarning[]) : [];
}

/**
 * Render functions of a stored email version. With the compiled HTML and text saved, this
 * is a Handlebars compile (milliseconds); a row without them (written by hand) is compiled
 * from its source.
 */
export async function emailOfStored(row: StoredVersion): Promise<CompiledEmail> {
  if (row.compiledHtml !== null && row.compiledText !== null) {
    return emailFromArtifact(
      {
        locale: row.locale,
        subject: row.subject ?? '',
        preheader: row.preheader ?? '',
        html: row.compiledHtml,
        text: row.compiledText,
        textGenerated: row.textOverride === null,
      },
      storedWarnings(row),
    );
  }
  const result = await checkEmail({
    mjml: row.body,
    subject: row.subject ?? '',
    preheader: row.preheader ?? undefined,
    text: row.textOverride ?? undefined,
    locale: row.locale,
    dataFields: row.dataFields.length ? row.dataFields : undefined,
  });
  if (!result.compiled) throw new TemplateCompileError(result.errors, result.warnings);
  return result.compiled;
}

/** Render function of a stored SMS version (Handlebars only: under a millisecond). */
export function smsOfStored(row: StoredVersion): CompiledSms {
  const result = checkSms({
    text: row.body,
    locale: row.locale,
    maxSegments: row.maxSegments ?? undefined,
    dataFields: row.dataFields.length ? row.dataFields : undefined,
  });
  if (!result.compiled) throw new TemplateCompileError(result.errors, result.warnings);
  return result.compiled;
}
