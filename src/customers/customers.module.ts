import { Module } from '@nestjs/common';
import { ConsentConfirmController, ConsentController } from './consent/consent.controller';
import { ConsentRepository } from './consent/consent.repository';
import { ConsentService } from './consent/consent.service';
import { CustomersController } from './customers.controller';
import { CustomersRepository } from './customers.repository';
import { CustomersService } from './customers.service';
import { GdprController } from './gdpr/gdpr.controller';
import { GdprRepository } from './gdpr/gdpr.repository';
import { GdprService } from './gdpr/gdpr.service';
import { ImportsController } from './imports/imports.controller';
import { ImportsRepository } from './imports/imports.repository';
import { ImportsService } from './imports/imports.service';
import { OrdersController } from './orders/orders.controller';
import { OrdersRepository } from './orders/orders.repository';
import { OrdersService } from './orders/orders.service';
import { SuppressionController } from './suppression/suppression.controller';
import { SuppressionRepository } from './suppression/suppression.repository';
import { SuppressionService } from './suppression/suppression.service';
import { TimelineController } from './timeline/timeline.controller';
import { TimelineRepository } from './timeline/timeline.repository';
import { TimelineService } from './timeline/timeline.service';

/**
 * The customer base: customers and company contacts, orders, consent with double opt-in,
 * the suppression list, CSV imports, timelines and personal-data requests.
 * SuppressionService is what senders check at send time (isSuppressed / suppressedAmong) and
 * what the feedback loop calls to suppress an address.
 */
@Module({
  controllers: [
    CustomersController,
    ConsentController,
    ConsentConfirmController,
    OrdersController,
    SuppressionController,
    TimelineController,
    GdprController,
    ImportsController,
  ],
  providers: [
    CustomersRepository,
    CustomersService,
    ConsentRepository,
    ConsentService,
    OrdersRepository,
    OrdersService,
    SuppressionRepository,
    SuppressionService,
    TimelineRepository,
    TimelineService,
    GdprRepository,
    GdprService,
    ImportsRepository,
    ImportsService,
  ],
  exports: [CustomersService, SuppressionService, ConsentService, OrdersService, TimelineService, GdprService, ImportsService],
})
export class CustomersModule {}
