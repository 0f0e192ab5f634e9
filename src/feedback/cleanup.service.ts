// Undo of a cleanup-log entry by an admin: puts back what the feedback loop changed (the
// suppression it added, the consent it withdrew, the address it retired or invalidated, the
// contact it created), in one transaction, and marks the entry undone. A suppression is lifted
// only if it is still the one this entry's evidence created.
import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import type { Channel, ConsentStatus } from '../generated/prisma/enums';
import { FeedbackRepository, type FeedbackStore } from './feedback.repository';

/** Cleanup actions an undo can reverse. */
export const UNDOABLE_ACTIONS = ['invalidated', 'suppressed', 'unsubscribed', 'retired', 'contact_created'] as const;

interface EntryDetails {
  suppressionId?: number | null;
  customerIds?: number[];
  consentChanged?: boolean;
  previousConsent?: { status: ConsentStatus; source: string | null } | null;
  contactId?: number;
}

@Injectable()
export class CleanupService {
  constructor(private readonly feedback: FeedbackRepository) {}

  async undo(id: number, by: string) {
    return this.feedback.transaction(async (store) => {
      const entry = await store.lockCleanupEntry(id);
      if (!entry) throw DomainError.notFound('Cleanup entry', id);
      if (entry.undoneAt)
        throw new DomainError(
          'invalid_state',
          `Cleanup entry ${id} was already undone at ${entry.undoneAt.toISOString()} by ${entry.undoneBy ?? 'someone'}`,
        );
      if (!(UNDOABLE_ACTIONS as readonly string[]).includes(entry.action)) {
        throw new DomainError(
          'invalid_state',
          `Cleanup entry ${id} (${entry.action}) changed nothing that can be undone; undoable: ${UNDOABLE_ACTIONS.join(', ')}`,
        );
      }
      const details = (entry.details ?? {}) as unknown as EntryDetails;
      const restored = await this.reverse(
        store,
        entry.action,
        details,
        { customerId: entry.customerId, channel: entry.channel ?? 'email', evidenceId: entry.inboundMessageId },
        by,
        id,
      );
      await store.markUndone(id, by);
      return { id, action: entry.action, undone: true, restored };
    });
  }

  private async reverse(
    store: FeedbackStore,
    action: string,
    details: EntryDetails,
    entry: { customerId: number | null; channel: Channel; evidenceId: bigint | null },
    by: string,
    id: number,
  ): Promise<string[]> {
    const restored: string[] = [];
    const lift = async () => {
      if (details.suppressionId && (await store.deleteSuppression(details.suppressionId, entry.evidenceId)))
        restored.push(`suppression ${details.suppressionId} lifted`);
    };
    switch (action) {
      case 'invalidated':
        await lift();
        for (const customerId of await store.setEmailValid(details.customerIds ?? [], true))
          restored.push(`customer ${customerId} email valid again`);
        break;
      case 'suppressed':
        await lift();
        break;
      case 'unsubscribed':
        await lift();
        if (details.consentChanged && entry.customerId !== null) {
          const previous = details.previousConsent;
          if (previous) await store.setConsent(entry.customerId, entry.channel, previous.status, `undo of cleanup entry ${id} by ${by}`);
          else await store.deleteConsent(entry.customerId, entry.channel);
          restored.push(`customer ${entry.customerId} ${entry.channel} consent back to ${previous?.status ?? 'not set'}`);
        }
        break;
      case 'retired':
        if (entry.customerId !== null)
          for (const customerId of await store.setEmailValid([entry.customerId], true))
            restored.push(`customer ${customerId} email valid again`);
        break;
      case 'contact_created':
        if (details.contactId) {
          if (!(await store.deleteCreatedCustomer(details.contactId))) {
            throw new DomainError(
              'invalid_state',
              `Customer ${details.contactId} was created by this entry but has messages or orders since; delete or keep it by hand`,
            );
          }
          restored.push(`customer ${details.contactId} removed`);
        }
        break;
    }
    return restored;
  }
}
