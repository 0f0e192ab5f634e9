// Email templates: MJML is compiled once per template version into HTML that still carries
// the Handlebars expressions; that HTML, the subject, the preheader and the plain-text part
// are compiled to Handlebars functions, and per recipient only those functions run.

import { compileParts, type PartsFunction } from './handlebars-env';
import { checkSurvival, numberTrackCalls, protectMjml, restoreExpressions } from './mjml-protect';
import { LineIndex } from './mustache-scan';
import { renderData } from './render-data';
import { renderableContext } from './renderable-json';
import { knownRoot, type RenderContext } from './render-context';
import { checkHandlebars, type PartLocation } from './template-check';
import { TemplateCompileError, type TemplateIssue, type TemplateWarning } from './template-issue';
import { htmlToPlainText, textTemplate, tidyRenderedText } from './text-part';

type Mjml2Html = (typeof import('mjml'))['default'];
let mjml: Promise<Mjml2Html> | undefined;

/**
 * MJML is loaded on the first compile, not with this file: it is a large share of a process's
 * start-up memory, and a worker renders versions compiled and stored before (emailFromArtifact).
 */
function loadMjml(): Promise<Mjml2Html> {
  return (mjml ??= import('mjml').then((module) => module.default));
}

export interface EmailTemplateSource {
  /** MJML with Handlebars expressions */
  mjml: string;
  subject: string;
  preheader?: string;
  /** hand-written plain-text part; generated from the HTML when absent */
  text?: string;
  /** language of this variant ("ru", "en"); dates and money are formatted in it */
  locale?: string;
  /** the `data.*` fields the template declares; when given, other `data.*` names are warned */
  dataFields?: string[];
  /** where each part sits in its file, so issues carry file lines (default: each part from line 1) */
  locations?: Partial<Record<'subject' | 'preheader' | 'body' | 'text', PartLocation>>;
}

/** What a compile produces; plain strings, so it can be stored and re-instantiated without MJML. */
export interface EmailArtifact {
  locale?: string;
  subject: string;
  preheader: string;
  /** MJML output, still carrying the Handlebars expressions */
  html: string;
  /** Handlebars source of the plain-text part */
  text: string;
  textGenerated: boolean;
}

export interface RenderedEmail {
  subject: string;
  preheader: string;
  html: string;
  text: string;
}

export interface CompiledEmail {
  readonly artifact: EmailArtifact;
  readonly warnings: TemplateWarning[];
  /** time spent in MJML for this compile (0 when built from an artifact) */
  readonly mjmlCompileMs: number;
  render(context: RenderContext): RenderedEmail;
}

export interface EmailCheck {
  compiled?: CompiledEmail;
  errors: TemplateIssue[];
  warnings: TemplateWarning[];
}

const HIDDEN_PREHEADER_STYLE =
  'display:none;font-size:1px;color:#ffffff;line-height:1px;max-height:0px;max-width:0px;opacity:0;overflow:hidden;mso-hide:all;';

function location(source: EmailTemplateSource, part: 'subject' | 'preheader' | 'body' | 'text'): PartLocation {
  return source.locations?.[part] ?? { part, line: 1, column: 1 };
}

/** Puts the preheader, as a hidden block, at the top of the body (unless MJML has one). */
function withPreheader(html: string, preheaderSource: string): string {
  if (!preheaderSource.trim()) return html;
  const body = /<body[^>]*>/i.exec(html);
  if (!body) return html;
  const at = body.index + body[0].length;
  return `${html.slice(0, at)}\n<div style="${HIDDEN_PREHEADER_STYLE}">${preheaderSource}</div>${html.slice(at)}`;
}

function columnOfTag(sourceLine: string | undefined, tagName: string): number {
  const i = sourceLine?.indexOf(`<${tagName}`) ?? -1;
  return i >= 0 ? i + 1 : 1;
}

class CompiledEmailTemplate implements CompiledEmail {
  private readonly parts: PartsFunction;

  constructor(
    readonly artifact: EmailArtifact,
    readonly warnings: TemplateWarning[],
    readonly mjmlCompileMs: number,
  ) {
    this.parts = compileParts([
      { source: artifact.subject, noEscape: true },
      { source: artifact.preheader, noEscape: true },
      { source: artifact.html },
      { source: artifact.text, noEscape: true },
    ]);
  }

  render(input: RenderContext): RenderedEmail {
    const context = renderableContext(input);
    const [subject, preheader, html, text] = this.parts(context, renderData(context, this.artifact.locale));
    return { subject: oneLine(subject), preheader: oneLine(preheader), html, text: tidyRenderedText(text) };
  }
}

const SPACES_TO_FOLD = /[ \t\n\r\f\v]{2,}|[\t\n\r\f\v]/;

