// The suppression list: addresses that must never get bulk mail again (docs/architecture.md: suppression always wins).
// Entries are keyed by the sha256 of the normalised address, so every spelling of an address
// finds its entry, an erased customer's address stays suppressed without being stored in clear,
// and a re-imported customer is still suppressed: the list does not hang off the customer row.
//
// Exported for the campaign engine (isSuppressed / suppressedAmong at send time) and the
// feedback loop (suppress on a hard bounce, complaint or unsubscribe).
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { CountryCode } from 'libphonenumber-js';
import { DomainError } from '../../common/domain-error';
import type { AppConfig } from '../../config/config.module';
import type { Prisma } from '../../generated/prisma/client';
import type { Channel, SuppressionReason } from '../../generated/prisma/enums';
import { hashAddress, normaliseAddress, phoneRegion } from '../contact-normalise';
import { addressRejection } from '../csv/issue-messages';
import { SuppressionRepository, type EvidencedSuppression, type SuppressionListFilter } from './suppression.repository';

export interface SuppressOptions {
  customerId?: number | null;
  /** The inbound message (bounce, complaint) that caused it. */
  evidenceId?: bigint | null;
}

@Injectable()
export class SuppressionService {
  private readonly region: CountryCode;

  constructor(
    private readonly suppressions: SuppressionRepository,
    @Inject(ConfigService) config: AppConfig,
  ) {
    this.region = phoneRegion(config.get('DEFAULT_PHONE_REGION', { infer: true }));
  }

  /** The normalised form and hash of an address, or null when it is not a valid address. */
  keyOf(channel: Channel, address: string): { address: string; hash: string } | null {
    const normalised = normaliseAddress(channel, address, this.region);
    return normalised.ok ? { address: normalised.value, hash: hashAddress(channel, normalised.value) } : null;
  }

  /** True when the address is on the list. An invalid address cannot be on it (only normalised ones are stored). */
  async isSuppressed(channel: Channel, address: string): Promise<boolean> {
    return (await this.suppressionOf(channel, address)) !== null;
  }

  /** The entry for an address, or null. */
  async suppressionOf(channel: Channel, address: string) {
    const key = this.keyOf(channel, address);
    return key ? this.suppressions.find(channel, key.hash) : null;
  }

  /** For a batch of recipients: the addresses (as given) that are suppressed, with the reason. */
  async suppressedAmong(channel: Channel, addresses: readonly string[]): Promise<Map<string, SuppressionReason>> {
    const byHash = new Map<string, string[]>();
    for (const address of addresses) {
      const key = this.keyOf(channel, address);
      if (!key) continue;
      const given = byHash.get(key.hash);
      if (given) given.push(address);
      else byHash.set(key.hash, [address]);
    }
    const result = new Map<string, SuppressionReason>();
    if (byHash.size === 0) return result;
    for (const row of await this.suppressions.findMany(channel, [...byHash.keys()])) {
      for (const address of byHash.get(row.addressHash) ?? []) result.set(address, row.reason);
    }
    return result;
  }

  /**
   * Puts an address on the list. An address already there keeps its first reason (the
   * evidence); `created` says whether this call added it. Throws a validation error naming
   * `address` when it is not a valid email or phone.
   */
  async suppress(channel: Channel, address: string, reason: SuppressionReason, source: string | null, options: SuppressOptions = {}) {
    const normalised = normaliseAddress(channel, address, this.region);
    if (!normalised.ok) throw DomainError.validation([{ path: 'address', message: addressRejection(channel, normalised.reason) }]);
    return this.suppressions.insertIfAbsent({
      channel,
      addressHash: hashAddress(channel, normalised.value),
      address: reason === 'erased' ? null : normalised.value,
      reason,
      source: source?.slice(0, 500) ?? null,
      customerId: options.customerId ?? null,
      evidenceId: options.evidenceId ?? null,
    });
  }

  list(filter: SuppressionListFilter & { address?: string }) {
    let addressHash: string | undefined;
    if (filter.address !== undefined) {
      if (!filter.channel) throw DomainError.validation([{ path: 'query.channel', message: 'required when filtering by address' }]);
      const key = this.keyOf(filter.channel, filter.address);
      if (!key) return Promise.resolve([]);
      addressHash = key.hash;
    }
    return this.suppressions.list({ ...filter, addressHash });
  }

  /** Lifts a suppression (admin). An erased address stays suppressed: that was the erasure's promise. */
  async remove(id: number): Promise<void> {
    const entry = await this.suppressions.get(id);
    if (!entry) throw DomainError.notFound('Suppression', id);
    if (entry.reason === 'erased')
      throw new DomainError(
        'invalid_state',
        `Suppression ${id} keeps an erased customer's address off the list for good; it cannot be lifted`,
      );
    await this.suppressions.delete(id);
  }

  /**
   * Inside another module's transaction: suppresses the addresses not yet on the list (the
   * first reason stays); returns the ids this call created, by `channel:hash`.
   */
  suppressManyIn(tx: Prisma.TransactionClient, entries: EvidencedSuppression[]): Promise<Map<string, number>> {
    return this.suppressions.insertManyIn(tx, entries);
  }

  /** Inside another module's transaction (an undo): lifts the entry only if the given evidence still is its cause. */
  liftIn(tx: Prisma.TransactionClient, id: number, evidenceId: bigint | null): Promise<boolean> {
    return this.suppressions.deleteByEvidenceIn(tx, id, evidenceId);
  }
}
