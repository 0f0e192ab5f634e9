// Address changes asked for by mail («пишите на X»): never applied straight. The feedback loop
// records a proposal; it takes effect when the new address confirms it through a signed link
// (only for a request proven to come from the recipient of a message we sent, or a stranger
// could confirm his own address) or when an admin accepts it. Then the old address is retired
// and the new one becomes a contact of the same company, each step in the cleanup log.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DomainError } from '../common/domain-error';
import { rowIdOf } from '../common/ids';
import { signToken, verifyToken, type KeyRing } from '../common/signed-token';
import { secretKeys, type AppConfig } from '../config/config.module';
import { TransactionalService } from '../delivery/transactional.service';
import { FeedbackRepository, type FeedbackStore } from './feedback.repository';

export const ADDRESS_CHANGE_TEMPLATE = 'address-change-confirm';
const PURPOSE = 'address-change';

export type ConfirmResult = 'confirmed' | 'already_confirmed' | 'invalid' | 'decided';

@Injectable()
export class AddressChangesService {
  private readonly logger = new Logger(AddressChangesService.name);
  private readonly keys: KeyRing;

  constructor(
    private readonly feedback: FeedbackRepository,
    private readonly transactional: TransactionalService,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {
    this.keys = secretKeys(config);
  }

  confirmUrl(id: number): string {
    return `${this.config.get('PUBLIC_URL', { infer: true }).replace(/\/+$/, '')}/address-change/${signToken(this.keys, PURPOSE, String(id))}`;
  }

  /** The confirmation emails of proven proposals, through the transactional lane; a failure leaves the proposal for an admin. */
  async sendConfirmations(ids: number[]): Promise<void> {
    for (const id of ids) {
      try {
        const proposal = await this.feedback.addressChange(id);
        if (!proposal || proposal.status !== 'pending' || !proposal.proven || proposal.customer.erasedAt) continue;
        await this.transactional.send({
          template: ADDRESS_CHANGE_TEMPLATE,
          channel: 'email',
          customerId: proposal.customerId,
          to: proposal.newAddress,
          locale: proposal.customer.locale,
          data: { confirmUrl: this.confirmUrl(id), oldAddress: proposal.oldAddress ?? '' },
          idempotencyKey: `address-change-${id}`,
        });
      } catch (error) {
        this.logger.warn(`address change ${id}: confirmation not sent (an admin can still accept it): ${(error as Error).message}`);
      }
    }
  }

  /** The proposal a confirmation link names, or null. */
  async ofToken(token: string) {
    const payload = verifyToken(this.keys, PURPOSE, token);
    const id = payload === null ? null : rowIdOf(payload);
    if (id === null) return null;
    const proposal = await this.feedback.addressChange(id);
    return proposal?.proven ? proposal : null;
  }

  /** The new address followed its link (a POST: mail scanners only fetch). */
  async confirm(token: string): Promise<ConfirmResult> {
    const proposal = await this.ofToken(token);
    if (!proposal) return 'invalid';
    return this.feedback.transaction(async (store) => {
      const locked = await store.lockAddressChange(proposal.id);
      if (!locked) return 'invalid';
      if (locked.status === 'confirmed') return 'already_confirmed';
      if (locked.status !== 'pending') return 'decided';
      await this.apply(store, locked, 'confirmed', `link confirmed by ${locked.newAddress}`);
      return 'confirmed';
    });
  }

  accept(id: number, by: string) {
    return this.decide(id, 'accepted', by);
  }

  reject(id: number, by: string) {
    return this.decide(id, 'rejected', by);
  }

  list(filter: { status?: 'pending' | 'confirmed' | 'accepted' | 'rejected'; before?: number; limit: number }) {
    return this.feedback.addressChanges(filter);
  }

  private decide(id: number, status: 'accepted' | 'rejected', by: string) {
    return this.feedback.transaction(async (store) => {
      const proposal = await store.lockAddressChange(id);
      if (!proposal) throw DomainError.notFound('Address change', id);
      if (proposal.status !== 'pending') throw new DomainError('invalid_state', `Address change ${id} is ${proposal.status} already`);
      if (status === 'rejected') {
        await store.decideAddressChange(id, 'rejected', by, null);
        return { id, status };
      }
      const contactId = await this.apply(store, proposal, 'accepted', by);
      return { id, status, contactId };
    });
  }

  /** Retires the old address and makes the new one a contact of the same company. */
  private async apply(
    store: FeedbackStore,
    proposal: { id: number; customerId: number; oldAddress: string | null; newAddress: string; inboundMessageId: bigint | null },
    status: 'confirmed' | 'accepted',
    by: string,
  ): Promise<number | null> {
    const old = await store.customer(proposal.customerId);
    if (!old || old.erasedAt)
      throw new DomainError('invalid_state', `Address change ${proposal.id}: customer ${proposal.customerId} is erased`);
    const entry = (action: string, reason: string, details: Record<string, unknown>, customerId: number) => ({
      action,
      channel: 'email' as const,
      address: action === 'retired' ? proposal.oldAddress : proposal.newAddress,
      reason: reason.slice(0, 1000),
      customerId,
      inboundMessageId: proposal.inboundMessageId,
      details: { ...details, addressChangeId: proposal.id, by } as never,
    });
    const retired = await store.setEmailValid([old.id], false);
    const log = [
      entry(
        'retired',
        `replaced by ${proposal.newAddress} (address change ${proposal.id} ${status})`,
        { newAddress: proposal.newAddress, changed: retired.length > 0 },
        old.id,
      ),
    ];
    let contactId: number;
    const existing = await store.customerByEmail(proposal.newAddress);
    if (existing) {
      contactId = existing.id;
      log.push(entry('contact_exists', `${proposal.newAddress} is customer ${existing.id}`, { contactId, replaces: old.id }, existing.id));
    } else {
      contactId = await store.createCustomer({
        email: proposal.newAddress,
        companyId: old.companyId,
        companyName: old.companyName,
        locale: old.locale,
        timeZone: old.timeZone,
        source: `address change ${proposal.id} from customer ${old.id}`,
      });
      // No consent is copied: the new person has not agreed to anything yet.
      log.push(
        entry('contact_created', `replaces ${proposal.oldAddress ?? `customer ${old.id}`}`, { contactId, replaces: old.id }, contactId),
      );
    }
    await store.logMany(log);
    await store.decideAddressChange(proposal.id, status, by, contactId);
    return contactId;
  }
}
