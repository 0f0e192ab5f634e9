// The `data` a template reads (`{{data.month}}`, `{{data.catalogUrl}}`), declared with the
// template: name, label, type, required or not, default. A campaign's data is checked against
// the declaration when it is saved (unknown field, wrong type) and when it is scheduled
// (a required field with neither value nor default), and the send path fills in defaults per
// run. Pure: no Nest, no database.
//
// Front matter, one line per field (the old `data: a, b` still declares optional text fields):
//
//   data.month: text! "Месяц" = {{run.month}}
//   data.catalogUrl: url! "Ссылка на каталог"
//   data.highlights: list "Новинки месяца"
//
// type, `!` = required, an optional quoted label, an optional `= default` to the end of the line.

import { expandRunValues, usesRunValues, type RenderRun } from './run-values';

export const DATA_FIELD_TYPES = ['text', 'url', 'number', 'date', 'money', 'list'] as const;
export type DataFieldType = (typeof DATA_FIELD_TYPES)[number];

export interface DataField {
  name: string;
  label?: string;
  type: DataFieldType;
  required?: boolean;
  /** used when the campaign gives no value; text may carry `{{run.*}}`, expanded per run */
  default?: unknown;
}

export interface DataIssue {
  path: string;
  message: string;
}

export const DATA_FIELD_NAME = /^[A-Za-z_]\w*$/;

const LINE = /^([a-z]+)?\s*(!)?\s*(?:"([^"]*)")?\s*(?:=\s*(.*))?$/;

/** One front-matter field line's value: `text! "Месяц" = {{run.month}}`. */
export function parseDataFieldLine(name: string, value: string): { field?: DataField; error?: string } {
  if (!DATA_FIELD_NAME.test(name)) return { error: `"${name}" is not a field name (letters, digits and _)` };
  const m = LINE.exec(value.trim());
  if (!m) return { error: `expected "type[!] ["label"] [= default]", such as text! "Месяц" = {{run.month}}` };
  const [, typeText, bang, label, defaultText] = m;
  const type = (typeText ?? 'text') as DataFieldType;
  if (!DATA_FIELD_TYPES.includes(type)) return { error: `unknown type "${typeText}"; known: ${DATA_FIELD_TYPES.join(', ')}` };
  const field: DataField = { name, type };
  if (label !== undefined && label.trim()) field.label = label.trim();
  if (bang) field.required = true;
  if (defaultText !== undefined && defaultText.trim() !== '') {
    if (type === 'list') return { error: 'a list has no default in front matter' };
    const raw = defaultText.trim();
    field.default = (type === 'number' || type === 'money') && !usesRunValues(raw) && raw !== '' ? Number(raw) : raw;
    const problem = defaultProblem(field);
    if (problem) return { error: problem };
  }
  return { field };
}

/** `data: a, b` declares optional text fields. */
export function plainDataFields(names: readonly string[]): DataField[] {
  return names.map((name) => ({ name, type: 'text' as const }));
}

/** Problems of a whole declaration (names, duplicates, defaults of the right type), with paths under `prefix`. */
export function declarationIssues(fields: readonly DataField[], prefix = 'dataSchema'): DataIssue[] {
  const issues: DataIssue[] = [];
  const seen = new Set<string>();
  fields.forEach((field, i) => {
    if (!DATA_FIELD_NAME.test(field.name)) issues.push({ path: `${prefix}[${i}].name`, message: `"${field.name}" is not a field name` });
    if (seen.has(field.name)) issues.push({ path: `${prefix}[${i}].name`, message: `field "${field.name}" is declared twice` });
    seen.add(field.name);
    const problem = defaultProblem(field);
    if (problem) issues.push({ path: `${prefix}[${i}].default`, message: problem });
  });
  return issues;
}

function defaultProblem(field: DataField): string | undefined {
  if (field.default === undefined || field.default === null) return undefined;
  // a run placeholder is checked when it is expanded, per run
  if (typeof field.default === 'string' && usesRunValues(field.default)) {
    return field.type === 'text' || field.type === 'date' ? undefined : `only text and date defaults may use {{run.*}}`;
  }
  const problem = valueProblem(field.type, field.default);
  return problem ? `the default: ${problem}` : undefined;
}

