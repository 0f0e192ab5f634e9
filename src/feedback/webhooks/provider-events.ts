// Events of email providers' webhooks (Mailgun, SendGrid, Postmark) read as Classifications,
// so they go through the same correlation and actions as a DSN or an ARF report. The
// provider's own words (permanent/temporary, bounce/blocked, HardBounce/SoftBounce) decide
// hard or soft together with the reason classifier: a spam block stays soft. Pure.
import { looksLikeOurMessageId } from '../../common/mail-ids';
import { storableDeep } from '../../common/storable-text';
import { judgeBounce, type Classification } from '../classify';
import { pickStatus } from '../classify/bounce-text';
import type { RecipientResult } from '../classify/types';

export type Provider = 'mailgun' | 'sendgrid' | 'postmark';

interface ProviderEvent {
  kind: 'bounce' | 'complaint' | 'delivered' | 'unsubscribe' | 'ignored';
  address: string;
  /** The provider says the failure is permanent (still soft when the reason is a block or policy). */
  permanent: boolean;
  status: string | null;
  diagnostic: string | null;
  /** The Message-ID we set (otk.<id>@domain), without brackets. */
  messageId: string | null;
  feedbackType: string | null;
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim() : typeof value === 'number' ? String(value) : null;
}

function bare(id: string | null): string | null {
  return id ? id.trim().replace(/^<|>$/g, '') || null : null;
}

export function readMailgun(body: unknown): ProviderEvent {
  const data = record(record(body)['event-data']);
  const event = text(data.event) ?? '';
  const status = record(data['delivery-status']);
  const headers = record(record(data.message).headers);
  const diagnostic = [text(status.code), text(status.message), text(status.description)].filter(Boolean).join(' ') || null;
  const kind =
    event === 'failed'
      ? 'bounce'
      : event === 'complained'
        ? 'complaint'
        : event === 'delivered'
          ? 'delivered'
          : event === 'unsubscribed'
            ? 'unsubscribe'
            : 'ignored';
  return {
    kind,
    address: (text(data.recipient) ?? '').toLowerCase(),
    permanent: data.severity === 'permanent',
    status: text(status['enhanced-code']),
    diagnostic,
    messageId: bare(text(headers['message-id'])),
    feedbackType: kind === 'complaint' ? 'abuse' : null,
  };
}

export function readSendgrid(event: unknown): ProviderEvent {
  const e = record(event);
  const name = text(e.event) ?? '';
  const kind =
    name === 'bounce' || name === 'dropped'
      ? 'bounce'
      : name === 'spamreport'
        ? 'complaint'
        : name === 'delivered'
          ? 'delivered'
          : name === 'unsubscribe' || name === 'group_unsubscribe'
            ? 'unsubscribe'
            : 'ignored';
  // "blocked" bounces are the receiver refusing the sender, not a dead address.
  const permanent = name === 'dropped' ? /bounced address|invalid/i.test(text(e.reason) ?? '') : e.type !== 'blocked';
  return {
    kind,
    address: (text(e.email) ?? '').toLowerCase(),
    permanent,
    status: text(e.status),
    diagnostic: text(e.reason),
    messageId: bare(text(e['smtp-id'])),
    feedbackType: kind === 'complaint' ? 'abuse' : null,
  };
}

export function readPostmark(body: unknown): ProviderEvent {
  const b = record(body);
  const type = text(b.RecordType) ?? '';
  const bounceType = text(b.Type) ?? '';
  const messageId = bare(text(record(b.Metadata)['otklik-message-id'])) ?? bare(findHeader(b.Headers, 'message-id'));
  const address = (text(b.Email) ?? text(b.Recipient) ?? '').toLowerCase();
  if (type === 'SpamComplaint' || bounceType === 'SpamComplaint')
    return { kind: 'complaint', address, permanent: false, status: null, diagnostic: null, messageId, feedbackType: 'abuse' };
  if (type === 'Delivery')
    return { kind: 'delivered', address, permanent: false, status: null, diagnostic: text(b.Details), messageId, feedbackType: null };
  if (type === 'SubscriptionChange')
    return {
      kind: b.SuppressSending === true ? 'unsubscribe' : 'ignored',
      address,
      permanent: false,
      status: null,
      diagnostic: null,
      messageId,
      feedbackType: null,
    };
  if (type !== 'Bounce')
    return { kind: 'ignored', address, permanent: false, status: null, diagnostic: null, messageId, feedbackType: null };
  const diagnostic = [text(b.Description), text(b.Details)].filter(Boolean).join(' ') || null;
  return {
    kind: 'bounce',
    address,
    permanent: bounceType === 'HardBounce' || bounceType === 'BadEmailAddress',
    status: null,
    diagnostic,
    messageId,
    feedbackType: null,
  };
}

function findHeader(headers: unknown, name: string): string | null {
  if (!Array.isArray(headers)) return null;
  for (const h of headers) {
    const r = record(h);
    if (String(r.Name ?? '').toLowerCase() === name) return text(r.Value);
  }
  return null;
}

/** The event as a Classification; null for events that mean nothing to the base (opens, clicks, deferrals). */
export function providerClassification(provider: Provider, body: unknown): Classification | null {
  const event = provider === 'mailgun' ? readMailgun(body) : provider === 'sendgrid' ? readSendgrid(body) : readPostmark(body);
  if (event.kind === 'ignored' || !event.address.includes('@')) return null;
  const status = pickStatus(event.diagnostic ?? '') ?? event.status;
  let recipient: RecipientResult;
  if (event.kind === 'bounce') {
    const replyCode = /\b([245]\d\d)\b/.exec(event.diagnostic ?? '')?.[1] ?? null;
    const { reason, hard, evidence } = judgeBounce({ diagnostic: event.diagnostic, status, replyCode });
    recipient = {
      address: event.address,
      status,
      replyCode,
      diagnostic: event.diagnostic,
      // The provider's "permanent" is necessary, not enough: the words must say the address is dead.
      hard: event.permanent && hard,
      reason,
      action: 'failed',
      command: null,
      feedbackType: null,
      evidence: event.permanent || !hard ? evidence : { ...evidence, rule: `${provider}:temporary` },
    };
  } else {
    recipient = {
      address: event.address,
      status,
      replyCode: null,
      diagnostic: event.diagnostic,
      hard: false,
      reason: event.kind === 'complaint' ? 'feedback' : 'delivered',
      action: event.kind === 'delivered' ? 'delivered' : null,
      command: null,
      feedbackType: event.feedbackType,
    };
  }
  const ours = event.messageId && looksLikeOurMessageId(event.messageId) ? event.messageId : null;
  // Stored as text and jsonb: a NUL or a lone surrogate in the provider's JSON is cleaned out.
  return storableDeep({
    kind: event.kind === 'unsubscribe' ? 'reply' : event.kind,
    recipients: event.kind === 'unsubscribe' ? [] : [recipient],
    feedbackType: event.feedbackType,
    correlation: { verpMessageId: null, otklikMessageId: null, originalMessageId: ours ?? event.messageId, references: [] },
    intent: event.kind === 'unsubscribe' ? 'unsubscribe' : null,
    newAddress: null,
    replyText: null,
    from: event.address,
    subject: null,
    truncated: false,
  });
}
