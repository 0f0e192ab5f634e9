// Consent per channel, with its history as proof, and the double opt-in flow: a pending email
// consent queues a job whose handler (delivery/transactional.service.ts) asks here what to send
// and sends it as a transactional message (a Message row, the transactional lane, the
// `welcome-confirm` template). Its signed link turns the consent into opted_in, recording the
// IP and the link as proof.
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DomainError } from '../../common/domain-error';
import { secretKeys, type AppConfig } from '../../config/config.module';
import type { Prisma } from '../../generated/prisma/client';
import type { Channel, ConsentStatus } from '../../generated/prisma/enums';
import { JobName } from '../../queue/job-catalogue';
import { JobQueue } from '../../queue/job-queue';
import { CustomersRepository } from '../customers.repository';
import type { ConsentInput } from '../dto/customer.dto';
import { SuppressionService } from '../suppression/suppression.service';
import { addressTag, consentConfirmToken, readConsentConfirmToken } from './consent-token';
import { ConsentRepository } from './consent.repository';

/** Suppressions that stop even a confirmation email: the address is dead, complained or erased. */
const BLOCKS_CONFIRMATION = new Set(['hard_bounce', 'complaint', 'erased']);

/** The template of the double opt-in email (`templates/email/welcome-confirm.<locale>.mjml`). */
export const CONFIRMATION_TEMPLATE_KEY = 'welcome-confirm';

/** What the double opt-in job sends: a transactional email request, or why nothing goes out. */
export type ConfirmationRequest =
  | { send: true; template: string; channel: 'email'; customerId: number; data: { confirmUrl: string }; idempotencyKey: string | undefined }
  | { send: false; reason: string };

export type ConfirmOutcome =
  { result: 'confirmed' | 'already_confirmed'; customerId: number } | { result: 'invalid' | 'expired' | 'address_changed' };

