// Automation pages: the list, a new one (type first, then that type's form), edit, pause,
// resume and delete, and an automation's page with its recent firings. Everything goes through
// TriggersService, after the triggers API's own schemas have read the form.
import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { DomainError, type FieldIssue } from '../common/domain-error';
import { IdPipe, zodIssues } from '../common/zod-validation';
import { SegmentsService } from '../segments/segments.service';
import { createTriggerSchema, parseTriggerOptions, updateTriggerSchema, type TriggerTypeName } from '../triggers/dto/trigger.dto';
import { TriggersService } from '../triggers/triggers.service';
import { noticeOf, type Form } from './admin-forms';
import { AdminErrorFilter, AdminRole, AdminSessionGuard, localPath, sendPage, type AdminRequest } from './admin-http';
import { AdminServices } from './admin-services';
import { automationField, automationInput, automationValues, formErrors, isTriggerType } from './automation-forms';
import {
  automationFormPage,
  automationPage,
  automationsPage,
  automationTypesPage,
  type AutomationChoices,
  type TemplateChoice,
} from './views/automations';
import { ui } from './views/layout';

/** Firings shown on an automation's page, newest first. */
const FIRINGS_SHOWN = 50;
/** The list counts each automation's firings over this many days. */
const FIRED_DAYS = 7;

@ApiExcludeController()
@Public()
@UseGuards(AdminSessionGuard)
@UseFilters(AdminErrorFilter)
@Controller('admin/automations')
export class AdminAutomationsController {
  constructor(
    private readonly triggers: TriggersService,
    private readonly segments: SegmentsService,
    private readonly services: AdminServices,
  ) {}

  @Get()
  async list(@Query('done') done: unknown, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    const [{ items }, fired] = await Promise.all([this.triggers.list({}), this.triggers.firingCounts(FIRED_DAYS)]);
    sendPage(response, 200, automationsPage(request.adminSession!, items, fired, noticeOf(done, ui(request.adminSession!))));
  }

  /** Without a type: the choice of type; with one: its form. */
  @Get('new')
  @AdminRole('marketer')
  async form(@Query('type') type: unknown, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    const session = request.adminSession!;
    if (!isTriggerType(type)) {
      sendPage(response, 200, automationTypesPage(session));
      return;
    }
    const values: Record<string, string> = { channel1: 'email', delayMinutes: '0', quietHours: '1', active: '1' };
    // The built-in template of the type, when there is one, is chosen already.
    const choices = await this.choices();
    const suggested = SUGGESTED_TEMPLATE[type];
    if (suggested && choices.templates.some((t) => t.key === suggested)) values.template = suggested;
    sendPage(response, 200, automationFormPage(session, { id: null, type, values, errors: {}, choices }, null));
  }

  @Post()
  async create(@Body() body: Form, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    const type = isTriggerType(body.type) ? body.type : null;
    try {
      if (!type) throw DomainError.validation([{ path: 'type', message: 'is required' }]);
      const { raw, issues } = automationInput(body, type, 'create');
      const parsed = createTriggerSchema.safeParse(raw);
      const options = parseTriggerOptions(type, raw.options);
      const all: FieldIssue[] = [...(parsed.success ? [] : zodIssues(parsed.error)), ...(options.ok ? [] : options.issues), ...issues];
      if (all.length || !parsed.success) throw DomainError.validation(all);
      const created = await this.triggers.create(parsed.data);
      response.redirect(303, `/admin/automations/${created.id}?done=created`);
    } catch (error) {
      if (!type) {
        sendPage(response, 400, automationTypesPage(request.adminSession!));
        return;
      }
      await this.refused(request, response, error, { id: null, type, body });
    }
  }

  @Get(':id')
  async show(
    @Param('id', IdPipe) id: number,
    @Query('done') done: unknown,
    @Req() request: AdminRequest,
    @Res() response: Response,
  ): Promise<void> {
    await this.sendAutomation(request, response, id, 200, noticeOf(done, ui(request.adminSession!)));
  }

  @Get(':id/edit')
  @AdminRole('marketer')
  async edit(@Param('id', IdPipe) id: number, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    const trigger = await this.triggers.get(id);
    sendPage(
      response,
      200,
      automationFormPage(
        request.adminSession!,
        { id, name: trigger.name, type: trigger.type, values: automationValues(trigger), errors: {}, choices: await this.choices() },
        null,
      ),
    );
  }

