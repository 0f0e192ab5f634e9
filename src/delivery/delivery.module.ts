import { Module, OnApplicationShutdown, Inject } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/config.module';
import { DeliveryController } from './delivery.controller';
import { DeliveryService } from './delivery.service';
import { OutboxRepository } from './outbox.repository';
import { CaptureEmailTransport } from './transports/capture-email.transport';
import { CaptureSmsProvider } from './transports/capture-sms.provider';
import { EMAIL_TRANSPORT, type EmailTransport } from './transports/email-transport';
import { SMS_PROVIDER } from './transports/sms-provider';
import { SmtpEmailTransport } from './transports/smtp-email.transport';

@Module({
  controllers: [DeliveryController],
  providers: [
    OutboxRepository,
    DeliveryService,
    {
      provide: EMAIL_TRANSPORT,
      inject: [ConfigService, OutboxRepository],
      useFactory: (config: AppConfig, outbox: OutboxRepository): EmailTransport => {
        const smtpUrl = config.get('SMTP_URL', { infer: true });
        return smtpUrl ? new SmtpEmailTransport(smtpUrl) : new CaptureEmailTransport(outbox);
      },
    },
    { provide: SMS_PROVIDER, inject: [OutboxRepository], useFactory: (outbox: OutboxRepository) => new CaptureSmsProvider(outbox) },
  ],
  exports: [DeliveryService, EMAIL_TRANSPORT, SMS_PROVIDER, OutboxRepository],
})
export class DeliveryModule implements OnApplicationShutdown {
  constructor(@Inject(EMAIL_TRANSPORT) private readonly email: EmailTransport) {}

  async onApplicationShutdown(): Promise<void> {
    await this.email.close();
  }
}
