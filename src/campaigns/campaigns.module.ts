import { Module } from '@nestjs/common';
import { DocumentsModule } from '../documents/documents.module';
import { SegmentsModule } from '../segments/segments.module';
import { TemplatesModule } from '../templates/templates.module';
import { CampaignsController } from './campaigns.controller';
import { CampaignsRepository } from './campaigns.repository';
import { CampaignsService } from './campaigns.service';

/** Campaigns, their schedules and runs; sending itself is the delivery module's job. */
@Module({
  imports: [SegmentsModule, TemplatesModule, DocumentsModule],
  controllers: [CampaignsController],
  providers: [CampaignsRepository, CampaignsService],
  exports: [CampaignsService],
})
export class CampaignsModule {}