  /** Saves the edit form: every field, the type's options replaced as a whole (defaults filled in again). */
  @Post(':id')
  async save(@Param('id', IdPipe) id: number, @Body() body: Form, @Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    const trigger = await this.triggers.get(id);
    try {
      const { raw, issues } = automationInput(body, trigger.type, 'edit');
      const parsed = updateTriggerSchema.safeParse(raw);
      const options = parseTriggerOptions(trigger.type, raw.options);
      const all: FieldIssue[] = [...(parsed.success ? [] : zodIssues(parsed.error)), ...(options.ok ? [] : options.issues), ...issues];
      if (all.length || !parsed.success) throw DomainError.validation(all);
      await this.triggers.update(id, parsed.data);
      response.redirect(303, `/admin/automations/${id}?done=saved`);
    } catch (error) {
      await this.refused(request, response, error, { id, name: trigger.name, type: trigger.type, body });
    }
  }

  @Post(':id/pause')
  async pause(@Param('id', IdPipe) id: number, @Body() body: Form, @Res() response: Response): Promise<void> {
    await this.triggers.update(id, { active: false });
    redirectBack(response, body, id, 'paused');
  }

  /** Resuming checks what activating checks (the brand its templates print); a refusal shows on the automation's page. */
  @Post(':id/resume')
  async resume(
    @Param('id', IdPipe) id: number,
    @Body() body: Form,
    @Req() request: AdminRequest,
    @Res() response: Response,
  ): Promise<void> {
    try {
      await this.triggers.update(id, { active: true });
    } catch (error) {
      if (!(error instanceof DomainError) || !error.issues.length) throw error;
      const { notice } = formErrors(ui(request.adminSession!), error.issues, automationField, 'automationField');
      await this.sendAutomation(request, response, id, 400, notice);
      return;
    }
    redirectBack(response, body, id, 'resumed');
  }

  @Post(':id/delete')
  async remove(@Param('id', IdPipe) id: number, @Res() response: Response): Promise<void> {
    await this.triggers.remove(id);
    response.redirect(303, '/admin/automations?done=deleted');
  }

  /** The form again, with what was typed, the refused fields named in a notice and beside each field. */
  private async refused(
    request: AdminRequest,
    response: Response,
    error: unknown,
    form: { id: number | null; name?: string; type: TriggerTypeName; body: Form },
  ): Promise<void> {
    if (!(error instanceof DomainError)) throw error;
    const u = ui(request.adminSession!);
    const { notice, fields } = error.issues.length
      ? formErrors(u, error.issues, automationField, 'automationField')
      : { notice: { kind: 'error' as const, text: error.message }, fields: {} };
    const values = Object.fromEntries(Object.entries(form.body).filter(([k, v]) => typeof v === 'string' && k !== '_csrf')) as Record<
      string,
      string
    >;
    sendPage(
      response,
      400,
      automationFormPage(
        request.adminSession!,
        { id: form.id, name: form.name, type: form.type, values, errors: fields, choices: await this.choices() },
        notice,
      ),
    );
  }

  private async sendAutomation(
    request: AdminRequest,
    response: Response,
    id: number,
    status: number,
    notice: ReturnType<typeof noticeOf>,
  ): Promise<void> {
    const [trigger, firings, choices] = await Promise.all([
      this.triggers.get(id),
      this.triggers.recentFirings(id, FIRINGS_SHOWN),
      this.choices(),
    ]);
    const segment = trigger.segmentId === null ? null : (choices.segments.find((s) => s.id === trigger.segmentId) ?? null);
    sendPage(
      response,
      status,
      automationPage(request.adminSession!, trigger, firings, { segment, templates: choices.templates, limit: FIRINGS_SHOWN }, notice),
    );
  }

  /** Template keys (with the channels each exists for) and segments, for the form's selects. */
  private async choices(): Promise<AutomationChoices> {
    const [templates, segments] = await Promise.all([this.services.templateEditor.list({}), this.segments.list()]);
    const byKey = new Map<string, TemplateChoice>();
    for (const t of templates.items) {
      const choice = byKey.get(t.key) ?? { key: t.key, name: t.name, channels: [], ids: {} };
      if (t.channel === 'email') choice.name = t.name; // the email's name, when both exist, is the plainer one
      choice.channels.push(t.channel);
      choice.ids[t.channel] = t.id;
      byKey.set(t.key, choice);
    }
    return {
      templates: [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key)),
      segments: segments.map((s) => ({ id: s.id, name: s.name, key: s.key, builtIn: s.builtIn, description: s.description })),
    };
  }
}

/** The built-in template each type starts with on a new form (the user may choose another). */
const SUGGESTED_TEMPLATE: Record<TriggerTypeName, string | null> = {
  birthday: 'birthday',
  order_status: null,
  welcome: 'welcome',
  win_back: 'win-back',
  re_engagement: 're-engagement',
  event: null,
};

/** Back to the page the button was on (the list or the automation), with the notice. */
function redirectBack(response: Response, body: Form, id: number, done: string): void {
  const back = localPath(body.back, `/admin/automations/${id}`);
  response.redirect(303, `${back}${back.includes('?') ? '&' : '?'}done=${done}`);
}
