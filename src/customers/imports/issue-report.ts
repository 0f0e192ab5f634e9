// The per-line report of an import as CSV (line, severity, field, code, reason, other line),
// for a spreadsheet, written by the shared CSV rules (src/common/csv.ts: quoting, formula
// defusing, BOM). Pure.
import { CSV_BOM, csvRow } from '../../common/csv';

export interface ReportIssue {
  line: number;
  severity: 'error' | 'warning';
  field: string;
  code: string;
  reason: string;
  otherLine?: number | null;
}

export const ISSUE_REPORT_HEADER = CSV_BOM + csvRow(['line', 'severity', 'field', 'code', 'reason', 'other_line']);

export function issueReportLine(issue: ReportIssue): string {
  return csvRow([issue.line, issue.severity, issue.field, issue.code, issue.reason, issue.otherLine]);
}
