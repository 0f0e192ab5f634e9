// The delivery module is the one writer of `messages`. This service is how the modules that plan
// messages (campaigns, triggers) make and stage them without writing the table themselves: they
// decide who gets what and when; the rows and their statuses are delivery's. Methods ending in
// `In` run inside the caller's transaction (`tx`), so a campaign run's A/B winner and a trigger's
// firing change together with their messages.
import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client';
import type { Channel } from '../generated/prisma/enums';
import {
  OutgoingMessagesRepository,
  type LocalDelivery,
  type MadeMessage,
  type NewKeyedMessage,
  type VersionChoice,
} from './outgoing-messages.repository';

export type { LocalDelivery, MadeMessage, NewKeyedMessage, VersionChoice };

@Injectable()
export class OutgoingMessagesService {
  constructor(private readonly outgoing: OutgoingMessagesRepository) {}

  // ── campaign runs ──

  /**
   * Freezes one batch of a run's audience into bulk messages: queued, or with `local` held until
   * each recipient's local time. A repeated batch adds nothing. Returns the rows added.
   */
  freezeRunBatch(
    run: { id: number; campaignId: number; channel: Channel },
    customerIds: number[],
    versions: VersionChoice,
    local: LocalDelivery | null = null,
  ): Promise<number> {
    return this.outgoing.freezeBatch(run, customerIds, versions, local);
  }

  /** A run's held messages whose time has come (by `now`) → queued; returns their ids, for the caller to enqueue. */
  releaseDueInRun(runId: number, now: Date, limit: number): Promise<bigint[]> {
    return this.outgoing.releaseDueInRun(runId, now, limit);
  }

  /** A cancelled run's messages not yet taken by the send path (queued or held) → cancelled. */
  cancelRunPending(runId: number): Promise<number> {
    return this.outgoing.cancelPending(runId);
  }

  /** A/B test: `sampleSize` random messages of the run get the variants in turn; the rest are held for the winner. */
  assignAbSample(runId: number, variants: Array<{ key: string; versions: VersionChoice }>, sampleSize: number): Promise<void> {
    return this.outgoing.assignAbSample(runId, variants, sampleSize);
  }

  /** A/B test decided: the held rest of the run is queued with the winner's versions. */
  releaseToWinnerIn(tx: Prisma.TransactionClient, runId: number, winner: string, versions: VersionChoice): Promise<void> {
    return this.outgoing.releaseToWinnerIn(tx, runId, winner, versions);
  }

  // ── keyed transactional messages (trigger firings) ──

  /** Makes a transactional message per entry unless its idempotency key exists; returns those made. */
  insertKeyedIn(
    tx: Prisma.TransactionClient,
    rows: readonly NewKeyedMessage[],
    versions: Partial<Record<Channel, VersionChoice>>,
    data: Record<string, unknown>,
  ): Promise<MadeMessage[]> {
    return this.outgoing.insertKeyedIn(tx, rows, versions, data);
  }

  // ── held messages ──

  /** Keeps held messages held until new times (`until[i]` for `ids[i]`). */
  rehold(ids: bigint[], until: Date[], reason: string): Promise<void> {
    return this.outgoing.rehold(ids, until, reason);
  }

  /** Releases held messages: `queued` (the caller enqueues them), or `skipped` when no longer reachable. */
  release(ids: bigint[]): Promise<Array<{ id: bigint; status: string }>> {
    return this.outgoing.release(ids);
  }
}
