// Amazon SES event notifications (delivered by SNS as an email whose body is JSON, possibly
// wrapped in the SNS envelope): Bounce, Complaint and Delivery.
import { normaliseAddress } from './addresses';
import { findStatus } from './dsn';

export interface SesRecipient {
  address: string;
  status: string | null;
  diagnostic: string | null;
  action: string | null;
}

export interface SesNotification {
  type: 'bounce' | 'complaint' | 'delivery';
  /** Permanent / Transient / Undetermined for bounces. */
  bounceType: string | null;
  bounceSubType: string | null;
  feedbackType: string | null;
  recipients: SesRecipient[];
  /** Message-ID header of the original mail, when SES included the headers. */
  messageId: string | null;
  /** Headers of the original mail as name → value (SES `mail.headers`). */
  headers: Array<{ name: string; value: string }>;
}

const MAX_JSON = 512 * 1024;

/** Reads an SES notification from a message body; null when the body is not one. */
export function parseSesNotification(body: string): SesNotification | null {
  const start = body.indexOf('{');
  if (start === -1 || !/"notificationType"|\\"notificationType\\"|"eventType"/.test(body.slice(0, MAX_JSON))) return null;
  const data = parseJsonObject(body.slice(start, start + MAX_JSON));
  if (data === null) return null;
  let obj = asRecord(data);
  if (obj && typeof obj.Message === 'string') {
    try {
      obj = asRecord(JSON.parse(obj.Message));
    } catch {
      return null;
    }
  }
  if (!obj) return null;
  const kind = String(obj.notificationType ?? obj.eventType ?? '').toLowerCase();
  const mail = asRecord(obj.mail);
  const headers = Array.isArray(mail?.headers)
    ? (mail.headers as unknown[])
        .map(asRecord)
        .filter((h): h is Record<string, unknown> => h !== null)
        .map((h) => ({ name: String(h.name ?? ''), value: String(h.value ?? '') }))
    : [];
  const common = asRecord(mail?.commonHeaders);
  const messageId =
    (typeof common?.messageId === 'string' ? common.messageId : null) ??
    headers.find((h) => h.name.toLowerCase() === 'message-id')?.value ??
    null;

  if (kind === 'bounce') {
    const b = asRecord(obj.bounce);
    const list = Array.isArray(b?.bouncedRecipients) ? (b.bouncedRecipients as unknown[]) : [];
    return {
      type: 'bounce',
      bounceType: str(b?.bounceType),
      bounceSubType: str(b?.bounceSubType),
      feedbackType: null,
      recipients: list.map(asRecord).flatMap((r) => {
        const address = normaliseAddress(String(r?.emailAddress ?? ''));
        if (!address) return [];
        const diagnostic = str(r?.diagnosticCode);
        return [{ address, status: findStatus(str(r?.status)) ?? findStatus(diagnostic), diagnostic, action: str(r?.action) }];
      }),
      messageId,
      headers,
    };
  }
  if (kind === 'complaint') {
    const c = asRecord(obj.complaint);
    const list = Array.isArray(c?.complainedRecipients) ? (c.complainedRecipients as unknown[]) : [];
    return {
      type: 'complaint',
      bounceType: null,
      bounceSubType: null,
      feedbackType: (str(c?.complaintFeedbackType) ?? 'abuse').toLowerCase(),
      recipients: list.map(asRecord).flatMap((r) => {
        const address = normaliseAddress(String(r?.emailAddress ?? ''));
        return address ? [{ address, status: null, diagnostic: null, action: null }] : [];
      }),
      messageId,
      headers,
    };
  }
  if (kind === 'delivery') {
    const d = asRecord(obj.delivery);
    const list = Array.isArray(d?.recipients) ? (d.recipients as unknown[]) : [];
    const diagnostic = str(d?.smtpResponse);
    return {
      type: 'delivery',
      bounceType: null,
      bounceSubType: null,
      feedbackType: null,
      recipients: list.flatMap((r) => {
        const address = normaliseAddress(String(r ?? ''));
        return address ? [{ address, status: findStatus(diagnostic) ?? '2.0.0', diagnostic, action: 'delivered' }] : [];
      }),
      messageId,
      headers,
    };
  }
  return null;
}

/** JSON object at the start of a text; tolerates mail line folding ("!" + newline + space). */
function parseJsonObject(text: string): unknown {
  const end = matchingBrace(text);
  const candidates = [text.slice(0, end + 1)];
  const unfolded = text.replace(/!?\r?\n[ \t]?/g, '');
  candidates.push(unfolded.slice(0, matchingBrace(unfolded) + 1));
  for (const c of candidates) {
    if (c.length < 2) continue;
    try {
      return JSON.parse(c);
    } catch {
      // try the next form
    }
  }
  return null;
}

function matchingBrace(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b) depth++;
    else if (c === 0x7d && --depth === 0) return i;
  }
  return text.length - 1;
}

function asRecord(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}
