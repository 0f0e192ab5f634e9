// What one classified inbound message does to the base, as a list of actions. Pure: the
// service resolves who the message is about (targets) and applies the list in one transaction.
import type { Classification, RecipientResult } from './classify';

/** Who an action is about: the message we sent (when correlated) and its customer, or just an address. */
export interface Target {
  /** The address the action applies to (normalised by the applier); null when unknown. */
  address: string | null;
  channel: 'email' | 'sms';
  customerId: number | null;
  messageId: bigint | null;
  campaignId: number | null;
}

export type FeedbackAction =
  | { type: 'hard_bounce'; target: Target; recipient: RecipientResult }
  | { type: 'soft_bounce'; target: Target; recipient: RecipientResult }
  | { type: 'delivered'; target: Target }
  /** ARF feedback-loop report: complaint record and unsubscribed from bulk on that channel. */
  | { type: 'complaint'; target: Target; feedbackType: string | null }
  | { type: 'unsubscribe'; target: Target; via: 'reply' | 'list_unsubscribe' | 'sms_stop' }
  | { type: 'lead'; target: Target; from: string | null; subject: string | null; text: string | null }
  | { type: 'reclamation'; target: Target; text: string | null }
  | { type: 'address_change'; target: Target; newAddress: string }
  /** Nothing changes; the cleanup log says what was seen. */
  | { type: 'note'; target: Target; what: string };

/** How the message reached us: our per-message unsubscribe mailbox (List-Unsubscribe mailto) overrides the content. */
export type MailboxHint = 'bounce' | 'unsubscribe' | 'reply' | null;

export interface PlanInput {
  classification: Classification;
  mailbox: MailboxHint;
  /** The correlated message's target, or the sender/recipient looked up by address. */
  targetFor(address: string | null): Target;
}

export function planActions(input: PlanInput): FeedbackAction[] {
  const c = input.classification;
  if (input.mailbox === 'unsubscribe') return [{ type: 'unsubscribe', target: input.targetFor(c.from), via: 'list_unsubscribe' }];

  switch (c.kind) {
    case 'bounce':
      return bounceActions(c, input.targetFor);
    case 'delivered':
      return (c.recipients.length ? c.recipients.map((r) => r.address) : [null]).map((address) => ({ type: 'delivered' as const, target: input.targetFor(address) }));
    case 'complaint': {
      const addresses = c.recipients.length ? c.recipients.map((r) => r.address) : [null];
      return addresses.map((address) => ({ type: 'complaint' as const, target: input.targetFor(address), feedbackType: c.feedbackType }));
    }
    case 'autoreply': {
      const target = input.targetFor(c.from);
      // An out-of-office note that says the person left and names a new address is an address change.
      if (c.intent === 'address_change' && c.newAddress) return [{ type: 'address_change', target, newAddress: c.newAddress }];
      return [{ type: 'note', target, what: 'auto-reply' }];
    }
    case 'reply':
      return replyActions(c, input.targetFor(c.from));
    default:
      return [{ type: 'note', target: input.targetFor(c.from), what: `nothing to do for a ${c.kind} message` }];
  }
}

function bounceActions(c: Classification, targetFor: PlanInput['targetFor']): FeedbackAction[] {
  const recipients: RecipientResult[] = c.recipients.length
    ? c.recipients
    : // No recipient in the report: it is still a failure of the message it names, but too vague to call hard.
      [{ address: '', status: null, replyCode: null, diagnostic: c.subject, hard: false, reason: 'undefined', action: null, command: null, feedbackType: null }];
  return recipients.map((recipient): FeedbackAction => {
    const target = targetFor(recipient.address || null);
    // A "delayed" notice is a warning: the message may still arrive, so it is not a bounce yet.
    if (recipient.action === 'delayed' || recipient.action === 'relayed' || recipient.action === 'expanded') {
      return { type: 'note', target, what: `delivery ${recipient.action}: ${recipient.status ?? ''} ${recipient.reason}`.trim() };
    }
    if (recipient.action === 'delivered' || recipient.reason === 'delivered') return { type: 'delivered', target };
    return { type: recipient.hard ? 'hard_bounce' : 'soft_bounce', target, recipient };
  });
}

function replyActions(c: Classification, target: Target): FeedbackAction[] {
  switch (c.intent) {
    case 'lead':
      return [{ type: 'lead', target, from: c.from, subject: c.subject, text: c.replyText }];
    case 'complaint':
      return [{ type: 'reclamation', target, text: c.replyText }];
    case 'unsubscribe':
      return [{ type: 'unsubscribe', target, via: 'reply' }];
    case 'address_change':
      if (c.newAddress) return [{ type: 'address_change', target, newAddress: c.newAddress }];
      return [{ type: 'note', target, what: 'reply: address change without a new address' }];
    default:
      return [{ type: 'note', target, what: 'reply' }];
  }
}

/** Soft bounces of one address (this one included) since its last delivery, within the window, that suppress it. */
export function softBouncesSuppress(count: number, limit: number): boolean {
  return count >= limit;
}

/**
 * Message ids a classification points at, most reliable first: the VERP envelope recipient,
 * the VERP address inside the report, our X-Otklik header, then our Message-IDs
 * (`otk.<id>@domain`) in the returned copy or In-Reply-To/References. `headerIds` are the
 * other Message-IDs, to look up by the header we stored.
 */
export function messageRefs(c: Classification, envelopeMessageId: bigint | null): { ids: bigint[]; headerIds: string[] } {
  const ids: bigint[] = [];
  const headerIds: string[] = [];
  const add = (digits: string | null | undefined) => {
    if (!digits || !/^\d{1,19}$/.test(digits)) return;
    const id = BigInt(digits);
    if (id > 0n && id <= 9223372036854775807n && !ids.includes(id)) ids.push(id);
  };
  if (envelopeMessageId !== null) add(envelopeMessageId.toString());
  add(c.correlation.verpMessageId);
  add(c.correlation.otklikMessageId);
  for (const ref of [c.correlation.originalMessageId, ...c.correlation.references]) {
    if (!ref) continue;
    const ours = /^otk\.(\d{1,19})@/i.exec(ref);
    if (ours) add(ours[1]);
    else if (!headerIds.includes(ref) && headerIds.length < 20) headerIds.push(ref);
  }
  return { ids, headerIds };
}