@Injectable()
export class ConsentService {
  constructor(
    private readonly consents: ConsentRepository,
    private readonly customers: CustomersRepository,
    private readonly suppressions: SuppressionService,
    private readonly queue: JobQueue,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {}

  async list(customerId: number) {
    await this.liveCustomer(customerId);
    return { consents: await this.consents.list(customerId), history: await this.consents.history(customerId) };
  }

  /**
   * Sets the consent of one channel, with its proof. `pending` on email starts the double
   * opt-in: the confirmation email is queued. Needs an address on that channel.
   */
  async set(customerId: number, channel: Channel, input: ConsentInput, defaultSource: string) {
    const customer = await this.liveCustomer(customerId);
    const address = channel === 'email' ? customer.email : customer.phone;
    if (!address)
      throw new DomainError(
        'invalid_state',
        `Customer ${customerId} has no ${channel === 'email' ? 'email' : 'phone'}, so it cannot consent to ${channel}`,
      );
    if (input.status === 'pending' && channel === 'sms') {
      throw DomainError.validation([{ path: 'status', message: 'pending (double opt-in) is only available for email' }]);
    }
    const eventId = await this.consents.record(
      customerId,
      channel,
      { status: input.status, source: input.source ?? defaultSource, proofIp: input.proofIp ?? null, proofForm: input.proofForm ?? null },
      new Date(),
    );
    if (input.status === 'pending') await this.enqueueConfirmation(customerId, eventId);
    return { channel, ...(await this.consents.find(customerId, channel)), confirmationQueued: input.status === 'pending' };
  }

  /** Asks again for confirmation (a lost email): the consent goes to pending unless already opted in. */
  async requestConfirmation(customerId: number, source: string) {
    const current = await this.consents.find(customerId, 'email');
    if (current?.status === 'opted_in') throw new DomainError('invalid_state', `Customer ${customerId} has already opted in to email`);
    return this.set(customerId, 'email', { status: 'pending', source }, source);
  }

  async enqueueConfirmation(customerId: number, eventId: number): Promise<void> {
    // One email per request: the consent event id makes the job id, so a duplicate enqueue is a no-op.
    await this.queue.enqueue(
      { name: JobName.SendConsentConfirmation, data: { customerId, eventId } },
      { jobId: `consent-confirmation-${customerId}-${eventId}` },
    );
  }

  /**
   * For the job: the confirmation email to send if the consent is still pending and the address
   * may get mail. One message per consent event (`eventId` makes the idempotency key).
   */
  async confirmationRequest(customerId: number, eventId?: number): Promise<ConfirmationRequest> {
    const customer = await this.customers.get(customerId);
    if (!customer || customer.erasedAt || !customer.email) return { send: false, reason: 'no email' };
    const consent = customer.consents.find((c) => c.channel === 'email');
    if (consent?.status !== 'pending') return { send: false, reason: `consent is ${consent?.status ?? 'not set'}` };
    const suppression = await this.suppressions.suppressionOf('email', customer.email);
    if (suppression && BLOCKS_CONFIRMATION.has(suppression.reason)) return { send: false, reason: `suppressed: ${suppression.reason}` };

    const token = consentConfirmToken(secretKeys(this.config), customerId, customer.email, new Date());
    const confirmUrl = `${this.config.get('PUBLIC_URL', { infer: true }).replace(/\/$/, '')}/consent/confirm/${token}`;
    return {
      send: true,
      template: CONFIRMATION_TEMPLATE_KEY,
      channel: 'email',
      customerId,
      data: { confirmUrl },
      idempotencyKey: eventId === undefined ? undefined : `consent-confirmation-${customerId}-${eventId}`,
    };
  }

  /** The signed link was used: opted_in, with the IP and the link as proof. Idempotent. */
  async confirm(token: string, ip: string | null): Promise<ConfirmOutcome> {
    const read = readConsentConfirmToken(secretKeys(this.config), token);
    if (!read.ok) return { result: read.reason };
    const { customerId } = read.claim;
    const customer = await this.customers.head(customerId);
    if (!customer || customer.erasedAt) return { result: 'invalid' };
    if (!customer.email || addressTag(customer.email) !== read.claim.addressTag) return { result: 'address_changed' };
    const current = await this.consents.find(customerId, 'email');
    if (current?.status === 'opted_in') return { result: 'already_confirmed', customerId };
    await this.consents.record(
      customerId,
      'email',
      { status: 'opted_in', source: 'double opt-in', proofIp: ip, proofForm: 'confirmation link' },
      new Date(),
    );
    // A fresh, proven opt-in outweighs an old unsubscribe; bounces, complaints and erasure still stand.
    const entry = await this.suppressions.suppressionOf('email', customer.email);
    if (entry?.reason === 'unsubscribe') await this.suppressions.remove(entry.id);
    return { result: 'confirmed', customerId };
  }

  private async liveCustomer(customerId: number) {
    const customer = await this.customers.head(customerId);
    if (!customer || customer.erasedAt) throw DomainError.notFound('Customer', customerId);
    return customer;
  }

  // ── inside another module's transaction (the feedback loop applies an inbound message's
  //    actions, and undoes them, in one): the SQL stays in ConsentRepository ──

  currentIn(tx: Prisma.TransactionClient, keys: Array<{ customerId: number; channel: Channel }>) {
    return this.consents.currentIn(tx, keys);
  }

  setManyIn(
    tx: Prisma.TransactionClient,
    changes: Array<{ customerId: number; channel: Channel; status: ConsentStatus; source: string }>,
  ): Promise<void> {
    return this.consents.setManyIn(tx, changes);
  }

  setIn(tx: Prisma.TransactionClient, customerId: number, channel: Channel, status: ConsentStatus, source: string): Promise<void> {
    return this.consents.setIn(tx, customerId, channel, status, source);
  }

  deleteIn(tx: Prisma.TransactionClient, customerId: number, channel: Channel): Promise<void> {
    return this.consents.deleteIn(tx, customerId, channel);
  }
}
