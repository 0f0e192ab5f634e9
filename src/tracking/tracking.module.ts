import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { TemplatesModule } from '../templates/templates.module';
import { TrackingController } from './tracking.controller';
import { TrackingRepository } from './tracking.repository';
import { TrackingService } from './tracking.service';

/**
 * The public links of every email (open pixel, click redirect, one-click unsubscribe,
 * preference page, web copy) and the sweep that ends preference-page pauses. Consent and
 * suppression changes go through the customers module's services, so their history and rules
 * stay in one place.
 */
@Module({
  imports: [CustomersModule, TemplatesModule],
  controllers: [TrackingController],
  providers: [TrackingRepository, TrackingService],
  exports: [TrackingService],
})
export class TrackingModule {}
