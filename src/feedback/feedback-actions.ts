// What one classified inbound message does to the base, as a list of actions. Pure: the
// service resolves who the message is about (targets) and applies the list in one transaction.
import { claimedMessageId, looksLikeOurMessageId, messageIdOfHeader, messageIdOfOtklikHeader, verpMessageId } from '../common/mail-ids';
import type { Keys } from '../common/signed-token';
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
  /** Never applied straight: a proposal that the new address confirms or an admin accepts. */
  | { type: 'address_change'; target: Target; newAddress: string }
  /** A change the message does not prove it may make: logged for an admin to apply or ignore. */
  | { type: 'withheld'; target: Target; action: Exclude<FeedbackAction, { type: 'withheld' }>; why: string }
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
      return bounceActions(c, (address) => input.targetFor(address));
    case 'delivered':
      return (c.recipients.length ? c.recipients.map((r) => r.address) : [null]).map((address) => ({
        type: 'delivered' as const,
        target: input.targetFor(address),
      }));
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
      [
        {
          address: '',
          status: null,
          replyCode: null,
          diagnostic: c.subject,
          hard: false,
          reason: 'undefined',
          action: null,
          command: null,
          feedbackType: null,
        },
      ];
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

/** What an inbound message proves about itself (see withholdUnproven). */
export interface Proof {
  /** A message we sent is named by a MAC'ed id (or by an authenticated provider event). */
  correlated: boolean;
  /** The sender (From) of a reply is the recipient of that message. */
  fromIsRecipient: boolean;
}

/**
 * No action without proof: a bounce, delivery or complaint changes the base only for the
 * recipient of the message it proves it is about; an unsubscribe or complaint by reply only
 * when it also comes from that recipient; so does a reclamation (a complaint held against the
 * customer). Anything else is withheld for an admin. Leads and notes change nothing and pass;
 * address changes become proposals anyway.
 */
export function withholdUnproven(actions: FeedbackAction[], proof: Proof): FeedbackAction[] {
  return capWithheld(
    actions.map((action): FeedbackAction => {
      const ofMessage = action.target.messageId !== null;
      const withhold = (why: string): FeedbackAction =>
        action.type === 'withheld' ? action : { type: 'withheld', target: action.target, action, why };
      switch (action.type) {
        case 'hard_bounce':
        case 'soft_bounce':
        case 'delivered':
        case 'complaint':
          if (ofMessage) return action;
          return withhold(
            proof.correlated
              ? 'the report names an address that is not the recipient of the message it is about'
              : 'uncorrelated: the report does not prove it is about a message we sent',
          );
        case 'unsubscribe':
          if (action.via === 'sms_stop' || (ofMessage && (action.via === 'list_unsubscribe' || proof.fromIsRecipient))) return action;
          return withhold(
            !proof.correlated
              ? 'uncorrelated: the reply does not quote a message we sent'
              : 'the reply does not come from the recipient of the message it quotes',
          );
        case 'reclamation':
          // A complaint record is held against the customer: only for a reply proven to be theirs.
          if (ofMessage && proof.fromIsRecipient) return action;
          return withhold(
            !proof.correlated
              ? 'uncorrelated: the reply does not quote a message we sent'
              : 'the reply does not come from the recipient of the message it quotes',
          );
        default:
          return action;
      }
    }),
  );
}

/** How many withheld changes one message lists for review; a report naming thousands is a flood, not a list. */
export const MAX_WITHHELD_LISTED = 20;

function capWithheld(actions: FeedbackAction[]): FeedbackAction[] {
  const withheld = actions.filter((a) => a.type === 'withheld');
  if (withheld.length <= MAX_WITHHELD_LISTED) return actions;
  const listed = new Set(withheld.slice(0, MAX_WITHHELD_LISTED));
  const kept = actions.filter((a) => a.type !== 'withheld' || listed.has(a));
  const rest = withheld.length - MAX_WITHHELD_LISTED;
  const target: Target = { ...withheld[0].target, address: null, customerId: null };
  return [
    ...kept,
    { type: 'note', target, what: `withheld, not listed: ${rest} more addresses named by a message that proves nothing about them` },
  ];
}

/** A withheld action as stored in the cleanup log (bigints as strings), and back. */
export function storedAction(action: FeedbackAction): Record<string, unknown> {
  return JSON.parse(JSON.stringify(action, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))) as Record<
    string,
    unknown
  >;
}

export function actionFromStored(stored: unknown): Exclude<FeedbackAction, { type: 'withheld' }> | null {
  if (typeof stored !== 'object' || stored === null) return null;
  const action = stored as { type?: unknown; target?: Record<string, unknown> };
  const t = action.target;
  if (!t || !['hard_bounce', 'soft_bounce', 'delivered', 'complaint', 'unsubscribe'].includes(String(action.type))) return null;
  const target: Target = {
    address: typeof t.address === 'string' ? t.address : null,
    channel: t.channel === 'sms' ? 'sms' : 'email',
    customerId: typeof t.customerId === 'number' ? t.customerId : null,
    messageId: typeof t.messageId === 'string' && /^\d{1,19}$/.test(t.messageId) ? BigInt(t.messageId) : null,
    campaignId: typeof t.campaignId === 'number' ? t.campaignId : null,
  };
  return { ...(stored as Exclude<FeedbackAction, { type: 'withheld' }>), target };
}

/**
 * Message ids a classification proves it is about, most reliable first: the VERP envelope
 * recipient (checked at intake), the VERP address inside the report, our X-Otklik header, then
 * our Message-IDs (`otk.<id>.<mac>@domain`) in the returned copy or In-Reply-To/References.
 * An id counts only with its MAC (common/mail-ids.ts); `trustBareIds` is for events whose
 * source is authenticated (a provider's signed webhook), which may name older, MAC-less ids.
 * `headerIds` are foreign Message-IDs, looked up by the header we stored.
 */
export function messageRefs(
  c: Classification,
  envelopeMessageId: bigint | null,
  keys: Keys,
  trustBareIds = false,
): { ids: bigint[]; headerIds: string[] } {
  const ids: bigint[] = [];
  const headerIds: string[] = [];
  const add = (id: bigint | null) => {
    if (id !== null && id > 0n && id <= 9223372036854775807n && !ids.includes(id)) ids.push(id);
  };
  const bare = (value: string): bigint | null => (trustBareIds ? claimedMessageId(value) : null);
  if (envelopeMessageId !== null) add(envelopeMessageId);
  const verp = c.correlation.verpMessageId;
  if (verp) add(verpMessageId(keys, verp) ?? bare(verp));
  const otklik = c.correlation.otklikMessageId;
  if (otklik) add(messageIdOfOtklikHeader(keys, otklik) ?? bare(otklik));
  for (const ref of [c.correlation.originalMessageId, ...c.correlation.references]) {
    if (!ref) continue;
    if (looksLikeOurMessageId(ref)) add(messageIdOfHeader(keys, ref) ?? bare(ref));
    else if (!headerIds.includes(ref) && headerIds.length < 20) headerIds.push(ref);
  }
  return { ids, headerIds };
}
