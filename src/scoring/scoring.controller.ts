import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiZodBody, ApiZodQuery, ApiZodResponse, IdPipe, parseOrThrow } from '../common/zod-validation';
import { DomainError } from '../common/domain-error';
import { toFieldIssues } from '../segments/dsl/format-issues';
import { runsQuery, scoringConfigSchema } from './dto/scoring.dto';
import { currentScoringConfig, scoringRun, scoringRuns, scoringSummary } from './dto/scoring-response.dto';
import { ScoringService } from './scoring.service';

/** Viewers read settings, runs and the summary; marketers (and admins) change settings and start runs. */
@ApiTags('scoring')
@ApiBearerAuth()
@Controller('scoring')
export class ScoringController {
  constructor(private readonly scoring: ScoringService) {}

  @Get('config')
  @ApiZodResponse(200, currentScoringConfig)
  config() {
    return this.scoring.config();
  }

  /** Replaces the settings; every threshold is checked, errors name the path (`config.abc.shares: …`). */
  @Put('config')
  @ApiZodResponse(200, currentScoringConfig)
  @ApiZodBody(scoringConfigSchema)
  saveConfig(@Body() body: unknown) {
    const parsed = scoringConfigSchema.safeParse(body, { reportInput: true });
    if (!parsed.success) throw DomainError.validation(toFieldIssues(parsed.error.issues, 'config'));
    return this.scoring.saveConfig(parsed.data);
  }

  /** Back to the built-in defaults. */
  @Delete('config')
  @ApiZodResponse(200, currentScoringConfig, 'The defaults, now in force')
  resetConfig() {
    return this.scoring.resetConfig();
  }

  /** Starts a recompute on the worker now; poll GET /scoring/runs/:id. */
  @Post('runs')
  @HttpCode(202)
  @ApiZodResponse(202, scoringRun, 'Queued: poll GET /scoring/runs/{id}')
  requestRun() {
    return this.scoring.requestRun();
  }

  @Get('runs')
  @ApiZodQuery(runsQuery)
  @ApiZodResponse(200, scoringRuns)
  listRuns(@Query() query: unknown) {
    return this.scoring.listRuns(parseOrThrow(runsQuery, query, 'query').limit);
  }

  @Get('runs/:id')
  @ApiZodResponse(200, scoringRun)
  getRun(@Param('id', IdPipe) id: number) {
    return this.scoring.getRun(id);
  }

  @Get('summary')
  @ApiZodResponse(200, scoringSummary)
  summary() {
    return this.scoring.summary();
  }
}
