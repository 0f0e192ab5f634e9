// The template form's pure parts: the data fields declaration as text (one field per line, the
// front-matter syntax), the variable menu a template offers, the starting source of a new
// template, a refused save's errors grouped by field with their lines, the warnings grouped and
// short (each unknown variable once, with the closest known name), and a version diff as rows.
// No Nest, no database.
import { diffLines } from 'diff';
import { closest, distance } from 'fastest-levenshtein';
import type { FieldIssue } from '../common/domain-error';
import { parseDataFieldLine, type DataField } from '../templates/render/data-fields';
import { CUSTOMER_SHORTCUTS, LINK_SHORTCUTS, VALUE_HELPERS } from '../templates/render/helpers';
import { KNOWN_ROOT, listKnownPaths } from '../templates/render/render-context';

// ---- data fields as text ------------------------------------------------------------------

/** One declared field as a line: `month: text! "Месяц" = {{run.month}}`. */
export function dataFieldLine(field: DataField): string {
  let value = field.type;
  if (field.required) value += '!';
  if (field.label !== undefined) value += ` "${field.label.replace(/"/g, "'")}"`;
  if (field.default !== undefined && field.default !== null && field.type !== 'list') value += ` = ${String(field.default)}`;
  return `${field.name}: ${value}`;
}

export function dataFieldsText(fields: readonly DataField[]): string {
  return fields.map(dataFieldLine).join('\n');
}

export interface LineIssue extends FieldIssue {
  line: number;
  column: number;
}

/**
 * The declaration typed in the form, one field per line (`name: type[!] ["label"] [= default]`;
 * a bare name is optional text; `data.` before the name is accepted); blank lines are skipped.
 * Problems name their line, under the path `dataSchema`.
 */
export function parseDataFieldsText(text: string): { fields: DataField[]; issues: LineIssue[] } {
  const fields: DataField[] = [];
  const issues: LineIssue[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line) return;
    const colon = line.indexOf(':');
    const name = (colon < 0 ? line : line.slice(0, colon)).trim().replace(/^data\./, '');
    const parsed = parseDataFieldLine(name, colon < 0 ? '' : line.slice(colon + 1));
    if (parsed.error || !parsed.field) {
      issues.push({ path: 'dataSchema', line: index + 1, column: 1, message: parsed.error ?? 'not a field' });
      return;
    }
    if (seen.has(name)) {
      issues.push({ path: 'dataSchema', line: index + 1, column: 1, message: `field "${name}" is declared twice` });
      return;
    }
    seen.add(name);
    fields.push(parsed.field);
  });
  return { fields, issues };
}

// ---- the variable menu --------------------------------------------------------------------

export interface TemplateVariable {
  group: string;
  label: string;
  insert: string;
}

/** The words of the menu, in the user's language (the view passes them from the catalogue). */
export interface VariableWords {
  groups: { customer: string; brand: string; links: string; run: string; data: string };
  /** labels by token name: firstName, brand.name, unsubscribeUrl, track, run.month… */
  labels: Record<string, string>;
  /** what `{{firstName default="…"}}` prints for a customer without a first name */
  defaultName: string;
}

const BRAND_FIELDS = ['name', 'website', 'address', 'supportEmail', 'supportPhone', 'logoUrl'] as const;
const RUN_FIELDS = ['month', 'monthName', 'year', 'date'] as const;

/** Everything a template may insert: customer shortcuts, brand, links, run values and the declared data fields. */
export function templateVariables(dataSchema: readonly DataField[], words: VariableWords): TemplateVariable[] {
  const label = (name: string) => words.labels[name] ?? name;
  const out: TemplateVariable[] = [];
  for (const name of CUSTOMER_SHORTCUTS) {
    const insert = name === 'firstName' ? `{{firstName default="${words.defaultName.replace(/"/g, "'")}"}}` : `{{${name}}}`;
    out.push({ group: words.groups.customer, label: label(name), insert });
  }
  for (const name of ['fullName', 'politeName']) out.push({ group: words.groups.customer, label: label(name), insert: `{{${name}}}` });
  for (const name of BRAND_FIELDS) out.push({ group: words.groups.brand, label: label(`brand.${name}`), insert: `{{brand.${name}}}` });
  out.push({ group: words.groups.links, label: label('track'), insert: '{{track "https://"}}' });
  for (const name of LINK_SHORTCUTS) out.push({ group: words.groups.links, label: label(name), insert: `{{${name}}}` });
  for (const name of RUN_FIELDS) out.push({ group: words.groups.run, label: label(`run.${name}`), insert: `{{run.${name}}}` });
  out.push({ group: words.groups.run, label: label('year'), insert: '{{year}}' });
  for (const field of dataSchema) {
    out.push({
      group: words.groups.data,
      label: field.label ? `${field.label} (data.${field.name})` : `data.${field.name}`,
      insert: `{{data.${field.name}}}`,
    });
  }
  return out;
}

// ---- a new template's first version -------------------------------------------------------

