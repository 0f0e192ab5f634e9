// One message now, through the transactional lane: order status, double opt-in, anything a
// shop or CRM sends to one person. Never waits behind a bulk campaign (its own queue, its
// own SMTP connections), and an idempotency key makes a retried API call harmless.
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { normaliseEmail, normalisePhone } from '../customers/contact-normalise';
import { ConsentService } from '../customers/consent/consent.service';
import { JobName, messageJobId } from '../queue/job-catalogue';
import { JobHandlerRegistry } from '../queue/job-handlers';
import { JobQueue } from '../queue/job-queue';
import { TemplatesService } from '../templates/templates.service';
import { TransactionalRepository } from './transactional.repository';

export interface TransactionalRequest {
  template: string;
  channel: 'email' | 'sms';
  customerId?: number;
  to?: string;
  locale?: string;
  data: Record<string, unknown>;
  idempotencyKey?: string;
}

@Injectable()
export class TransactionalService implements OnModuleInit {
  constructor(
    private readonly messages: TransactionalRepository,
    private readonly templates: TemplatesService,
    private readonly jobs: JobQueue,
    private readonly registry: JobHandlerRegistry,
    private readonly consents: ConsentService,
  ) {}

  onModuleInit(): void {
    this.registry.register(JobName.SendConsentConfirmation, ({ customerId, eventId }) => this.sendConsentConfirmation(customerId, eventId));
  }

  /** The double opt-in email: the consent module decides whether and what; it goes out like any transactional message. */
  async sendConsentConfirmation(customerId: number, eventId?: number): Promise<{ sent: boolean; reason?: string; messageId?: string }> {
    const request = await this.consents.confirmationRequest(customerId, eventId);
    if (!request.send) return { sent: false, reason: request.reason };
    const message = await this.send({
      template: request.template,
      channel: request.channel,
      customerId: request.customerId,
      data: request.data,
      idempotencyKey: request.idempotencyKey,
    });
    return { sent: true, messageId: message.id.toString() };
  }

  async send(request: TransactionalRequest) {
    let locale = request.locale;
    let toAddress: string | null = null;
    if (request.customerId !== undefined) {
      const customer = await this.messages.customerContact(request.customerId);
      if (!customer || customer.erasedAt)
        throw DomainError.validation([{ path: 'customerId', message: `customer ${request.customerId} not found` }]);
      locale ??= customer.locale;
    }
    if (request.to !== undefined) toAddress = this.normaliseAddress(request.channel, request.to);
    const version = await this.templates.resolveVersion(request.template, locale, request.channel);
    const { created, message } = await this.messages.create({
      channel: request.channel,
      customerId: request.customerId ?? null,
      toAddress,
      templateVersionId: version.versionId,
      data: request.data,
      idempotencyKey: request.idempotencyKey ?? null,
    });
    // Enqueued again for a repeated key too: the job id is the message id, so BullMQ keeps
    // one job, and a row that already went out is skipped by the worker.
    await this.jobs.enqueue(
      { name: JobName.SendTransactional, data: { messageId: message.id.toString() } },
      { jobId: messageJobId(message.id) },
    );
    return { ...message, duplicate: !created };
  }

  async get(id: bigint) {
    const message = await this.messages.get(id);
    if (!message) throw DomainError.notFound('Message', id);
    return message;
  }

  private normaliseAddress(channel: 'email' | 'sms', to: string): string {
    if (channel === 'email') {
      const email = normaliseEmail(to);
      if (!email.ok) throw DomainError.validation([{ path: 'to', message: `not a valid email address (${email.reason})` }]);
      return email.value;
    }
    const phone = normalisePhone(to);
    if (!phone.ok) throw DomainError.validation([{ path: 'to', message: `not a valid phone number (${phone.reason})` }]);
    return phone.value.e164;
  }
}
