import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/config.module';
import { DomainError } from '../common/domain-error';
import { JobName } from '../queue/job-catalogue';
import { JobHandlerRegistry } from '../queue/job-handlers';
import { OutboxRepository } from './outbox.repository';
import { EMAIL_TRANSPORT, type EmailTransport } from './transports/email-transport';

const DAY_MS = 86_400_000;

@Injectable()
export class DeliveryService implements OnModuleInit {
  constructor(
    @Inject(EMAIL_TRANSPORT) private readonly email: EmailTransport,
    private readonly outbox: OutboxRepository,
    private readonly jobs: JobHandlerRegistry,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.register(JobName.PruneOutbox, async ({ olderThanDays }) => ({
      deleted: await this.outbox.deleteOlderThan(new Date(Date.now() - olderThanDays * DAY_MS)),
    }));
  }

  /** Sends one plain test email through the configured transport, to check provider settings. */
  async sendTestEmail(to: string, from?: string) {
    const publicUrl = this.config.get('PUBLIC_URL', { infer: true });
    const sender = from ?? `otklik@${new URL(publicUrl).hostname === 'localhost' ? 'localhost.localdomain' : new URL(publicUrl).hostname}`;
    const result = await this.email.send({
      from: sender,
      to,
      subject: 'Otklik test message',
      text: `This is a test message from Otklik (${publicUrl}). If you can read it, the ${this.email.name} transport works.`,
    });
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
}
