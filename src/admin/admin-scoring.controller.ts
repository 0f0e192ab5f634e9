// The scoring page: the distribution of RFM groups, ABC/XYZ classes and A–E ratings, recent
// runs, «Пересчитать» (queues a run on the worker through ScoringService, as POST /scoring/runs
// does) and the settings, checked by the domain's scoringConfigSchema.
import { Body, Controller, Get, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { DomainError } from '../common/domain-error';
import { ownValue } from '../common/own-value';
import { zodIssues } from '../common/zod-validation';
import { scoringConfigSchema } from '../scoring/dto/scoring.dto';
import { DEFAULT_SCORING_CONFIG } from '../scoring/scoring-config';
import { ScoringService } from '../scoring/scoring.service';
import { noticeOf, type Form } from './admin-forms';
import { AdminErrorFilter, AdminSessionGuard, sendPage, type AdminRequest } from './admin-http';
import { formErrors, scoringField, scoringInput, scoringValues } from './automation-forms';
import type { MessageKey } from './i18n/t';
import { ui, type Notice, type Ui } from './views/layout';
import { scoringPage, type ScoringView } from './views/scoring';

const RUNS_SHOWN = 10;
/** This page's notices after a redirect (`?done=key`); others are the common ones. */
const NOTICES: Record<string, MessageKey> = {
  queued: 'scoring.queued',
  settingsSaved: 'scoring.settingsSaved',
  settingsReset: 'scoring.settingsReset',
};

function notice(done: unknown, u: Ui): Notice | null {
  const key = typeof done === 'string' ? ownValue(NOTICES, done) : undefined;
  return key ? { kind: 'ok', text: u.t(key) } : noticeOf(done, u);
}

@ApiExcludeController()
@Public()
@UseGuards(AdminSessionGuard)
@UseFilters(AdminErrorFilter)
@Controller('admin/scoring')
export class AdminScoringController {
  constructor(private readonly scoring: ScoringService) {}

  @Get()
  async show(@Query('done') done: unknown, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    await this.send(request, response, 200, notice(done, ui(request.adminSession!)));
  }

  /** Queues a recompute on the worker; the page lists it among the runs. */
  @Post('runs')
  async recompute(@Res() response: Response): Promise<void> {
    await this.scoring.requestRun();
    response.redirect(303, '/admin/scoring?done=queued');
  }

  @Post('config')
  async saveConfig(@Body() body: Form, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    const current = await this.currentOrDefault();
    const parsed = scoringConfigSchema.safeParse(scoringInput(body, current.config?.config ?? DEFAULT_SCORING_CONFIG), {
      reportInput: true,
    });
    if (!parsed.success) {
      const typed = Object.fromEntries(Object.entries(body).filter(([k, v]) => typeof v === 'string' && k !== '_csrf')) as Record<
        string,
        string
      >;
      const { notice: refused, fields } = formErrors(ui(request.adminSession!), zodIssues(parsed.error), scoringField, 'scoringField');
      await this.send(request, response, 400, refused, { values: typed, errors: fields });
      return;
    }
    await this.scoring.saveConfig(parsed.data);
    response.redirect(303, '/admin/scoring?done=settingsSaved');
  }

  @Post('config/reset')
  async resetConfig(@Res() response: Response): Promise<void> {
    await this.scoring.resetConfig();
    response.redirect(303, '/admin/scoring?done=settingsReset');
  }

  /** The settings in force, or why the saved ones cannot be read (the page still shows, with the reset button). */
  private async currentOrDefault(): Promise<{ config: ScoringView['config']; error?: string }> {
    try {
      return { config: await this.scoring.config() };
    } catch (error) {
      if (error instanceof DomainError && error.code === 'invalid_state') return { config: null, error: error.message };
      throw error;
    }
  }

  private async send(
    request: AdminRequest,
    response: Response,
    status: number,
    shown: Notice | null,
    form: Pick<ScoringView, 'values' | 'errors'> | null = null,
  ): Promise<void> {
    const [summary, runs, current] = await Promise.all([
      this.scoring.summary(),
      this.scoring.listRuns(RUNS_SHOWN),
      this.currentOrDefault(),
    ]);
    const view: ScoringView = {
      summary,
      runs,
      config: current.config,
      settingsError: current.error,
      values: form?.values ?? scoringValues(current.config?.config ?? DEFAULT_SCORING_CONFIG),
      errors: form?.errors ?? {},
    };
    sendPage(response, status, scoringPage(request.adminSession!, view, shown));
  }
}
