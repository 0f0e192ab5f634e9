// The writes of one batch of inbound messages, gathered while their actions are walked and
// flushed in a fixed handful of set-based statements (one per kind of write), so a batch of
// a hundred messages costs about as many round trips as one. Ids that only exist after the
// flush (a suppression, a lead) reach the cleanup-log details through `resolve`.
import type { Prisma } from '../generated/prisma/client';
import type { Channel, ComplaintKind, ConsentStatus, MessageStatus, SuppressionReason } from '../generated/prisma/enums';
import type { CleanupLogInput, FeedbackStore, FinishedInbound } from './feedback.repository';

export interface Flushed {
  /** The suppression this requester created (null when the address was on the list already). */
  suppressionId(requester: number): number | null;
  /** Customers whose email this requester marked invalid. */
  invalidated(requester: number): number[];
  complaintId(requester: number): number | null;
  leadId(requester: number): number | null;
}

type Details = Prisma.InputJsonObject | ((flushed: Flushed) => Prisma.InputJsonObject);

const MESSAGE_MOVES: Record<'hard_bounced' | 'soft_bounced' | 'complained' | 'delivered', MessageStatus[]> = {
  hard_bounced: ['sent', 'delivered', 'soft_bounced', 'committing'],
  soft_bounced: ['sent', 'committing'],
  complained: ['sent', 'delivered', 'soft_bounced', 'committing'],
  delivered: ['sent', 'committing', 'soft_bounced'],
};

export class PendingWrites {
  private next = 0;
  private readonly suppressions: Array<{ requester: number; key: string; entry: Parameters<FeedbackStore['suppressMany']>[0][number] }> =
    [];
  private readonly invalidations: Array<{ requester: number; email: string }> = [];
  private readonly consents: Parameters<FeedbackStore['setConsents']>[0] = [];
  private readonly complaints: Array<{ requester: number; row: Parameters<FeedbackStore['createComplaints']>[0][number] }> = [];
  private readonly leads: Array<{ requester: number; row: Parameters<FeedbackStore['createLeads']>[0][number] }> = [];
  private readonly bounces: Parameters<FeedbackStore['insertBounces']>[0] = [];
  private readonly moves = new Map<keyof typeof MESSAGE_MOVES, Map<bigint, string | null>>();
  private readonly finishes: Parameters<FeedbackStore['finishInbounds']>[0] = [];
  private readonly logs: Array<{ entry: Omit<CleanupLogInput, 'details'>; details: Details }> = [];

  /** A number naming one write, to find its result after the flush. */
  requester(): number {
    return this.next++;
  }

  suppress(
    requester: number,
    entry: {
      channel: Channel;
      addressHash: string;
      address: string;
      reason: SuppressionReason;
      source: string;
      customerId: number | null;
      evidenceId: bigint;
    },
  ): void {
    this.suppressions.push({ requester, key: `${entry.channel}:${entry.addressHash}`, entry });
  }

  invalidateEmail(requester: number, email: string): void {
    this.invalidations.push({ requester, email });
  }

  setConsent(customerId: number, channel: Channel, status: ConsentStatus, source: string): void {
    this.consents.push({ customerId, channel, status, source });
  }

  complaint(
    requester: number,
    row: {
      kind: ComplaintKind;
      customerId: number | null;
      campaignId: number | null;
      messageId: bigint | null;
      inboundMessageId: bigint;
      feedbackType: string | null;
      text: string | null;
    },
  ): void {
    this.complaints.push({ requester, row });
  }

  lead(
    requester: number,
    row: {
      customerId: number | null;
      campaignId: number | null;
      messageId: bigint | null;
      inboundMessageId: bigint;
      fromAddress: string | null;
      subject: string | null;
      text: string | null;
    },
  ): void {
    this.leads.push({ requester, row });
  }

  bounce(row: Parameters<FeedbackStore['insertBounces']>[0][number]): void {
    this.bounces.push(row);
  }

  moveMessage(id: bigint, status: keyof typeof MESSAGE_MOVES, reason: string | null): void {
    let changes = this.moves.get(status);
    if (!changes) this.moves.set(status, (changes = new Map<bigint, string | null>()));
    changes.set(id, reason);
  }

  finish(row: FinishedInbound): void {
    this.finishes.push(row);
  }

  log(entry: Omit<CleanupLogInput, 'details'>, details: Details): void {
    this.logs.push({ entry, details });
  }

  async flush(store: FeedbackStore): Promise<void> {
    // Suppressions: the first requester of an address owns what the statement created.
    const firstByKey = new Map<string, (typeof this.suppressions)[number]>();
    for (const s of this.suppressions) if (!firstByKey.has(s.key)) firstByKey.set(s.key, s);
    // Rows are written in key order, so concurrent batches lock them in the same order (no deadlock).
    const created = await store.suppressMany(
      [...firstByKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((s) => s.entry),
    );
    const suppressionIds = new Map<number, number>();
    for (const [key, s] of firstByKey) {
      const id = created.get(key);
      if (id !== undefined) suppressionIds.set(s.requester, id);
    }

    const firstByEmail = new Map<string, number>();
    for (const i of this.invalidations) if (!firstByEmail.has(i.email)) firstByEmail.set(i.email, i.requester);
    const changed = await store.invalidateEmails([...firstByEmail.keys()].sort());
    const invalidated = new Map<number, number[]>();
    for (const [email, requester] of firstByEmail) invalidated.set(requester, changed.get(email) ?? []);

    await store.setConsents([...this.consents].sort((a, b) => a.customerId - b.customerId || a.channel.localeCompare(b.channel)));
    const complaintIds = await store.createComplaints(this.complaints.map((c) => c.row));
    const complaintBy = new Map(this.complaints.map((c, i) => [c.requester, complaintIds[i] ?? null]));
    const leadIds = await store.createLeads(this.leads.map((l) => l.row));
    const leadBy = new Map(this.leads.map((l, i) => [l.requester, leadIds[i] ?? null]));
    await store.insertBounces(this.bounces);
    for (const [status, changes] of this.moves) {
      const sorted = [...changes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, reason]) => ({ id, reason }));
      await store.setMessagesStatus(status, MESSAGE_MOVES[status], sorted, status === 'delivered' ? new Date() : null);
    }
    await store.finishInbounds(this.finishes);

    const flushed: Flushed = {
      suppressionId: (r) => suppressionIds.get(r) ?? null,
      invalidated: (r) => invalidated.get(r) ?? [],
      complaintId: (r) => complaintBy.get(r) ?? null,
      leadId: (r) => leadBy.get(r) ?? null,
    };
    await store.logMany(this.logs.map((l) => ({ ...l.entry, details: typeof l.details === 'function' ? l.details(flushed) : l.details })));
  }
}
