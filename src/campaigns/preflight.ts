// The campaign pre-flight (issue 18): everything that would make a campaign's messages wrong,
// found at once, before anything is sent. It judges the campaign, its template's source and
// declaration, the brand, and the messages rendered for a sample of real recipients by the
// send path itself (CampaignRenderService in delivery/), and returns every problem, each with a
// code, a severity, the field to fix and a sentence saying what to do. Errors stop scheduling
// and a run's start; warnings are shown and do not. Pure: no Nest, no database.
//
// Links: a rendered `href` must be an absolute http(s) URL (or mailto:/tel:); anything else is an
// error. An EMPTY href is a warning: it comes from an optional value left empty (a required one
// is reported as data_missing, an error), and the template should guard it with `{{#if}}`; the
// campaign's author decides whether the recipients may get a button that leads nowhere. Tracked
// links are checked by their destination: the samples are rendered with the click-tracking
// wrapper left out.

import type { DataField } from '../templates/render/data-fields';
import { missingDataIssues } from '../templates/render/data-fields';
import type { RenderBrand } from '../templates/render/render-context';
import { brandGaps, unknownVariables } from '../templates/render/template-uses';

export const PREFLIGHT_CODES = [
  'data_missing',
  'link_invalid',
  'brand_unset',
  'attachment_missing',
  'unknown_variable',
  'subject_empty',
  'sms_too_long',
  'audience_empty',
] as const;
export type PreflightCode = (typeof PREFLIGHT_CODES)[number];

export interface PreflightRecipient {
  customerId: number | null;
  /** why this recipient was rendered: `random`, `longest` or `emptiest` profile, or `chosen` */
  sample: string;
}

export interface PreflightProblem {
  code: PreflightCode;
  severity: 'error' | 'warning';
  /** what to change: `data.month`, `brand.name`, `attachmentIds`, `subject` … */
  field?: string;
  message: string;
  /** the sample recipient whose message shows it, for problems seen in a render */
  recipient?: PreflightRecipient;
  /**
   * The values the message names, for a client that says it in its own words (the admin UI):
   * `label` (data_missing), `href` (link_invalid), `word` (attachment_missing), `shown`
   * (brand_unset shown with the sender's name), `segments`/`max` (sms_too_long).
   */
  detail?: Record<string, string | number>;
}

export interface PreflightReport {
  /** no errors: the campaign may be scheduled or its run may send */
  ok: boolean;
  problems: PreflightProblem[];
  /** the recipients whose messages were rendered */
  samples: PreflightRecipient[];
}

/** One locale variant of the template (and of an A/B variant's template). */
export interface PreflightTemplate {
  locale: string;
  /** the Handlebars sources: subject, preheader, body, hand-written text */
  parts: string[];
  /** declared data field names (empty: the template declares none, any data.* goes) */
  dataFields: string[];
}

export interface PreflightSample {
  recipient: PreflightRecipient;
  email?: { subject: string; html: string; text: string };
  sms?: { text: string; segments: number; encoding: string; units: number };
}

export interface PreflightInput {
  channel: 'email' | 'sms';
  /** the merged declaration of the campaign's templates, and the campaign's data */
  declaration: readonly DataField[];
  data: Record<string, unknown>;
  /** documents the campaign attaches */
  attachmentCount: number;
  /** the stored brand settings (null/empty: not set) and the brand a message shows (with the sender's name standing in for an unset name) */
  brand: { settings: Record<string, string | null | undefined>; rendered: RenderBrand };
  templates: readonly PreflightTemplate[];
  samples: readonly PreflightSample[];
  /** the SMS segment budget (the template version's limit) */
  maxSmsSegments: number;
}

/** Words by which a text promises a file: Russian and English. */
const PROMISES_ATTACHMENT = /прайс[-\s]?лист|во\s+вложени|вложени[еия]|приложен|attached|attachment|\bexcel\b|\.xlsx?\b/i;

/** Link schemes a reader can follow. */
const FOLLOWABLE = new Set(['http:', 'https:', 'mailto:', 'tel:']);

