// The IMAP transport (imapflow): walks the unseen messages of one mailbox, hands each one's
// raw bytes to the caller, and flags it \Seen only after the caller has stored it, so a crash
// in between leaves it unseen (and the caller's key makes a second visit harmless).
import { Injectable } from '@nestjs/common';
import { ImapFlow } from 'imapflow';

export interface PolledMessage {
  /** `imap:<mailbox>;uidvalidity=<n>;uid=<n>`: names the message for good. */
  key: string;
  raw: Buffer;
  /** Size in the mailbox; more than raw.length when only the first bytes were fetched. */
  size: number;
}

const TIMEOUT_MS = 30_000;

@Injectable()
export class ImapMailbox {
  /** Visits up to `limit` unseen messages, oldest first; returns how many were visited. */
  async forEachUnseen(url: string, limit: number, maxBytes: number, visit: (message: PolledMessage) => Promise<void>): Promise<number> {
    const parsed = new URL(url);
    const mailbox = decodeURIComponent(parsed.pathname.replace(/^\/+/, '')) || 'INBOX';
    const client = new ImapFlow({
      host: parsed.hostname,
      port: Number(parsed.port || (parsed.protocol === 'imaps:' ? 993 : 143)),
      secure: parsed.protocol === 'imaps:',
      auth: { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) },
      logger: false,
      connectionTimeout: TIMEOUT_MS,
      socketTimeout: TIMEOUT_MS,
    });
    // A dropped connection is reported by the command that was waiting on it.
    client.on('error', () => undefined);
    await client.connect();
    try {
      const lock = await client.getMailboxLock(mailbox);
      try {
        const box = client.mailbox;
        const uidValidity = box && typeof box === 'object' ? String(box.uidValidity) : '0';
        const uids = ((await client.search({ seen: false }, { uid: true })) || []).sort((a, b) => a - b).slice(0, limit);
        for (const uid of uids) {
          const head = await client.fetchOne(String(uid), { size: true }, { uid: true });
          const size = head ? (head.size ?? 0) : 0;
          const message = await client.fetchOne(String(uid), { source: size > maxBytes ? { maxLength: maxBytes } : true }, { uid: true });
          if (!message || !message.source) continue;
          await visit({
            key: `imap:${mailbox};uidvalidity=${uidValidity};uid=${uid}`,
            raw: message.source,
            size: Math.max(size, message.source.length),
          });
          await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
        }
        return uids.length;
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
  }
}
