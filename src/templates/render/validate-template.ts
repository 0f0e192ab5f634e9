// Validation on save: every error (MJML, Handlebars syntax, unknown helpers, front matter)
// and warning (unknown variables, unescaped output) of a template, located in its source.

import { checkEmail, type EmailTemplateSource } from './compile-email';
import { checkSms } from './compile-sms';
import type { TemplateIssue, TemplateWarning } from './template-issue';
import { parseTemplateFile, type ParseOptions, type TemplateChannel, type TemplateFile } from './template-file';

export interface ValidationResult {
  channel?: TemplateChannel;
  errors: TemplateIssue[];
  warnings: TemplateWarning[];
}

export function emailSourceOf(file: TemplateFile): EmailTemplateSource {
  return {
    mjml: file.body,
    subject: file.subject ?? '',
    preheader: file.preheader,
    text: file.text,
    locale: file.locale,
    dataFields: file.dataFields,
    locations: file.locations,
  };
}

function byPosition(a: TemplateIssue, b: TemplateIssue): number {
  return a.line - b.line || a.column - b.column;
}

/**
 * Validates a template given as file text (front matter optional; the channel comes from
 * `options.channel`, the front matter, the path's extension or an `<mjml>` root) or as a
 * parsed file. Async because MJML 5 compiles asynchronously.
 */
export async function validateTemplate(source: string | TemplateFile, options: ParseOptions = {}): Promise<ValidationResult> {
  let file: TemplateFile;
  const warnings: TemplateWarning[] = [];
  if (typeof source === 'string') {
    const parsed = parseTemplateFile(source, options);
    if (!parsed.file) return { errors: parsed.errors, warnings: parsed.warnings };
    file = parsed.file;
    warnings.push(...parsed.warnings);
  } else {
    file = source;
  }
  const result =
    file.channel === 'email'
      ? await checkEmail(emailSourceOf(file))
      : checkSms({
          text: file.body,
          locale: file.locale,
          maxSegments: file.maxSegments,
          dataFields: file.dataFields,
          location: file.locations.body,
        });
  return {
    channel: file.channel,
    errors: [...result.errors].sort(byPosition),
    warnings: [...warnings, ...result.warnings].sort(byPosition),
  };
}
