// Campaign pages: list, create (template, segment, now or at a time), schedule, pause, resume,
// cancel, and the results page from the reports service. Template data is typed as JSON for now.
import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { CampaignsService } from '../campaigns/campaigns.service';
import type { Schedule } from '../campaigns/campaign-schedule';
import { DomainError } from '../common/domain-error';
import { IdPipe } from '../common/zod-validation';
import { ReportsService } from '../reports/reports.service';
import { SegmentsService } from '../segments/segments.service';
import { AdminErrorFilter, AdminRole, AdminSessionGuard, localPath, sendPage, type AdminRequest } from './admin-http';
import { errorNotice, noticeOf, formId, text, typedValues, type Form } from './admin-forms';
import { wallClockToDate } from './i18n/format';
import { ui } from './views/layout';
import { AdminServices } from './admin-services';
import { campaignPage, campaignsPage, newCampaignPage } from './views/campaigns';

const ATTRIBUTION_DAYS = 7;
/** The buttons of a campaign page: what each does, and the notice after it. A Map, so a posted action is only ever one of these. */
const ACTIONS = new Map<string, { run: (campaigns: CampaignsService, id: number) => Promise<unknown>; done: string }>([
  ['schedule', { run: (campaigns, id) => campaigns.schedule(id), done: 'scheduled' }],
  ['pause', { run: (campaigns, id) => campaigns.pause(id), done: 'paused' }],
  ['resume', { run: (campaigns, id) => campaigns.resume(id), done: 'resumed' }],
  ['cancel', { run: (campaigns, id) => campaigns.cancel(id), done: 'cancelled' }],
]);

@ApiExcludeController()
@Public()
@UseGuards(AdminSessionGuard)
@UseFilters(AdminErrorFilter)
@Controller('admin/campaigns')
export class AdminCampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly reports: ReportsService,
    private readonly segments: SegmentsService,
    private readonly services: AdminServices,
  ) {}

  @Get()
  async list(@Query('done') done: unknown, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    const rows = await this.campaigns.list({ limit: 500 });
    sendPage(response, 200, campaignsPage(request.adminSession!, rows.reverse(), noticeOf(done, ui(request.adminSession!))));
  }

  @Get('new')
  @AdminRole('marketer')
  async form(@Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    sendPage(response, 200, newCampaignPage(request.adminSession!, await this.formChoices(), null));
  }

  @Post()
  async create(@Body() body: Form, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    try {
      const schedule: Schedule =
        text(body, 'scheduleKind') === 'at'
          ? { kind: 'at', at: zonedDate(text(body, 'at', { required: true }), request.adminSession!.timeZone) }
          : { kind: 'now' };
      const created = await this.campaigns.create({
        name: text(body, 'name', { required: true, max: 200 }),
        channel: 'email',
        templateId: formId(body, 'templateId'),
        segmentId: formId(body, 'segmentId'),
        schedule,
        data: dataOf(text(body, 'data', { max: 100_000 })),
      });
      if (body.scheduleNow) await this.campaigns.schedule(created.id);
      response.redirect(303, `/admin/campaigns/${created.id}?done=${body.scheduleNow ? 'scheduled' : 'created'}`);
    } catch (error) {
      const notice = errorNotice(error, ui(request.adminSession!));
      sendPage(response, 400, newCampaignPage(request.adminSession!, { ...(await this.formChoices()), values: typedValues(body) }, notice));
    }
  }

  @Get(':id')
  async show(
    @Param('id', IdPipe) id: number,
    @Query('done') done: unknown,
    @Req() request: AdminRequest,
    @Res() response: Response,
  ): Promise<void> {
    const [campaign, report] = await Promise.all([
      this.campaigns.get(id),
      this.reports.campaign(id, { attributionDays: ATTRIBUTION_DAYS, linkLimit: 50 }),
    ]);
    sendPage(response, 200, campaignPage(request.adminSession!, campaign, report, noticeOf(done, ui(request.adminSession!))));
  }

  /** The report as CSV (`summary`, `links` or `chart`), as the API's export gives it. */
  @Get(':id/report-:section.csv')
  async csv(@Param('id', IdPipe) id: number, @Param('section') section: string, @Res() response: Response): Promise<void> {
    if (section !== 'summary' && section !== 'links' && section !== 'chart') throw DomainError.notFound('Report section', section);
    const csv = await this.reports.campaignCsv(id, { attributionDays: ATTRIBUTION_DAYS, linkLimit: 1000 }, section);
    response
      .status(200)
      .set({
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="campaign-${id}-${section}.csv"`,
        'cache-control': 'no-store, private',
      })
      .send(csv);
  }

  @Post(':id/:action')
  async act(
    @Param('id', IdPipe) id: number,
    @Param('action') action: string,
    @Body() body: Form,
    @Res() response: Response,
  ): Promise<void> {
    const chosen = ACTIONS.get(action);
    if (!chosen) throw DomainError.notFound('Campaign action', action);
    await chosen.run(this.campaigns, id);
    const back = localPath(body.back, `/admin/campaigns/${id}`);
    response.redirect(303, `${back}${back.includes('?') ? '&' : '?'}done=${chosen.done}`);
  }

  private async formChoices() {
    const [templates, segments] = await Promise.all([this.services.templateEditor.list({ channel: 'email' }), this.segments.list()]);
    return {
      templates: templates.items,
      segments: segments.map((s) => ({ id: s.id, name: s.name, key: s.key, builtIn: s.builtIn, description: null })),
    };
  }
}

/** `2026-12-01T10:00` from a datetime-local field, read in the user's time zone. */
function zonedDate(value: string, timeZone: string): Date {
  const date = wallClockToDate(value, timeZone);
  if (!date) throw DomainError.validation([{ path: 'at', message: `"${value}" is not a date and time` }]);
  return date;
}

/** The form's template data: a JSON object, or nothing. */
function dataOf(value: string): Record<string, unknown> {
  if (!value.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw DomainError.validation([{ path: 'data', message: 'expected JSON, such as {"priceListName": "Опт"}' }]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw DomainError.validation([{ path: 'data', message: 'expected a JSON object of field names and values' }]);
  return parsed as Record<string, unknown>;
}
