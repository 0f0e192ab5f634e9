import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

/**
 * Campaign, bounce, complaint and base-cleanup reports and the leads inbox: read-only SQL
 * aggregations over what delivery, tracking and feedback recorded. ReportsService is exported
 * for the admin UI.
 */
@Module({
  controllers: [ReportsController],
  providers: [ReportsRepository, ReportsService],
  exports: [ReportsService],
})
export class ReportsModule {}
