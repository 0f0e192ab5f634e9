import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { SegmentsModule } from '../segments/segments.module';
import { TemplatesModule } from '../templates/templates.module';
import { TriggerClock } from './clock';
import { EventsService } from './events.service';
import { TriggerRunnerService } from './trigger-runner.service';
import { EventsController, TriggersController } from './triggers.controller';
import { TriggersRepository } from './triggers.repository';
import { TriggersService } from './triggers.service';

/**
 * Automations: birthdays, order notifications, welcome series, win-back, re-engagement and
 * named events. TriggerClock is this module's "now" (frozen in tests); the scheduler's
 * `triggers.tick` job runs the time-based ones every minute.
 */
@Module({
  imports: [CustomersModule, DeliveryModule, SegmentsModule, TemplatesModule],
  controllers: [TriggersController, EventsController],
  providers: [TriggerClock, TriggersRepository, TriggersService, TriggerRunnerService, EventsService],
  exports: [TriggerClock, TriggerRunnerService, EventsService, TriggersService],
})
export class TriggersModule {}
