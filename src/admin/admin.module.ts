import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { CustomersModule } from '../customers/customers.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { DocumentsModule } from '../documents/documents.module';
import { FeedbackModule } from '../feedback/feedback.module';
import { ReportsModule } from '../reports/reports.module';
import { ScoringModule } from '../scoring/scoring.module';
import { SegmentsModule } from '../segments/segments.module';
import { TemplatesModule } from '../templates/templates.module';
import { TriggersModule } from '../triggers/triggers.module';
import { AdminAuthController } from './admin-auth.controller';
import { AdminAutomationsController } from './admin-automations.controller';
import { AdminCampaignsController } from './admin-campaigns.controller';
import { AdminCustomersController } from './admin-customers.controller';
import { AdminImagesController } from './admin-images.controller';
import { AdminImportsController } from './admin-imports.controller';
import { AdminReportsController } from './admin-reports.controller';
import { AdminScoringController } from './admin-scoring.controller';
import { AdminServices } from './admin-services';
import { AdminSettingsController } from './admin-settings.controller';
import { AdminSettingsRepository } from './admin-settings.repository';
import { AdminAuthService } from './admin-auth.service';
import { AdminBaseController } from './admin-base.controller';
import { AdminSegmentsController } from './admin-segments.controller';
import { AdminTemplatesController } from './admin-templates.controller';
import { AdminTemplatePreviewController } from './admin-template-preview.controller';
import { AdminDashboardRepository } from './admin-dashboard.repository';
import { AdminErrorFilter, AdminSessionGuard } from './admin-http';
import { AdminUsersRepository } from './admin-users.repository';
import { AdminNotFoundController, AdminProfileController } from './admin-profile.controller';

/**
 * The admin web UI at /admin: server-rendered pages over the domain services, signed in with
 * user accounts (roles admin, marketer, viewer) and a session cookie; no API key involved.
 */
@Module({
  imports: [
    AuthModule,
    CampaignsModule,
    SegmentsModule,
    TemplatesModule,
    CustomersModule,
    ReportsModule,
    FeedbackModule,
    TriggersModule,
    ScoringModule,
    DeliveryModule,
    DocumentsModule,
  ],
  // AdminNotFoundController last: its catch-all route must come after every page.
  // AdminTemplatePreviewController before AdminCustomersController: /admin/customers/pick is not a customer id.
  controllers: [
    AdminAuthController,
    AdminTemplatePreviewController,
    AdminCampaignsController,
    AdminReportsController,
    AdminCustomersController,
    AdminAutomationsController,
    AdminScoringController,
    AdminBaseController,
    AdminTemplatesController,
    AdminSegmentsController,
    AdminImportsController,
    AdminSettingsController,
    AdminProfileController,
    AdminImagesController,
    AdminNotFoundController,
  ],
  providers: [
    AdminServices,
    AdminSettingsRepository,
    AdminUsersRepository,
    AdminAuthService,
    AdminDashboardRepository,
    AdminSessionGuard,
    AdminErrorFilter,
  ],
  exports: [AdminAuthService],
})
export class AdminModule {}
