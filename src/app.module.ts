import { DynamicModule, Module, Type } from '@nestjs/common';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { BrandModule } from './brand/brand.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { AppConfigModule } from './config/config.module';
import type { Env } from './config/env';
import { CustomersModule } from './customers/customers.module';
import { DatabaseModule } from './database/database.module';
import { DeliveryModule } from './delivery/delivery.module';
import { DocumentsModule } from './documents/documents.module';
import { FeedbackModule } from './feedback/feedback.module';
import { HealthModule } from './health/health.module';
import { QueueModule, QueueSchedulerModule, QueueWorkersModule } from './queue/queue.module';
import { ReportsModule } from './reports/reports.module';
import { ScoringModule } from './scoring/scoring.module';
import { SegmentsModule } from './segments/segments.module';
import { TemplatesModule } from './templates/templates.module';
import { TrackingModule } from './tracking/tracking.module';
import { TriggersModule } from './triggers/triggers.module';

/** Domain modules every role loads (their controllers only matter where HTTP is served). */
const DOMAIN_MODULES: Type[] = [
  AuthModule,
  HealthModule,
  CustomersModule,
  BrandModule,
  DeliveryModule,
  TemplatesModule,
  DocumentsModule,
  CampaignsModule,
  SegmentsModule,
  ScoringModule,
  TriggersModule,
  FeedbackModule,
  TrackingModule,
  ReportsModule,
  AdminModule,
];

@Module({})
export class AppModule {
  /** One build, several roles: `api` serves HTTP, `worker` consumes queues, `scheduler` fires schedules. */
  static forRole(env: Env): DynamicModule {
    const role = env.OTKLIK_ROLE;
    const roleModules: Array<Type | DynamicModule> = [];
    if (role === 'worker' || role === 'all') roleModules.push(QueueWorkersModule.forQueues(env.WORKER_QUEUES));
    if (role === 'scheduler' || role === 'all') roleModules.push(QueueSchedulerModule);
    return {
      module: AppModule,
      imports: [AppConfigModule.forRoot(env), DatabaseModule, QueueModule, ...DOMAIN_MODULES, ...roleModules],
    };
  }
}

export function servesHttp(env: Env): boolean {
  return env.OTKLIK_ROLE === 'api' || env.OTKLIK_ROLE === 'all';
}
