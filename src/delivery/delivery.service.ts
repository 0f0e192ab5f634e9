import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/config.module';
import { DomainError } from '../common/domain-error';
import { defaultMailDomain } from '../common/mail-ids';
import type { Prisma } from '../generated/prisma/client';
import type { MessageStatus } from '../generated/prisma/enums';
import { JobName, messageJobId, SEND_LEASE_SECONDS } from '../queue/job-catalogue';
import { JobHandlerRegistry } from '../queue/job-handlers';
import { JobQueue } from '../queue/job-queue';
import { MessagesRepository } from './messages.repository';
import { OutboxRepository } from './outbox.repository';
import { EMAIL_TRANSPORT, type EmailTransport } from './transports/email-transport';

const DAY_MS = 86_400_000;
/** Messages looked at per sweep; the next minute's sweep takes the rest. */
const SWEEP_LIMIT = 5000;

@Injectable()
export class DeliveryService implements OnModuleInit {
  constructor(
    @Inject(EMAIL_TRANSPORT) private readonly email: EmailTransport,
    private readonly outbox: OutboxRepository,
    private readonly messages: MessagesRepository,
    private readonly jobs: JobHandlerRegistry,
    private readonly queue: JobQueue,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.register(JobName.PruneOutbox, async ({ olderThanDays }) => ({
      deleted: await this.outbox.deleteOlderThan(new Date(Date.now() - olderThanDays * DAY_MS)),
    }));
    this.jobs.register(JobName.DeliverySweep, () => this.sweep());
  }

  /**
   * The reaper: a message left waiting, held past its time or in flight past two leases may
   * have lost its job (Redis restarted without its data). It is enqueued again under its own job
   * id, a no-op while the job still exists; the claim keeps it to one copy either way.
   */
  async sweep(): Promise<{ requeued: number }> {
    const rows = await this.messages.maybeWithoutJob(SEND_LEASE_SECONDS * 2, SWEEP_LIMIT);
    for (const lane of ['transactional', 'bulk'] as const) {
      const ids = rows.filter((row) => row.lane === lane).map((row) => row.id);
      await this.queue.enqueueBulk(
        lane === 'transactional' ? JobName.SendTransactional : JobName.SendBulk,
        ids.map((id) => ({ data: { messageId: id.toString() }, options: { jobId: messageJobId(id) } })),
      );
    }
    return { requeued: rows.length };
  }

  /** Sends one plain test email through the configured transport, to check provider settings. */
  async sendTestEmail(to: string, from?: string) {
    const publicUrl = this.config.get('PUBLIC_URL', { infer: true });
    const sender = from ?? `otklik@${defaultMailDomain(publicUrl)}`;
    // No Message row to commit: the message is accepted as soon as it is written.
    const prepared = await this.email.prepare({
      from: sender,
      to,
      subject: 'Otklik test message',
      text: `This is a test message from Otklik (${publicUrl}). If you can read it, the ${this.email.name} transport works.`,
    });
    const result = await prepared.commit();
    return { transport: this.email.name, providerMessageId: result.providerMessageId };
  }

  listOutbox(filter: { channel?: 'email' | 'sms'; to?: string; before?: bigint; limit: number }) {
    return this.outbox.list(filter);
  }

  async getOutboxMessage(id: bigint) {
    const found = await this.outbox.get(id);
    if (!found) throw DomainError.notFound('Outbox message', id);
    return found;
  }

  // ── message status changes inside another module's transaction (the feedback loop): the
  //    SQL stays in MessagesRepository. (Campaigns and triggers make and stage their messages
  //    through OutgoingMessagesService; tracking's first open/click stamp and the erasure
  //    are the documented exceptions, docs/architecture.md.) ──

  /** Moves messages to one feedback status (delivered, bounced, complained …), each only from the statuses given. */
  setFeedbackStatusIn(
    tx: Prisma.TransactionClient,
    status: MessageStatus,
    from: MessageStatus[],
    changes: Array<{ id: bigint; reason: string | null }>,
    deliveredAt: Date | null = null,
  ): Promise<void> {
    return this.messages.setFeedbackStatusIn(tx, status, from, changes, deliveredAt);
  }

  markHardBouncedIn(tx: Prisma.TransactionClient, id: bigint): Promise<void> {
    return this.messages.markHardBouncedIn(tx, id);
  }
}
