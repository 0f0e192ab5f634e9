// Which envelope recipients the inbound SMTP server accepts: our VERP bounce addresses
// (bounces+<message id>@<bounce domain>), the per-message unsubscribe mailbox of
// List-Unsubscribe (unsubscribe+<message id>@<bounce domain>), postmaster/abuse/fbl at a bounce
// domain (feedback loops report there), and the reply-to addresses. Anything else is refused
// at RCPT TO, so the server is no open mail drop. Pure.
import { messageIdFromVerp } from '../../delivery/message-links';

export type Mailbox =
  | { kind: 'bounce'; messageId: bigint }
  | { kind: 'unsubscribe'; messageId: bigint }
  | { kind: 'reply'; messageId: null };

export interface MailboxPolicy {
  /** Lower-case bounce domains (BOUNCE_DOMAIN and every sender's). */
  domains: ReadonlySet<string>;
  /** Lower-case reply-to addresses. */
  replyAddresses: ReadonlySet<string>;
}

const UNSUBSCRIBE = /^unsubscribe\+(\d{1,19})@/i;
const SYSTEM_MAILBOXES = new Set(['postmaster', 'abuse', 'fbl', 'bounces', 'mailer-daemon']);
const MAX_ID = 9223372036854775807n;

export function mailboxOf(address: string, policy: MailboxPolicy): Mailbox | null {
  const normalised = address.trim().toLowerCase();
  const at = normalised.lastIndexOf('@');
  if (at <= 0 || normalised.length > 320) return null;
  if (policy.replyAddresses.has(normalised)) return { kind: 'reply', messageId: null };
  const domain = normalised.slice(at + 1);
  if (!policy.domains.has(domain)) return null;
  const bounceId = messageIdFromVerp(normalised);
  if (bounceId !== null) return bounceId > 0n && bounceId <= MAX_ID ? { kind: 'bounce', messageId: bounceId } : null;
  const unsubscribe = UNSUBSCRIBE.exec(normalised);
  if (unsubscribe) {
    const id = BigInt(unsubscribe[1]);
    return id > 0n && id <= MAX_ID ? { kind: 'unsubscribe', messageId: id } : null;
  }
  if (SYSTEM_MAILBOXES.has(normalised.slice(0, at))) return { kind: 'reply', messageId: null };
  return null;
}

/**
 * What a message with several envelope recipients is about: a VERP or unsubscribe address
 * wins over a reply address (it names the message).
 */
export function primaryMailbox(mailboxes: Mailbox[]): Mailbox | null {
  return mailboxes.find((m) => m.kind === 'unsubscribe') ?? mailboxes.find((m) => m.kind === 'bounce') ?? mailboxes[0] ?? null;
}

/**
 * The mailbox named by a stored envelope (`envelope_to`, comma-separated, already checked by
 * the policy at intake): the VERP or unsubscribe message id, else a reply. Null when empty.
 */
export function envelopeMailbox(envelopeTo: string | null): Mailbox | null {
  if (!envelopeTo) return null;
  const mailboxes: Mailbox[] = [];
  for (const address of envelopeTo.split(',')) {
    const trimmed = address.trim().toLowerCase();
    if (!trimmed) continue;
    const bounceId = messageIdFromVerp(trimmed);
    const unsubscribe = UNSUBSCRIBE.exec(trimmed);
    if (bounceId !== null && bounceId > 0n && bounceId <= MAX_ID) mailboxes.push({ kind: 'bounce', messageId: bounceId });
    else if (unsubscribe && BigInt(unsubscribe[1]) > 0n && BigInt(unsubscribe[1]) <= MAX_ID) mailboxes.push({ kind: 'unsubscribe', messageId: BigInt(unsubscribe[1]) });
    else mailboxes.push({ kind: 'reply', messageId: null });
  }
  return primaryMailbox(mailboxes);
}
