// The per-line report of an import as CSV (line, severity, field, code, reason, other line),
// for a spreadsheet: UTF-8 with a BOM so Excel reads the Cyrillic right. Pure.

export interface ReportIssue {
  line: number;
  severity: 'error' | 'warning';
  field: string;
  code: string;
  reason: string;
  otherLine?: number | null;
}

export const ISSUE_REPORT_HEADER = '\uFEFFline,severity,field,code,reason,other_line\r\n';

function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // Quote when needed; a leading = + - @ would be a formula in Excel, so it gets a quote mark.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function issueReportLine(issue: ReportIssue): string {
  return [issue.line, issue.severity, issue.field, issue.code, issue.reason, issue.otherLine].map(cell).join(',') + '\r\n';
}
