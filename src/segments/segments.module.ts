import { Module } from '@nestjs/common';
import { AudienceService } from './audience.service';
import { SegmentsController } from './segments.controller';
import { SegmentsRepository } from './segments.repository';
import { SegmentsService } from './segments.service';

/**
 * Saved segments and their audiences. Other modules (campaigns, triggers) import it for
 * AudienceService: count(source, filter) and streamAudience(source, { channel, batchSize }).
 */
@Module({
  controllers: [SegmentsController],
  providers: [SegmentsRepository, SegmentsService, AudienceService],
  exports: [AudienceService, SegmentsService],
})
export class SegmentsModule {}
