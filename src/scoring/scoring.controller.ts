import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiZodBody, ApiZodQuery, IdPipe, parseOrThrow } from '../common/zod-validation';
import { DomainError } from '../common/domain-error';
import { toFieldIssues } from '../segments/dsl/format-issues';
import { scoringConfigSchema } from './scoring-config';
import { ScoringService } from './scoring.service';

const runsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) });

/** Viewers read settings, runs and the summary; marketers (and admins) change settings and start runs. */
@ApiTags('scoring')
@ApiBearerAuth()
@Controller('scoring')
export class ScoringController {
  constructor(private readonly scoring: ScoringService) {}

  @Get('config')
  config() {
    return this.scoring.config();
  }

  /** Replaces the settings; every threshold is checked, errors name the path (`config.abc.shares: …`). */
  @Put('config')
  @ApiZodBody(scoringConfigSchema)
  saveConfig(@Body() body: unknown) {
    const parsed = scoringConfigSchema.safeParse(body, { reportInput: true });
    if (!parsed.success) throw DomainError.validation(toFieldIssues(parsed.error.issues, 'config'));
    return this.scoring.saveConfig(parsed.data);
  }

  /** Back to the built-in defaults. */
  @Delete('config')
  resetConfig() {
    return this.scoring.resetConfig();
  }

  /** Starts a recompute on the worker now; poll GET /scoring/runs/:id. */
  @Post('runs')
  @HttpCode(202)
  requestRun() {
    return this.scoring.requestRun();
  }

  @Get('runs')
  @ApiZodQuery(runsQuery)
  listRuns(@Query() query: unknown) {
    return this.scoring.listRuns(parseOrThrow(runsQuery, query, 'query').limit);
  }

  @Get('runs/:id')
  getRun(@Param('id', IdPipe) id: number) {
    return this.scoring.getRun(id);
  }

  @Get('summary')
  summary() {
    return this.scoring.summary();
  }
}
