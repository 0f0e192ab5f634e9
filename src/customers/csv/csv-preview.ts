// The first lines of an import file as the reader sees them, for the admin UI's mapping step:
// the encoding and delimiter detected (or chosen), the header, the first rows cut into cells and
// the target each column gets by its header; and what is wrong with a mapping chosen column by
// column (two columns on one field, a required column missing). Pure: the same reader, header
// aliases and required columns as the import itself.
import { storableText } from '../../common/storable-text';
import { attributeKeys } from './attribute-key';
import { newReadState, readCsvRecords } from './csv-reader';
import { CUSTOMER_REQUIRED_COLUMNS } from './customer-import';
import { CUSTOMER_HEADER, HeaderMappingError, mapHeader, normaliseHeader, ORDER_HEADER, type HeaderSpec } from './header-mapping';
import { CsvImportError, type CsvInput, type CsvReadOptions } from './import.types';
import { ORDER_REQUIRED_COLUMNS } from './order-import';
import { assertStorableHeaders } from './import.runner';

export type ImportFileKind = 'customers' | 'orders';

export interface CsvPreview {
  encoding: string;
  /** How the encoding was chosen: explicit, bom, valid-utf8, ascii-only, cp1251-letters, invalid-utf8. */
  encodingBasis: string;
  delimiter: string;
  /** explicit, sep-line (Excel's "sep=;"), header, default. */
  delimiterBasis: string;
  headerLine: number;
  /** The header cells, trimmed. */
  headers: string[];
  /** Per column: the field its header names, or attribute / ignore, as an import without a mapping would take it. */
  suggested: string[];
  /** The first non-blank data lines, cut into cells. */
  rows: Array<{ line: number; cells: string[] }>;
  /** Characters the decoder could not read in what was previewed: a sign of the wrong encoding. */
  undecodableChars: number;
}

export function headerSpec(kind: ImportFileKind): HeaderSpec<string> {
  return kind === 'customers' ? CUSTOMER_HEADER : ORDER_HEADER;
}

/** What a column may be mapped to: the kind's fields, then attribute and ignore. */
export function importTargets(kind: ImportFileKind): string[] {
  return [...headerSpec(kind).fields, 'attribute', 'ignore'];
}

/** Reads the header and the first `maxRows` data lines; stops reading there (the input is closed). */
export async function previewCsv(kind: ImportFileKind, input: CsvInput, options: CsvReadOptions, maxRows = 5): Promise<CsvPreview> {
  const state = newReadState();
  let headers: string[] | null = null;
  let headerLine = 0;
  const rows: CsvPreview['rows'] = [];
  reading: for await (const records of readCsvRecords(input, options, state)) {
    for (const record of records) {
      if (record.fields.every((f) => f.trim() === '')) continue;
      if (headers === null) {
        headers = record.fields.map((h) => h.replace(/^\uFEFF/, '').trim());
        headerLine = record.line;
        assertStorableHeaders(headers, record.line);
        continue;
      }
      rows.push({ line: record.line, cells: record.fields.map(storableText) });
      if (rows.length >= maxRows) break reading;
    }
  }
  if (headers === null || state.dialect === null) throw new CsvImportError('empty_file', 'the file has no header line');
  const { encoding, encodingBasis, delimiter, delimiterBasis } = state.dialect;
  return {
    encoding,
    encodingBasis,
    delimiter,
    delimiterBasis,
    headerLine,
    headers,
    suggested: suggestedTargets(kind, headers),
    rows,
    undecodableChars: state.undecodableChars,
  };
}

/** The targets the import gives the columns by their headers; where two headers name one field, the later ones are left as attributes for the user to decide. */
function suggestedTargets(kind: ImportFileKind, headers: readonly string[]): string[] {
  const spec = headerSpec(kind);
  try {
    return mapHeader(spec, headers).columns.map((c) => c.target);
  } catch (error) {
    if (!(error instanceof HeaderMappingError)) throw error;
    const taken = new Set<string>();
    return headers.map((header) => {
      const key = normaliseHeader(header);
      const field = spec.aliases.get(key);
      if (field !== undefined && !taken.has(field)) {
        taken.add(field);
        return field;
      }
      return key === '' ? 'ignore' : 'attribute';
    });
  }
}

/** The attribute key of each column mapped to `attribute` (null for the others), as the import stores them. */
export function attributeKeysOf(headers: readonly string[], targets: readonly string[]): Array<string | null> {
  const columns = headers.map((_, i) => i).filter((i) => targets[i] === 'attribute');
  const keys = attributeKeys(columns.map((i) => headers[i]));
  const out: Array<string | null> = headers.map(() => null);
  columns.forEach((column, k) => (out[column] = keys[k]));
  return out;
}

export type MappingProblem =
  /** A column mapped to something that is not a field of this kind. */
  | { code: 'unknown_target'; column: number; target: string }
  /** Two or more columns mapped to one field. */
  | { code: 'duplicate_field'; field: string; columns: number[] }
  /** Columns with the same header cannot be mapped apart (a mapping names headers). */
  | { code: 'duplicate_header'; header: string; columns: number[] }
  /** None of the alternatives of a required column is mapped. */
  | { code: 'missing_column'; fields: readonly string[] };

/** What stops an import with these targets (one per column); empty when it can start. */
export function mappingProblems(kind: ImportFileKind, headers: readonly string[], targets: readonly string[]): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const fields = new Set<string>(headerSpec(kind).fields);
  const byField = new Map<string, number[]>();
  const byHeader = new Map<string, number[]>();
  headers.forEach((header, column) => {
    const target = targets[column] ?? 'ignore';
    if (target !== 'attribute' && target !== 'ignore' && !fields.has(target)) {
      problems.push({ code: 'unknown_target', column, target });
      return;
    }
    if (fields.has(target)) byField.set(target, [...(byField.get(target) ?? []), column]);
    const key = normaliseHeader(header);
    if (key !== '') byHeader.set(key, [...(byHeader.get(key) ?? []), column]);
  });
  for (const [field, columns] of byField) if (columns.length > 1) problems.push({ code: 'duplicate_field', field, columns });
  for (const columns of byHeader.values()) {
    if (columns.length > 1 && columns.some((c) => (targets[c] ?? 'ignore') !== 'ignore')) {
      problems.push({ code: 'duplicate_header', header: headers[columns[0]], columns });
    }
  }
  const required = kind === 'customers' ? CUSTOMER_REQUIRED_COLUMNS : ORDER_REQUIRED_COLUMNS;
  for (const alternatives of required) {
    if (!alternatives.some((field) => byField.has(field))) problems.push({ code: 'missing_column', fields: alternatives });
  }
  return problems;
}

/** The import's mapping (header as written → target) for targets chosen column by column. */
export function mappingOf(headers: readonly string[], targets: readonly string[]): Record<string, string> {
  const mapping: Record<string, string> = {};
  headers.forEach((header, column) => {
    // A header may be "__proto__": define, never assign through the prototype setter.
    Object.defineProperty(mapping, header, { value: targets[column] ?? 'ignore', enumerable: true, writable: true, configurable: true });
  });
  return mapping;
}