/** Subjects and preheaders are one line with single spaces (no-break spaces are kept). */
function oneLine(text: string): string {
  return (SPACES_TO_FOLD.test(text) ? text.replace(/[ \t\n\r\f\v]+/g, ' ') : text).trim();
}

/** Builds the render functions from a stored artifact: no MJML, a few milliseconds. */
export function emailFromArtifact(artifact: EmailArtifact, warnings: TemplateWarning[] = []): CompiledEmail {
  return new CompiledEmailTemplate(artifact, warnings, 0);
}

/** Checks and compiles; never throws for a bad template (see `compileEmail`). */
export async function checkEmail(source: EmailTemplateSource): Promise<EmailCheck> {
  const root = knownRoot(source.dataFields);
  const errors: TemplateIssue[] = [];
  const warnings: TemplateWarning[] = [];
  const check = (text: string, part: 'subject' | 'preheader' | 'body' | 'text', html: boolean): boolean => {
    const result = checkHandlebars(text, { location: location(source, part), root, html });
    errors.push(...result.errors);
    warnings.push(...result.warnings);
    return result.errors.length === 0;
  };

  if (!source.subject?.trim()) {
    const at = location(source, 'subject');
    errors.push({ line: at.line, column: at.column, message: 'An email template needs a subject', part: 'subject' });
  } else {
    check(source.subject, 'subject', false);
  }
  const preheader = source.preheader ?? '';
  check(preheader, 'preheader', true);
  if (source.text !== undefined) check(source.text, 'text', false);
  const bodyOk = check(source.mjml, 'body', true);
  if (!bodyOk) return { errors, warnings };

  const body = location(source, 'body');
  const lineOffset = body.line - 1;
  const shielded = protectMjml(source.mjml, lineOffset);
  if (!shielded.result) return { errors: [...errors, ...shielded.errors], warnings };
  const protectedMjml = shielded.result;

  const mjml2html = await loadMjml(); // before the clock: loading is not compiling
  const started = performance.now();
  let output: { html: string; errors: { line: number; message: string; tagName: string }[] };
  try {
    output = await mjml2html(protectedMjml.mjml, { validationLevel: 'soft', keepComments: false, ignoreIncludes: true });
  } catch (error) {
    const message = restoreExpressions((error as Error).message ?? String(error), protectedMjml);
    errors.push({ line: body.line, column: 1, message: `MJML: ${message}`, part: 'body' });
    return { errors, warnings };
  }
  const mjmlCompileMs = performance.now() - started;

  const sourceLines = source.mjml.split('\n');
  for (const e of output.errors) {
    const line = protectedMjml.originalLine(e.line);
    errors.push({
      line,
      column: columnOfTag(sourceLines[line - 1 - lineOffset], e.tagName),
      message: `MJML: ${restoreExpressions(e.message, protectedMjml)}`,
      part: 'body',
    });
  }
  errors.push(...checkSurvival(output.html, protectedMjml, source.mjml, lineOffset));
  if (errors.length) return { errors, warnings };

  let text: string;
  let textGenerated = false;
  if (source.text !== undefined) {
    text = numberTrackCalls(source.text, protectedMjml.linkCount).text;
  } else {
    text = textTemplate(restoreExpressions(htmlToPlainText(output.html), protectedMjml));
    textGenerated = true;
  }
  const artifact: EmailArtifact = {
    locale: source.locale,
    subject: source.subject,
    preheader,
    html: withPreheader(restoreExpressions(output.html, protectedMjml), preheader),
    text,
    textGenerated,
  };
  try {
    return { compiled: new CompiledEmailTemplate(artifact, warnings, mjmlCompileMs), errors, warnings };
  } catch (error) {
    // the parts were checked one by one; what MJML or html-to-text made of them can still fail
    const message = (error as Error).message.split('\n')[0];
    errors.push({
      ...lineOf(source.mjml, body),
      message: `Could not compile the template as MJML output it: ${message}${textGenerated ? ' (a hand-written text part may avoid it)' : ''}`,
      part: 'body',
    });
    return { errors, warnings };
  }
}

function lineOf(mjml: string, body: PartLocation): { line: number; column: number } {
  const index = new LineIndex(mjml);
  const first = mjml.search(/\{\{[#^]/);
  return first < 0
    ? { line: body.line, column: 1 }
    : { line: index.position(first).line + body.line - 1, column: index.position(first).column };
}

/** Compiles an email template version; throws TemplateCompileError listing every error. */
export async function compileEmail(source: EmailTemplateSource): Promise<CompiledEmail> {
  const result = await checkEmail(source);
  if (!result.compiled) throw new TemplateCompileError(result.errors, result.warnings);
  return result.compiled;
}