export function preflight(input: PreflightInput): PreflightReport {
  const problems: PreflightProblem[] = [];
  const seen = new Set<string>();
  const add = (problem: PreflightProblem) => {
    const key = `${problem.code}|${problem.field ?? ''}|${problem.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push(problem);
  };

  for (const issue of missingDataIssues(input.declaration, input.data)) {
    const field = input.declaration.find((f) => `data.${f.name}` === issue.path);
    add({
      code: 'data_missing',
      severity: 'error',
      field: issue.path,
      message: `${issue.path}${field?.label ? ` («${field.label}»)` : ''} is required and has neither a value nor a default: give it in the campaign's data`,
      ...(field?.label ? { detail: { label: field.label } } : {}),
    });
  }

  brandProblems(input, add);

  for (const template of input.templates) {
    for (const variable of unknownVariables(template.parts, template.dataFields.length ? template.dataFields : undefined)) {
      add({
        code: 'unknown_variable',
        severity: 'error',
        field: variable,
        message: `the template (${template.locale}) reads {{${variable}}}, which is neither a known variable nor a declared data field: it would print nothing. Fix the name or declare the field`,
      });
    }
  }

  if (input.samples.length === 0) {
    add({
      code: 'audience_empty',
      severity: 'warning',
      field: 'segmentId',
      message: 'the segment has no reachable recipient on this channel now, so no message could be rendered and checked',
    });
  }

  let promisedWithoutFile = false;
  for (const sample of input.samples) {
    if (sample.email) {
      const { subject, html, text } = sample.email;
      if (!subject.trim())
        add({
          code: 'subject_empty',
          severity: 'error',
          field: 'subject',
          message: 'the subject renders empty: give the template a subject that does not depend only on empty values',
          recipient: sample.recipient,
        });
      for (const problem of linkProblems(html)) add({ ...problem, recipient: sample.recipient });
      if (!promisedWithoutFile && input.attachmentCount === 0) {
        const promise = PROMISES_ATTACHMENT.exec(`${subject}\n${text}`);
        if (promise) {
          promisedWithoutFile = true;
          add({
            code: 'attachment_missing',
            severity: 'error',
            field: 'attachmentIds',
            message: `the message says «${promise[0]}», promising a file, but the campaign attaches no document: attach it (attachmentIds or attachments) or change the text`,
            recipient: sample.recipient,
            detail: { word: promise[0] },
          });
        }
      }
    }
    if (sample.sms && sample.sms.segments > input.maxSmsSegments) {
      add({
        code: 'sms_too_long',
        severity: 'error',
        field: 'text',
        message: `the SMS needs ${sample.sms.segments} segments (${sample.sms.units} ${sample.sms.encoding} units), over the budget of ${input.maxSmsSegments}: shorten the text`,
        recipient: sample.recipient,
        detail: { segments: sample.sms.segments, max: input.maxSmsSegments },
      });
    }
  }

  return { ok: !problems.some((p) => p.severity === 'error'), problems, samples: input.samples.map((s) => s.recipient) };
}

function brandProblems(input: PreflightInput, add: (problem: PreflightProblem) => void): void {
  const rendered = input.brand.rendered as Record<string, string | undefined>;
  for (const gap of brandGaps(
    input.templates.map((t) => t.parts),
    input.brand.settings,
    rendered,
  )) {
    // A warning with a value shown is the sender's name standing in for an unset brand name.
    const shown = gap.severity === 'warning' ? rendered[gap.field.slice('brand.'.length)] : undefined;
    add({ code: 'brand_unset', ...gap, ...(shown ? { detail: { shown } } : {}) });
  }
}

/** Every href of an HTML part that is empty or leads nowhere a reader can follow. */
export function linkProblems(html: string): PreflightProblem[] {
  const problems: PreflightProblem[] = [];
  for (const match of html.matchAll(/\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))/gi)) {
    const href = decodeEntities(match[1] ?? match[2] ?? match[3] ?? '').trim();
    if (href === '') {
      problems.push({
        code: 'link_invalid',
        severity: 'warning',
        field: 'href',
        message:
          'a link renders empty (href=""): the value it is built from is empty; give it (a data field, a brand setting), or guard the link with {{#if}} in the template',
      });
      continue;
    }
    let url: URL | undefined;
    try {
      url = new URL(href);
    } catch {
      url = undefined;
    }
    const followable =
      url && FOLLOWABLE.has(url.protocol) && (url.protocol === 'mailto:' || url.protocol === 'tel:' || url.hostname !== '');
    if (!followable) {
      const shown = href.length > 120 ? `${href.slice(0, 117)}…` : href;
      problems.push({
        code: 'link_invalid',
        severity: 'error',
        field: 'href',
        message: `a link leads to «${shown}», which is not an absolute http(s) URL: give a full address such as https://shop.example.com/…`,
        detail: { href: shown },
      });
    }
  }
  return problems;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
