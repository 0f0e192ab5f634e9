// RFC 3464 message/delivery-status fields, read leniently: blocks need not be separated by
// blank lines, field names are case-insensitive, continuation lines are joined.
import { firstAddress } from './addresses';

export interface DsnRecipient {
  finalRecipient: string | null;
  originalRecipient: string | null;
  action: string | null;
  status: string | null;
  diagnostic: string | null;
  /** Diagnostic-Code type: smtp, x-unix, x-postfix … (lower case). */
  diagnosticType: string | null;
  remoteMta: string | null;
}

export interface DsnReport {
  reportingMta: string | null;
  recipients: DsnRecipient[];
}

const FIELD = /^([A-Za-z][A-Za-z0-9-]{1,60})\s*:\s?(.*)$/;
const STATUS = /(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?!\.?\d)/;

/**
 * Parses delivery-status text. Fields are grouped in blocks (blank-line separated); a block with
 * a recipient field describes that recipient whatever the field order, and a second
 * Final-Recipient inside one block starts another recipient.
 */
export function parseDeliveryStatus(text: string): DsnReport {
  const report: DsnReport = { reportingMta: null, recipients: [] };
  const lines = text.split('\n', 5000);
  let block: Array<[string, string]> = [];
  const flush = (): void => {
    if (block.length > 0) readBlock(block, report);
    block = [];
  };
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (/^[ \t]/.test(line)) {
      const last = block[block.length - 1];
      if (last && last[1].length < 4000) last[1] += ' ' + line.trim();
      continue;
    }
    const m = FIELD.exec(line);
    if (m) block.push([m[1].toLowerCase(), m[2].trim()]);
  }
  flush();
  for (const r of report.recipients) {
    if (r.diagnostic !== null) r.diagnostic = cleanDiagnostic(r.diagnostic);
  }
  report.recipients = report.recipients.filter((r) => r.finalRecipient || r.originalRecipient);
  return report;
}

function readBlock(fields: Array<[string, string]>, report: DsnReport): void {
  const recipientFields = fields.filter(([n]) => n === 'final-recipient' || n === 'original-recipient');
  if (recipientFields.length === 0) {
    for (const [n, v] of fields) if (n === 'reporting-mta') report.reportingMta ??= afterType(v);
    return;
  }
  let current: DsnRecipient | null = null;
  for (const [name, value] of fields) {
    if (name === 'final-recipient' && (current === null || current.finalRecipient)) current = push(report);
    else if (name === 'original-recipient' && (current === null || current.originalRecipient)) current = push(report);
    current ??= push(report);
    switch (name) {
      case 'original-recipient':
        current.originalRecipient = firstAddress(afterType(value));
        break;
      case 'final-recipient':
        current.finalRecipient = firstAddress(afterType(value));
        break;
      case 'x-actual-recipient':
        current.finalRecipient ??= firstAddress(afterType(value));
        break;
      case 'action':
        current.action = value.toLowerCase().split(/[\s(;]/)[0] || null;
        break;
      case 'status':
        current.status = normaliseStatus(value);
        break;
      case 'remote-mta':
        current.remoteMta = afterType(value);
        break;
      case 'diagnostic-code': {
        current.diagnostic = value;
        const type = /^\s*([A-Za-z0-9_.-]{1,24})\s*;/.exec(value);
        current.diagnosticType = type ? type[1].toLowerCase() : null;
        break;
      }
      case 'reporting-mta':
        report.reportingMta ??= afterType(value);
        break;
      default:
        break;
    }
  }
}

function push(report: DsnReport): DsnRecipient {
  const r: DsnRecipient = {
    finalRecipient: null,
    originalRecipient: null,
    action: null,
    status: null,
    diagnostic: null,
    diagnosticType: null,
    remoteMta: null,
  };
  report.recipients.push(r);
  return r;
}

/** `rfc822; a@b` → `a@b`; `smtp; 550 ...` → `550 ...`. */
function afterType(value: string): string {
  const semi = value.indexOf(';');
  if (semi > 0 && semi < 24 && /^[A-Za-z0-9_.-]+$/.test(value.slice(0, semi).trim())) return value.slice(semi + 1).trim();
  return value;
}

/** Diagnostic-Code without its type prefix, whitespace collapsed. */
export function cleanDiagnostic(value: string): string {
  return afterType(value).replace(/\s+/g, ' ').trim();
}

/** First enhanced status code in a text, or null. */
export function findStatus(text: string | null | undefined): string | null {
  if (!text) return null;
  const m = STATUS.exec(text);
  return m ? `${m[1]}.${Number(m[2])}.${Number(m[3])}` : null;
}

export function normaliseStatus(value: string): string | null {
  return findStatus(value);
}

/** First failure reply code (4xx/5xx), else first 2xx, in a text; null when none. */
export function findReplyCode(text: string | null | undefined): string | null {
  if (!text) return null;
  const failure = /(?:^|[\s:;'"(<>\]=])([45][0-5]\d)(?=[\s-]|$)/.exec(text);
  if (failure) return failure[1];
  const ok = /(?:^|[\s:;'"(<>\]=])(2[0-5]\d)(?=[\s-]|$)/.exec(text);
  return ok ? ok[1] : null;
}