/** Why `value` is not a `type`, or undefined when it is. */
export function valueProblem(type: DataFieldType, value: unknown): string | undefined {
  switch (type) {
    case 'text':
      return typeof value === 'string' ? undefined : 'expected text';
    case 'url':
      return isHttpUrl(value) ? undefined : 'expected an http(s) URL, such as https://shop.example.com/catalogue';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'expected a number';
    case 'money':
      return (typeof value === 'number' && Number.isFinite(value)) ||
        (typeof value === 'string' && /^-?\d+(?:\.\d{1,4})?$/.test(value.trim()))
        ? undefined
        : 'expected an amount, such as 1500 or "1500.50"';
    case 'date':
      return typeof value === 'string' && isIsoDate(value) ? undefined : 'expected an ISO date, such as 2026-12-31 or 2026-12-31T10:00:00Z';
    case 'list':
      return Array.isArray(value) ? undefined : 'expected a list (a JSON array)';
  }
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))?$/.exec(value);
  if (!m) return false;
  const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return day.getUTCMonth() === Number(m[2]) - 1 && day.getUTCDate() === Number(m[3]) && !Number.isNaN(Date.parse(value));
}

/** Blank values count as absent: a required field given "" is still missing. */
function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * Unknown fields and values of the wrong type, each named `data.<field>`. A template that
 * declares nothing accepts any data (templates saved before declarations existed).
 */
export function dataValueIssues(fields: readonly DataField[], data: Record<string, unknown>, prefix = 'data'): DataIssue[] {
  if (!fields.length) return [];
  const byName = new Map(fields.map((f) => [f.name, f]));
  const issues: DataIssue[] = [];
  for (const [name, value] of Object.entries(data)) {
    const field = byName.get(name);
    if (!field) {
      issues.push({
        path: `${prefix}.${name}`,
        message: `the template declares no field "${name}"; it has ${[...byName.keys()].join(', ')}`,
      });
      continue;
    }
    if (isBlank(value)) continue;
    const problem = valueProblem(field.type, value);
    if (problem) issues.push({ path: `${prefix}.${name}`, message: problem });
  }
  return issues;
}

/** Required fields with neither a value nor a default: what stops a campaign from being scheduled. */
export function missingDataIssues(fields: readonly DataField[], data: Record<string, unknown>, prefix = 'data'): DataIssue[] {
  return fields
    .filter((f) => f.required && isBlank(data[f.name]) && isBlank(f.default))
    .map((f) => ({ path: `${prefix}.${f.name}`, message: `required${f.label ? ` (${f.label})` : ''}: give a value` }));
}

/** The data a run renders with: the campaign's values, else the defaults with `{{run.*}}` expanded. */
export function resolveData(fields: readonly DataField[], data: Record<string, unknown>, run: RenderRun): Record<string, unknown> {
  const out: Record<string, unknown> = { ...data };
  for (const field of fields) {
    if (!isBlank(out[field.name]) || isBlank(field.default)) continue;
    out[field.name] = typeof field.default === 'string' ? expandRunValues(field.default, run) : field.default;
  }
  return out;
}

/**
 * One declaration for a template's locale variants (a campaign saves one `data` for all of
 * them): the union by name, required when any variant requires it, the first variant's type,
 * label and default.
 */
export function mergeDeclarations(declarations: ReadonlyArray<readonly DataField[]>): DataField[] {
  const merged = new Map<string, DataField>();
  for (const fields of declarations) {
    for (const field of fields) {
      const known = merged.get(field.name);
      if (!known) merged.set(field.name, { ...field });
      else if (field.required) known.required = true;
    }
  }
  return [...merged.values()];
}

/** A stored declaration (JSON) read back; anything malformed is dropped rather than trusted. */
export function storedDeclaration(value: unknown): DataField[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (f): f is DataField =>
      typeof f === 'object' && f !== null && typeof (f as DataField).name === 'string' && DATA_FIELD_TYPES.includes((f as DataField).type),
  );
}

/** The declaration of a stored version: its data_schema, or for rows saved before it existed, its names as optional text. */
export function declarationOf(row: { dataSchema?: unknown; dataFields: readonly string[] }): DataField[] {
  const declared = storedDeclaration(row.dataSchema);
  return declared.length || !row.dataFields.length ? declared : plainDataFields(row.dataFields);
}
