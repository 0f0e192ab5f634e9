// Result types of the feedback classifier. Reason words follow sisimai's vocabulary so results
// compare directly with that reference classifier.

export type MessageKind = 'bounce' | 'complaint' | 'autoreply' | 'reply' | 'delivered' | 'unknown';

export type BounceReason =
  | 'userunknown'
  | 'mailboxfull'
  | 'hostunknown'
  | 'hasmoved'
  | 'notaccept'
  | 'suspend'
  | 'expired'
  | 'filtered'
  | 'rejected'
  | 'blocked'
  | 'spamdetected'
  | 'policyviolation'
  | 'authfailure'
  | 'requireptr'
  | 'badreputation'
  | 'securityerror'
  | 'virusdetected'
  | 'contenterror'
  | 'mesgtoobig'
  | 'exceedlimit'
  | 'systemerror'
  | 'systemfull'
  | 'networkerror'
  | 'mailererror'
  | 'norelaying'
  | 'toomanyconn'
  | 'speeding'
  | 'onhold'
  | 'syntaxerror'
  | 'notcompliantrfc'
  | 'undefined'
  | 'feedback'
  | 'vacation'
  | 'delivered';

/** The SMTP stage a remote server refused at, when the report says so. */
export type SmtpCommand = 'CONN' | 'HELO' | 'MAIL' | 'RCPT' | 'DATA';

export type ReplyIntent = 'lead' | 'complaint' | 'unsubscribe' | 'address_change' | 'other';

export interface RecipientResult {
  /** Lower-cased address the report is about (the failed recipient, the complainant). */
  address: string;
  /** Enhanced status code, e.g. `5.1.1`; null when the report gives none. */
  status: string | null;
  /** SMTP reply code, e.g. `550`. */
  replyCode: string | null;
  /** The remote server's words (or the report's), whitespace collapsed. */
  diagnostic: string | null;
  /** True only when the address itself is permanently dead (suppress it). */
  hard: boolean;
  reason: BounceReason;
  /** DSN Action (failed, delayed, delivered, …) when given. */
  action: string | null;
  command: SmtpCommand | null;
  /** ARF Feedback-Type for complaints (abuse, fraud, opt-out, …). */
  feedbackType: string | null;
  /** Why this reason and hardness: the rule that decided, the status, the matched line. */
  evidence?: Evidence;
}

/** The rule behind a classification (`text:userunknown`, `status:x.2.2`, `soft:text-policyviolation`, `reply:lead/price` …). */
export interface Evidence {
  rule: string;
  status?: string;
  matchedLine?: string;
}

export interface Correlation {
  /** `<messageId>-<mac>` (or bare digits) from our VERP Return-Path `bounces+<messageId>-<mac>@domain`. */
  verpMessageId: string | null;
  /** `X-Otklik-Message` (`<messageId>.<mac>`) found in the returned original (or the message itself). */
  otklikMessageId: string | null;
  /** Message-ID of our original: from the returned copy, or In-Reply-To of a reply. */
  originalMessageId: string | null;
  /** Every message id a reply refers to (In-Reply-To then References), without brackets. */
  references: string[];
}

export interface Classification {
  kind: MessageKind;
  recipients: RecipientResult[];
  /** ARF Feedback-Type of a complaint (first report), else null. */
  feedbackType: string | null;
  correlation: Correlation;
  /** Human reply (and auto-reply) reading; null for bounces and complaints. */
  intent: ReplyIntent | null;
  /** New address given in an address-change reply or auto-reply. */
  newAddress: string | null;
  /** Rules that decided the intent of a reply, with the line each matched. */
  intentEvidence?: Evidence[];
  /** Reply text with quoted text and signature removed. */
  replyText: string | null;
  /** Sender address of the inbound message (lower case). */
  from: string | null;
  subject: string | null;
  /** True when only the first part of a huge message was read. */
  truncated: boolean;
  /** Set when the message could not be read; kind is then 'unknown'. */
  error?: string;
}
