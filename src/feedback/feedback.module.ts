import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { CustomersModule } from '../customers/customers.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { AddressChangeController } from './address-change.controller';
import { AddressChangesService } from './address-changes.service';
import { CampaignGuardService } from './campaign-guard.service';
import { CleanupService } from './cleanup.service';
import { FeedbackReportsRepository } from './feedback-reports.repository';
import { FeedbackController } from './feedback.controller';
import { FeedbackRepository } from './feedback.repository';
import { FeedbackService } from './feedback.service';
import { InboundRepository } from './inbound.repository';
import { ImapMailbox } from './intake/imap-mailbox';
import { ImapPollerService } from './intake/imap-poller.service';
import { InboundIntakeService } from './intake/inbound-intake.service';
import { InboundSmtpServer } from './intake/inbound-smtp.server';
import { SmsInboundController } from './sms-inbound.controller';
import { ProviderWebhooksController } from './webhooks/provider-webhooks.controller';
import { SendBouncesService } from './send-bounces.service';
import { SesWebhookController } from './webhooks/ses-webhook.controller';
import { SnsCertificates } from './webhooks/sns-certificates';

/**
 * The feedback loop: intake (inbound SMTP in the api role, IMAP polling, webhooks, API upload) stores every message
 * raw and queues it; the worker classifies it (classify/, pure) and applies what it means
 * (suppress, unsubscribe, lead, complaint, address-change proposal) only as far as the message proves it
 * may (the rest is withheld for an admin), logged for review and undo; the
 * campaign guard pauses a campaign whose bounce or complaint rate is too high.
 */
@Module({
  imports: [DeliveryModule, CampaignsModule, CustomersModule],
  controllers: [FeedbackController, SmsInboundController, SesWebhookController, ProviderWebhooksController, AddressChangeController],
  providers: [
    InboundRepository,
    FeedbackRepository,
    FeedbackReportsRepository,
    CampaignGuardService,
    FeedbackService,
    CleanupService,
    AddressChangesService,
    InboundIntakeService,
    InboundSmtpServer,
    SnsCertificates,
    ImapMailbox,
    ImapPollerService,
    SendBouncesService,
  ],
  exports: [InboundIntakeService, FeedbackService, CleanupService, AddressChangesService],
})
export class FeedbackModule {}
