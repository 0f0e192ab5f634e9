// Writing CSV for spreadsheets: the one cell and row rule of every export (campaign reports,
// import issue reports). Pure.
// - RFC 4180 quoting: a cell holding the delimiter, a comma, a semicolon, a quote or a line
//   break is quoted, its quotes doubled. Both separators are quoted whatever the delimiter,
//   because Russian Excel opens a comma-separated file splitting on `;`.
// - Formula defusing: text starting with = + - @ (or a tab, CR or LF, which some spreadsheets
//   skip before a formula) gets a leading apostrophe, so it shows as text instead of running.
//   Numbers are numbers: -5 stays -5.
// - UTF-8 with a BOM and CRLF lines, so Excel reads Cyrillic right.

export const CSV_BOM = '\uFEFF';
const EOL = '\r\n';

const FORMULA_START = /^[=+\-@\t\r\n]/;

/** One cell. Dates are written as ISO timestamps; null and undefined as an empty cell. */
export function csvCell(value: unknown, delimiter = ','): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  const safe = typeof value === 'string' && FORMULA_START.test(text) ? `'${text}` : text;
  const needsQuotes = /[",;\r\n]/.test(safe) || safe.includes(delimiter);
  return needsQuotes ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One line: the cells joined by the delimiter, ending in CRLF. */
export function csvRow(values: readonly unknown[], delimiter = ','): string {
  return values.map((value) => csvCell(value, delimiter)).join(delimiter) + EOL;
}

/** A whole file: the BOM, the header row and the rows. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>, delimiter = ','): string {
  return CSV_BOM + [header, ...rows].map((row) => csvRow(row, delimiter)).join('');
}
