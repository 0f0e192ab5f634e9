// Complaints: RFC 5965 feedback reports, Hotmail's attached-message reports and Apple Mail's
// one-click unsubscribe notices.
import { findAddresses, firstAddress, isSystemAddress } from './addresses';
import { looksLikeFeedbackReport, parseFeedbackReport } from './arf';
import type { MessageView } from './message-view';
import { newResult } from './result';
import type { Classification } from './types';

export function isComplaint(view: MessageView): boolean {
  if (view.feedbackReports.length > 0 || view.reportType === 'feedback-report') return true;
  if (view.original?.has('x-hmxmroriginalrecipient')) return true;
  if (/^\s*true\s*$/i.test(view.headers.raw('x-apple-unsubscribe') ?? '')) return true;
  return view.attachedCount > 0 && looksLikeFeedbackReport(view.fullText);
}

export function complaint(view: MessageView): Classification {
  const result = newResult(view, 'complaint', false);
  const reportText = view.feedbackReports[0] ?? (looksLikeFeedbackReport(view.fullText) ? view.fullText : '');
  const report = reportText ? parseFeedbackReport(reportText) : null;
  let feedbackType = report?.feedbackType ?? 'abuse';
  let addresses: string[] = [];
  if (report) addresses = [...report.originalRcptTo, ...(report.removalRecipient ? [report.removalRecipient] : [])];
  const hotmail = firstAddress(view.original?.get('x-hmxmroriginalrecipient'));
  if (hotmail) addresses.push(hotmail);
  if (/^\s*true\s*$/i.test(view.headers.raw('x-apple-unsubscribe') ?? '')) {
    feedbackType = 'opt-out';
    if (view.from) addresses.push(view.from);
  }
  if (addresses.length === 0 && view.original) {
    addresses = findAddresses(view.original.get('to') ?? '').filter((a) => !isSystemAddress(a));
  }
  result.feedbackType = feedbackType;
  result.recipients = [...new Set(addresses)].map((address) => ({
    address,
    status: null,
    replyCode: null,
    diagnostic: null,
    hard: false,
    reason: 'feedback',
    action: null,
    command: null,
    feedbackType,
  }));
  return result;
}
