// Triggers as configured through the API: type, channels in order of preference, template
// (by key, present for every channel), condition segment, delay, active flag and per-type options.
import { Injectable } from '@nestjs/common';
import { DomainError, type FieldIssue } from '../common/domain-error';
import type { Prisma } from '../generated/prisma/client';
import { CampaignRenderService } from '../delivery/campaign-render.service';
import { dataValueIssues, mergeDeclarations } from '../templates/render/data-fields';
import { brandGaps } from '../templates/render/template-uses';
import { TemplatesService } from '../templates/templates.service';
import { parseTriggerOptions, type CreateTriggerBody, type TriggerTypeName, type UpdateTriggerBody } from './dto/trigger.dto';
import { TriggerClock } from './clock';
import type { TriggerChannel } from './firing.sql';
import { TriggersRepository, type TriggerRow } from './triggers.repository';

@Injectable()
export class TriggersService {
  constructor(
    private readonly triggers: TriggersRepository,
    private readonly templates: TemplatesService,
    private readonly renderer: CampaignRenderService,
    private readonly clock: TriggerClock,
  ) {}

  async list(filter: { type?: TriggerTypeName; active?: boolean }) {
    return { items: (await this.triggers.list(filter)).map(view) };
  }

  async get(id: number) {
    return view(await this.row(id));
  }

  async create(body: CreateTriggerBody) {
    const options = this.options(body.type, body.options);
    const templateId = await this.checkReferences(body.channels, body.template, body.segmentId ?? null, options);
    if (body.active) await this.checkBrand(body.channels, body.template, options);
    const created = await this.triggers.create({
      name: body.name,
      type: body.type,
      channels: body.channels,
      templateId,
      segmentId: body.segmentId ?? null,
      delayMinutes: body.delayMinutes,
      active: body.active,
      config: options as Prisma.InputJsonValue,
      // A welcome series greets customers created from now on, not the whole existing base.
      lastCustomerId: body.type === 'welcome' ? await this.triggers.newestCustomerId() : null,
    });
    return view(created);
  }

  async update(id: number, body: UpdateTriggerBody) {
    const current = await this.row(id);
    const type = current.type;
    const channels = (body.channels ?? current.channels) as TriggerChannel[];
    const template = body.template ?? current.template.key;
    const segmentId = body.segmentId === undefined ? current.segmentId : body.segmentId;
    const options = body.options !== undefined ? this.options(type, body.options) : (current.config as Record<string, unknown>);
    const templateId = await this.checkReferences(channels, template, segmentId, options);
    // Activated, or its templates changed while active: the brand it prints must be set.
    const active = body.active ?? current.active;
    if (active && (body.active === true || body.template !== undefined || body.channels !== undefined || body.options !== undefined))
      await this.checkBrand(channels, template, options);
    return view(
      await this.triggers.update(id, {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.delayMinutes !== undefined ? { delayMinutes: body.delayMinutes } : {}),
        ...(body.active !== undefined ? { active: body.active } : {}),
        channels: channels,
        templateId,
        segmentId,
        config: options as Prisma.InputJsonValue,
      }),
    );
  }

  async remove(id: number): Promise<void> {
    if (!(await this.triggers.delete(id))) throw DomainError.notFound('Trigger', id);
  }

  async firings(id: number, after: number | undefined, limit: number) {
    await this.row(id);
    const items = await this.triggers.firings(id, after, limit);
    return { items, next: items.length === limit ? items[items.length - 1].id : null };
  }

  /** The newest firings of a trigger, newest first, each with its customer and its message's status. */
  async recentFirings(id: number, limit: number) {
    await this.row(id);
    return this.triggers.recentFirings(id, limit);
  }

  /** How many times each trigger fired in the last `days` days of this module's clock (absent: none). */
  firingCounts(days: number): Promise<Map<number, number>> {
    return this.triggers.firingCountsSince(new Date(this.clock.now().getTime() - days * 86_400_000));
  }

  private async row(id: number): Promise<TriggerRow> {
    const trigger = await this.triggers.get(id);
    if (!trigger) throw DomainError.notFound('Trigger', id);
    return trigger;
  }

  private options(type: TriggerTypeName, input: unknown) {
    const parsed = parseTriggerOptions(type, input);
    if (!parsed.ok) throw DomainError.validation(parsed.issues);
    return parsed.value;
  }

  /**
   * The pre-flight's brand check (campaigns/preflight.ts) for an automation being activated: a
   * `brand.*` field its templates print unguarded while the brand leaves it unset (and no sender
   * name stands in) is refused, 400 naming `brand.<field>`; nothing else of the pre-flight applies
   * (its messages are rendered per event, with data only the event brings).
   */
  private async checkBrand(channels: readonly TriggerChannel[], template: string, options: object): Promise<void> {
    const keys = [template, (options as { secondTemplate?: string }).secondTemplate].filter((k): k is string => !!k);
    const sources: string[][] = [];
    for (const channel of channels)
      for (const key of keys) {
        const id = await this.triggers.templateId(channel, key);
        if (id !== null) sources.push(...(await this.templates.currentSources(id)).map((s) => s.parts));
      }
    const brand = await this.renderer.defaultBrand();
    const errors = brandGaps(sources, brand.settings, brand.rendered as Record<string, string | undefined>).filter(
      (g) => g.severity === 'error',
    );
    if (errors.length) throw DomainError.validation(errors.map((g) => ({ path: g.field, message: g.message })));
  }

  /** The template must exist for every channel (the id of the first is stored); the segment must exist. */
  private async checkReferences(
    channels: readonly TriggerChannel[],
    template: string,
    segmentId: number | null,
    options: object,
  ): Promise<number> {
    const issues: FieldIssue[] = [];
    let firstId: number | null = null;
    const templateIds: number[] = [];
    for (const channel of channels) {
      const id = await this.triggers.templateId(channel, template);
      if (id !== null) templateIds.push(id);
      if (id === null)
        issues.push({
          path: 'template',
          message: `no ${channel === 'sms' ? 'SMS' : 'email'} template with key "${template}" (every channel needs one)`,
        });
      firstId ??= id;
    }
    const second = (options as { secondTemplate?: string }).secondTemplate;
    if (second) {
      for (const channel of channels) {
        if ((await this.triggers.templateId(channel, second)) === null) {
          issues.push({
            path: 'options.secondTemplate',
            message: `no ${channel === 'sms' ? 'SMS' : 'email'} template with key "${second}"`,
          });
        }
      }
    }
    if (segmentId !== null && !(await this.triggers.segmentExists(segmentId)))
      issues.push({ path: 'segmentId', message: `segment ${segmentId} not found` });
    // `options.data` against the fields the template declares (names and types). Required
    // fields are not asked for here: the automation fills some itself (promoCode, validUntil, days).
    const data = (options as { data?: Record<string, unknown> }).data;
    if (data && templateIds.length) {
      const declared = mergeDeclarations(await Promise.all(templateIds.map((id) => this.templates.dataDeclaration(id))));
      issues.push(...dataValueIssues(declared, data, 'options.data'));
    }
    if (issues.length || firstId === null) throw DomainError.validation(issues);
    return firstId;
  }
}

function view(row: TriggerRow) {
  const { template, config, ...rest } = row;
  return { ...rest, template: template.key, options: config };
}
