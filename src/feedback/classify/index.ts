// Public surface of the feedback classifier (pure, no Nest, no database).
export { classifyMessage, classifyMessageAsync, DEFAULT_MAX_BYTES, type ClassifyOptions } from './classify-message';
export {
  classifyReason,
  isHardReason,
  judgeBounce,
  reasonFromStatus,
  reasonFromText,
  type BounceJudgement,
  type ReasonInput,
} from './reason';
export { detectIntent, type IntentResult } from './reply-intent';
export { extractReplyText } from './reply-text';
export type { BounceReason, Classification, Correlation, Evidence, MessageKind, RecipientResult, ReplyIntent, SmtpCommand } from './types';
