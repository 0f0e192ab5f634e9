// The empty Classification every reader starts from, with correlation hints filled in.
import { findCorrelation } from './correlation';
import type { MessageView } from './message-view';
import type { Classification, MessageKind } from './types';

export function newResult(view: MessageView, kind: MessageKind, isReply: boolean, extraTexts: string[] = []): Classification {
  return {
    kind,
    recipients: [],
    feedbackType: null,
    correlation: findCorrelation({
      headers: view.headers,
      original: view.original,
      texts: [...view.deliveryStatus, ...view.feedbackReports, ...extraTexts, view.fullText],
      isReply,
    }),
    intent: null,
    newAddress: null,
    replyText: null,
    from: view.from,
    subject: view.subject || null,
    truncated: false,
  };
}
