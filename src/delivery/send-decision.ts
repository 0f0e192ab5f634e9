// Decides, at send time, what happens to one claimed message. Checked here and not only when
// the audience was frozen, because a customer may unsubscribe, bounce or be erased between
// the two (docs/architecture.md: suppression always wins; consent, quiet hours and a
// campaign's sending window).
import type { Channel, ConsentStatus, Lane, RunStatus, SuppressionReason } from '../generated/prisma/enums';

export interface SendCandidate {
  channel: Channel;
  lane: Lane;
  /** Null for a message outside any run (transactional). */
  runStatus: RunStatus | null;
  /** The address this message would go to (customer's email/phone or the message's own). */
  address: string | null;
  addressValid: boolean;
  erased: boolean;
  consent: ConsentStatus | null;
  suppression: SuppressionReason | null;
  /** Bulk messages this customer was sent in the rolling week, this one excluded. */
  recentBulkCount: number;
  /** For quiet hours: null when SMS may go now, else when the recipient's night ends. */
  quietUntil: Date | null;
  /** The campaign's sending window: null when inside it (or without one), else when it next opens in the recipient's zone. */
  windowOpensAt: Date | null;
}

export interface SendRules {
  /** Bulk messages per customer per rolling week; 0 turns the cap off. */
  frequencyCapPerWeek: number;
}

export type SendDecision =
  | { action: 'send' }
  | { action: 'finish'; status: 'cancelled' | 'skipped' | 'suppressed'; reason: string }
  /** The run is paused: leave the row queued; resuming enqueues it again. */
  | { action: 'wait'; reason: string }
  | { action: 'hold'; until: Date; reason: string };

/** Transactional mail (order status, double opt-in) still respects addresses that cannot or must not receive mail. */
const TRANSACTIONAL_SUPPRESSIONS: ReadonlySet<SuppressionReason> = new Set(['hard_bounce', 'erased', 'complaint']);

export function decideSend(candidate: SendCandidate, rules: SendRules): SendDecision {
  if (candidate.runStatus === 'cancelled' || candidate.runStatus === 'failed') {
    return { action: 'finish', status: 'cancelled', reason: `run ${candidate.runStatus}` };
  }
  if (candidate.runStatus === 'paused') return { action: 'wait', reason: 'run paused' };
  if (candidate.erased) return { action: 'finish', status: 'skipped', reason: 'customer erased' };
  if (!candidate.address)
    return { action: 'finish', status: 'skipped', reason: `no ${candidate.channel === 'email' ? 'email address' : 'phone number'}` };
  if (!candidate.addressValid)
    return { action: 'finish', status: 'skipped', reason: `invalid ${candidate.channel === 'email' ? 'email address' : 'phone number'}` };

  const bulk = candidate.lane === 'bulk';
  if (candidate.suppression && (bulk || TRANSACTIONAL_SUPPRESSIONS.has(candidate.suppression))) {
    return { action: 'finish', status: 'suppressed', reason: `suppressed: ${candidate.suppression}` };
  }
  if (!bulk) return { action: 'send' };

  if (candidate.consent !== 'opted_in') {
    return { action: 'finish', status: 'skipped', reason: candidate.consent ? `consent ${candidate.consent}` : 'no consent' };
  }
  if (rules.frequencyCapPerWeek > 0 && candidate.recentBulkCount >= rules.frequencyCapPerWeek) {
    return { action: 'finish', status: 'skipped', reason: `frequency cap: ${candidate.recentBulkCount} bulk messages in 7 days` };
  }
  if (candidate.channel === 'sms' && candidate.quietUntil) {
    return { action: 'hold', until: candidate.quietUntil, reason: 'quiet hours' };
  }
  if (candidate.windowOpensAt) return { action: 'hold', until: candidate.windowOpensAt, reason: 'outside the sending window' };
  return { action: 'send' };
}