/** The smallest valid email: one section, one column, one text, so the builder has something to show. */
export function emailSkeleton(greeting: string): string {
  return [
    '<mjml>',
    '  <mj-body>',
    '    <mj-section>',
    '      <mj-column>',
    `        <mj-text>${greeting}</mj-text>`,
    '      </mj-column>',
    '    </mj-section>',
    '  </mj-body>',
    '</mjml>',
  ].join('\n');
}

/** Text shown as typed in a template (a new template's name as its first subject): `{{` is not an expression. */
export function literalText(text: string): string {
  return text.replace(/\{\{/g, '\\{{');
}

// ---- a refused save's errors --------------------------------------------------------------

export interface ErrorMark {
  line?: number;
  column?: number;
  message: string;
}

/** Form fields that show their own errors; anything else is listed above the form. */
export const MARKED_FIELDS = ['subject', 'preheader', 'body', 'dataSchema'] as const;
export type MarkedField = (typeof MARKED_FIELDS)[number];

export interface ErrorMarks {
  byField: Partial<Record<MarkedField, ErrorMark[]>>;
  other: FieldIssue[];
}

/** The API words an issue "line 3, column 5: …"; the mark keeps the position apart. */
function markOf(issue: FieldIssue & { line?: unknown; column?: unknown }): ErrorMark {
  const line = typeof issue.line === 'number' ? issue.line : undefined;
  const column = typeof issue.column === 'number' ? issue.column : undefined;
  const message = line === undefined ? issue.message : issue.message.replace(/^line \d+, column \d+: /, '');
  return { line, column, message };
}

/** Errors grouped by the form field they belong to (`dataSchema.0.name` belongs to dataSchema), in line order. */
export function errorMarks(issues: readonly FieldIssue[]): ErrorMarks {
  const marks: ErrorMarks = { byField: {}, other: [] };
  for (const issue of issues) {
    const head = issue.path.split(/[.[]/)[0] as MarkedField;
    if (!MARKED_FIELDS.includes(head)) {
      marks.other.push(issue);
      continue;
    }
    (marks.byField[head] ??= []).push(markOf(issue));
  }
  for (const list of Object.values(marks.byField)) list.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return marks;
}

// ---- warnings, grouped and short ----------------------------------------------------------

export interface StoredWarning {
  path: string;
  line: number;
  column: number;
  message: string;
  variable?: string;
}

export interface UnknownVariableNote {
  variable: string;
  /** the closest name a template may use, when one is close enough */
  suggestion?: string;
  /** where it occurs, as "body:12" pairs */
  places: Array<{ path: string; line: number }>;
}

export interface OtherNote {
  message: string;
  places: Array<{ path: string; line: number }>;
}

export interface WarningNotes {
  unknown: UnknownVariableNote[];
  other: OtherNote[];
}

/** Names a template may write, as typed: `customer.firstName`, `firstName`, `data.month`; lists and open objects left out. */
export function knownNames(dataFields: readonly string[]): string[] {
  const paths = listKnownPaths(KNOWN_ROOT).filter((p) => !p.includes('*') && !p.includes('[]'));
  return [...new Set([...paths, ...VALUE_HELPERS, ...dataFields.map((f) => `data.${f}`)])];
}

/** The closest known name, if it is a plausible typo (at most a third of the name changed, and at most 3 edits). */
export function suggestName(variable: string, known: readonly string[]): string | undefined {
  if (!known.length) return undefined;
  const best = closest(variable, known);
  const d = distance(variable, best);
  return d > 0 && d <= Math.min(3, Math.max(1, Math.floor(variable.length / 3))) ? best : undefined;
}

/** Unknown variables once each (with a suggestion), other warnings once per message, each with its places. */
export function warningNotes(warnings: readonly StoredWarning[], dataFields: readonly string[]): WarningNotes {
  const known = knownNames(dataFields);
  const unknown = new Map<string, UnknownVariableNote>();
  const other = new Map<string, OtherNote>();
  for (const w of warnings) {
    const place = { path: w.path, line: w.line };
    if (w.variable !== undefined) {
      const note = unknown.get(w.variable) ?? { variable: w.variable, suggestion: suggestName(w.variable, known), places: [] };
      note.places.push(place);
      unknown.set(w.variable, note);
    } else {
      const note = other.get(w.message) ?? { message: w.message, places: [] };
      note.places.push(place);
      other.set(w.message, note);
    }
  }
  return { unknown: [...unknown.values()], other: [...other.values()] };
}

// ---- version diff -------------------------------------------------------------------------

export interface DiffRow {
  kind: 'added' | 'removed' | 'same';
  text: string;
}

/** Line rows from `before` to `after`: removed lines, then added ones, unchanged ones between; CRLF counts as LF. */
export function diffRows(before: string, after: string): DiffRow[] {
  const rows: DiffRow[] = [];
  // versions saved from a browser before line ends were normalised carry CRLF
  for (const change of diffLines(before, after, { stripTrailingCr: true })) {
    const kind = change.added ? 'added' : change.removed ? 'removed' : 'same';
    const lines = change.value.replace(/\n$/, '').split('\n');
    for (const text of lines) rows.push({ kind, text });
  }
  return rows;
}
