// Which envelope recipients the inbound SMTP server accepts: our VERP bounce addresses
// (bounces+<message id>-<mac>@<bounce domain>), the per-message unsubscribe mailbox of
// List-Unsubscribe (unsubscribe+<message id>-<mac>@<bounce domain>), postmaster/abuse/fbl at a
// bounce domain (feedback loops report there), and the reply-to addresses. Anything else is
// refused at RCPT TO, so the server is no open mail drop; so is a bounces+/unsubscribe+ address
// whose MAC is missing or wrong (common/mail-ids.ts), so a guessed id stores nothing. Pure.
import { readTaggedAddress } from '../../common/mail-ids';
import type { Keys } from '../../common/signed-token';

export type Mailbox =
  { kind: 'bounce'; messageId: bigint } | { kind: 'unsubscribe'; messageId: bigint } | { kind: 'reply'; messageId: null };

export interface MailboxPolicy {
  /** Lower-case bounce domains (BOUNCE_DOMAIN and every sender's). */
  domains: ReadonlySet<string>;
  /** Lower-case reply-to addresses. */
  replyAddresses: ReadonlySet<string>;
  /** The key ring that checks the MAC of bounces+/unsubscribe+ addresses. */
  keys: Keys;
}

const SYSTEM_MAILBOXES = new Set(['postmaster', 'abuse', 'fbl', 'bounces', 'mailer-daemon']);

/** The mailbox an envelope recipient reaches; `forged` for a bounces+/unsubscribe+ address without a valid MAC; null when not ours. */
export function mailboxOf(address: string, policy: MailboxPolicy): Mailbox | 'forged' | null {
  const normalised = address.trim().toLowerCase();
  const at = normalised.lastIndexOf('@');
  if (at <= 0 || normalised.length > 320) return null;
  if (policy.replyAddresses.has(normalised)) return { kind: 'reply', messageId: null };
  const domain = normalised.slice(at + 1);
  if (!policy.domains.has(domain)) return null;
  const tagged = readTaggedAddress(policy.keys, normalised);
  if (tagged === 'forged') return 'forged';
  if (tagged) return tagged;
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
 * The mailbox named by a stored envelope (`envelope_to`, comma-separated): the proven VERP or
 * unsubscribe message id, else a reply. Checked again here, because an envelope also arrives
 * through the upload API and the IMAP poller. Null when empty.
 */
export function envelopeMailbox(envelopeTo: string | null, keys: Keys): Mailbox | null {
  if (!envelopeTo) return null;
  const mailboxes: Mailbox[] = [];
  for (const address of envelopeTo.split(',')) {
    const trimmed = address.trim().toLowerCase();
    if (!trimmed) continue;
    const tagged = readTaggedAddress(keys, trimmed);
    mailboxes.push(tagged && tagged !== 'forged' ? tagged : { kind: 'reply', messageId: null });
  }
  return primaryMailbox(mailboxes);
}
