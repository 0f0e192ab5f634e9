// RFC 5965 abuse reports: the machine-readable message/feedback-report part.
import { firstAddress } from './addresses';

export interface FeedbackReport {
  /** abuse, fraud, virus, other, not-spam, opt-out, auth-failure … (lower case). */
  feedbackType: string;
  originalMailFrom: string | null;
  originalRcptTo: string[];
  /** Removal-Recipient (sometimes used by opt-out reports). */
  removalRecipient: string | null;
  sourceIp: string | null;
  reportedDomain: string | null;
}

/** Parses message/feedback-report fields; feedbackType defaults to `abuse` as the RFC says. */
export function parseFeedbackReport(text: string): FeedbackReport {
  const report: FeedbackReport = {
    feedbackType: 'abuse',
    originalMailFrom: null,
    originalRcptTo: [],
    removalRecipient: null,
    sourceIp: null,
    reportedDomain: null,
  };
  let typed = false;
  for (const raw of text.split('\n', 500)) {
    const m = /^([A-Za-z][A-Za-z0-9-]{1,60})\s*:\s*(.*)$/.exec(raw.replace(/\r$/, ''));
    if (!m) continue;
    const value = m[2].trim();
    switch (m[1].toLowerCase()) {
      case 'feedback-type':
        if (!typed && value) {
          report.feedbackType = value.toLowerCase().split(/[\s;]/)[0];
          typed = true;
        }
        break;
      case 'original-mail-from':
        report.originalMailFrom ??= firstAddress(value);
        break;
      case 'original-rcpt-to': {
        const a = firstAddress(value);
        if (a && !report.originalRcptTo.includes(a)) report.originalRcptTo.push(a);
        break;
      }
      case 'removal-recipient':
        report.removalRecipient ??= firstAddress(value);
        break;
      case 'source-ip':
        report.sourceIp ??= value.split(/\s/)[0] || null;
        break;
      case 'reported-domain':
        report.reportedDomain ??= value.toLowerCase() || null;
        break;
      default:
        break;
    }
  }
  return report;
}

/** True when a text looks like feedback-report fields (for reports sent with a wrong type). */
export function looksLikeFeedbackReport(text: string): boolean {
  return /^Feedback-Type\s*:/im.test(text) && /^(User-Agent|Version|Original-Mail-From|Arrival-Date|Source-IP)\s*:/im.test(text);
}
