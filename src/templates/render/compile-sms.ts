// SMS templates: Handlebars text, rendered per recipient, with a length report.

import { compileTemplate, type TemplateFunction } from './handlebars-env';
import { renderData } from './render-data';
import { renderableContext } from './renderable-json';
import { numberTrackCalls } from './mjml-protect';
import { knownRoot, type RenderContext } from './render-context';
import { preferGsm7, segmentWarning, smsLength, type SmsLengthReport } from './sms-length';
import { checkHandlebars, type PartLocation } from './template-check';
import { TemplateCompileError, type TemplateIssue, type TemplateWarning } from './template-issue';

export const DEFAULT_MAX_SEGMENTS = 2;

export interface SmsTemplateSource {
  text: string;
  locale?: string;
  /** warn when a render needs more segments than this (default 2) */
  maxSegments?: number;
  /** replace typographic dashes/quotes/spaces when that keeps a render in GSM-7 (default true) */
  preferGsm7?: boolean;
  dataFields?: string[];
  location?: PartLocation;
}

export interface RenderedSms {
  text: string;
  length: SmsLengthReport;
  /** e.g. the render needs more segments than allowed */
  warnings: string[];
}

export interface CompiledSms {
  readonly locale?: string;
  readonly maxSegments: number;
  readonly warnings: TemplateWarning[];
  render(context: RenderContext): RenderedSms;
}

export interface SmsCheck {
  compiled?: CompiledSms;
  errors: TemplateIssue[];
  warnings: TemplateWarning[];
}

/** Single spaces, no blank lines, no spaces at line ends: what a phone shows anyway. */
export function tidySms(text: string): string {
  return text
    .replace(/[ \t]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

class CompiledSmsTemplate implements CompiledSms {
  private readonly fn: TemplateFunction;

  constructor(
    source: string,
    readonly locale: string | undefined,
    readonly maxSegments: number,
    readonly warnings: TemplateWarning[],
    private readonly gsmFallback: boolean,
  ) {
    this.fn = compileTemplate(source, { noEscape: true });
  }

  render(input: RenderContext): RenderedSms {
    const context = renderableContext(input);
    const rendered = tidySms(this.fn(context, renderData(context, this.locale)));
    const text = this.gsmFallback ? preferGsm7(rendered) : rendered;
    const length = smsLength(text);
    const warning = segmentWarning(length, this.maxSegments);
    return { text, length, warnings: warning ? [warning] : [] };
  }
}

/**
 * An SMS template longer than this is refused before Handlebars reads it: twenty segments
 * are ~3,000 characters, and Handlebars costs ~0.15 ms per expression, so a 500 KB body
 * of expressions would hold a validation for seconds.
 */
export const MAX_SMS_SOURCE = 10_000;

export function checkSms(source: SmsTemplateSource): SmsCheck {
  const location = source.location ?? { part: 'body', line: 1, column: 1 };
  if (source.text.length > MAX_SMS_SOURCE) {
    return {
      errors: [
        {
          line: location.line,
          column: 1,
          message: `An SMS template is at most ${MAX_SMS_SOURCE.toLocaleString('en')} characters; this one has ${source.text.length.toLocaleString('en')}`,
          part: 'body',
        },
      ],
      warnings: [],
    };
  }
  const result = checkHandlebars(source.text, { location, root: knownRoot(source.dataFields), html: false });
  if (result.errors.length) return { errors: result.errors, warnings: result.warnings };
  if (!source.text.trim()) {
    return { errors: [{ line: location.line, column: 1, message: 'An SMS template needs text', part: 'body' }], warnings: result.warnings };
  }
  const text = numberTrackCalls(source.text).text;
  const compiled = new CompiledSmsTemplate(
    text,
    source.locale,
    source.maxSegments ?? DEFAULT_MAX_SEGMENTS,
    result.warnings,
    source.preferGsm7 ?? true,
  );
  return { compiled, errors: [], warnings: result.warnings };
}

/** Compiles an SMS template; throws TemplateCompileError listing every error. */
export function compileSms(source: SmsTemplateSource): CompiledSms {
  const result = checkSms(source);
  if (!result.compiled) throw new TemplateCompileError(result.errors, result.warnings);
  return result.compiled;
}
