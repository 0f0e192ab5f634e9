import { Module } from '@nestjs/common';
import { ScoringController } from './scoring.controller';
import { ScoringRepository } from './scoring.repository';
import { ScoringRunner } from './scoring.runner';
import { ScoringService } from './scoring.service';

/** RFM, ABC/XYZ and A–E rating: settings, runs (job `scoring.recompute`, nightly and on demand). */
@Module({
  controllers: [ScoringController],
  providers: [ScoringRepository, ScoringRunner, ScoringService],
  exports: [ScoringRunner, ScoringService],
})
export class ScoringModule {}
