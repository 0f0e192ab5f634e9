import { Module, OnApplicationShutdown, Inject } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SendClock } from '../common/clock';
import type { AppConfig } from '../config/config.module';
import { configuredEhloName } from './transports/email-transport';
import { CustomersModule } from '../customers/customers.module';
import { DocumentsModule } from '../documents/documents.module';
import { TemplatesModule } from '../templates/templates.module';
import { CampaignRenderService } from './campaign-render.service';
import { InlineImages } from './inline-images.service';
import { DeliveryController } from './delivery.controller';
import { DkimKeysController } from './dkim/dkim-keys.controller';
import { DkimKeysRepository } from './dkim/dkim-keys.repository';
import { DkimKeysService } from './dkim/dkim-keys.service';
import { MessageSenderService } from './message-sender.service';
import { DNS_RESOLVER, SenderDnsService, systemResolver } from './dns/sender-dns.service';
import { MessagesController } from './messages.controller';
import { MessagesRepository } from './messages.repository';
import { RunDataRepository } from './run-data.repository';
import { RunRenderData } from './run-render-data';
import { SenderProfiles } from './sender-profiles';
import { SenderProfilesRepository } from './sender-profiles.repository';
import { TransactionalRepository } from './transactional.repository';
import { TransactionalService } from './transactional.service';
import { DeliveryService } from './delivery.service';
import { OutboxRepository } from './outbox.repository';
import { OutgoingMessagesRepository } from './outgoing-messages.repository';
import { OutgoingMessagesService } from './outgoing-messages.service';
import { ProvidersController } from './providers/providers.controller';
import { ProvidersRepository } from './providers/providers.repository';
import { ProvidersService } from './providers/providers.service';
import { SendersController } from './providers/senders.controller';
import { CaptureEmailTransport } from './transports/capture-email.transport';
import { createSmsProvider } from './sms/create-sms-provider';
import { EMAIL_TRANSPORT, TRANSACTIONAL_EMAIL_TRANSPORT, type EmailTransport } from './transports/email-transport';
import { SMS_PROVIDER } from './transports/sms-provider';
import { SmtpEmailTransport } from './transports/smtp-email.transport';

@Module({
  imports: [TemplatesModule, DocumentsModule, CustomersModule],
  controllers: [DeliveryController, MessagesController, ProvidersController, SendersController, DkimKeysController],
  providers: [
    SendClock,
    OutboxRepository,
    DeliveryService,
    ProvidersRepository,
    ProvidersService,
    DkimKeysRepository,
    DkimKeysService,
    MessagesRepository,
    OutgoingMessagesRepository,
    OutgoingMessagesService,
    SenderProfilesRepository,
    SenderProfiles,
    RunDataRepository,
    RunRenderData,
    CampaignRenderService,
    InlineImages,
    MessageSenderService,
    SenderDnsService,
    { provide: DNS_RESOLVER, useFactory: systemResolver },
    TransactionalRepository,
    TransactionalService,
    {
      provide: EMAIL_TRANSPORT,
      inject: [ConfigService, OutboxRepository, DkimKeysService],
      useFactory: (config: AppConfig, outbox: OutboxRepository, dkim: DkimKeysService) =>
        defaultEmailTransport(config, outbox, dkim, config.get('SMTP_MAX_CONNECTIONS', { infer: true })),
    },
    {
      // Its own connections, so an order notification never waits behind a campaign's queue for a connection.
      provide: TRANSACTIONAL_EMAIL_TRANSPORT,
      inject: [ConfigService, OutboxRepository, DkimKeysService],
      useFactory: (config: AppConfig, outbox: OutboxRepository, dkim: DkimKeysService) =>
        defaultEmailTransport(config, outbox, dkim, config.get('SMTP_TRANSACTIONAL_CONNECTIONS', { infer: true })),
    },
    {
      // The default SMS provider (a campaign's sender may name another); a bad SMS_PROVIDER_CONFIG stops start-up.
      provide: SMS_PROVIDER,
      inject: [ConfigService, OutboxRepository],
      useFactory: (config: AppConfig, outbox: OutboxRepository) =>
        createSmsProvider(
          { kind: config.get('SMS_PROVIDER', { infer: true }), config: config.get('SMS_PROVIDER_CONFIG', { infer: true }) },
          { outbox },
          'SMS_PROVIDER_CONFIG',
        ),
    },
  ],
  exports: [
    SendClock,
    DeliveryService,
    EMAIL_TRANSPORT,
    TRANSACTIONAL_EMAIL_TRANSPORT,
    SMS_PROVIDER,
    OutboxRepository,
    TransactionalService,
    OutgoingMessagesService,
    CampaignRenderService,
    ProvidersService,
  ],
})
export class DeliveryModule implements OnApplicationShutdown {
  constructor(
    @Inject(EMAIL_TRANSPORT) private readonly email: EmailTransport,
    @Inject(TRANSACTIONAL_EMAIL_TRANSPORT) private readonly transactionalEmail: EmailTransport,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.email.close(), this.transactionalEmail.close()]);
  }
}

/**
 * SMTP_URL's relay with its own pool of `connections`, or the capture outbox when SMTP_URL is
 * unset. Each message is signed with the DKIM key of its From domain (DKIM_* as the fallback).
 */
function defaultEmailTransport(config: AppConfig, outbox: OutboxRepository, dkim: DkimKeysService, connections: number): EmailTransport {
  const smtpUrl = config.get('SMTP_URL', { infer: true });
  if (!smtpUrl) return new CaptureEmailTransport(outbox);
  return new SmtpEmailTransport(smtpUrl, {
    maxConnections: connections,
    dkim,
    clientName: configuredEhloName(config),
    tls: {
      mode: config.get('SMTP_TLS', { infer: true }),
      verify: config.get('SMTP_TLS_VERIFY', { infer: true }),
      ca: config.get('SMTP_TLS_CA', { infer: true }),
    },
  });
}
