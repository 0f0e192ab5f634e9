// Fires automations: one set-based statement selects the customers and records a firing per
// (trigger, customer, occurrence) BEFORE any message exists; the messages go through the
// transactional lane (its own queue and connections, never behind bulk). SMS wait out quiet
// hours in the customer's zone and delayed steps wait as `held` rows that the tick releases,
// so every wait lives in PostgreSQL, not in Redis, and follows this module's clock.
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/config.module';
import { quietHoursEnd } from '../common/quiet-hours';
import { OutgoingMessagesService, type VersionChoice } from '../delivery/outgoing-messages.service';
import { JobName, messageJobId } from '../queue/job-catalogue';
import { JobHandlerRegistry } from '../queue/job-handlers';
import { JobQueue } from '../queue/job-queue';
import type { SegmentRule } from '../segments/dsl/segment-rules';
import { AudienceService } from '../segments/audience.service';
import { pickTemplateVersion, TemplatesService } from '../templates/templates.service';
import { addDays, birthDatesAround, dueBirthdayGroups, formatDay, localTime, type CalendarDay } from './birthday-dates';
import { TriggerClock } from './clock';
import { consentOf, type BirthdayOptions, type InactivityOptions, type WelcomeOptions } from './dto/trigger.dto';
import type { FiredRow, NewTriggerMessage, SqlParams, TriggerChannel } from './firing.sql';
import { TriggersRepository, type TriggerRow } from './triggers.repository';

const DAY_MS = 86_400_000;
/** New customers looked at per welcome statement, and statements per tick. */
const WELCOME_BATCH = 5000;
const WELCOME_BATCHES_PER_TICK = 20;
/** Held messages released per statement. */
const RELEASE_BATCH = 1000;
/** Win-back and welcome step 2 catch up on this many days missed (downtime), no more. */
const CATCH_UP_DAYS = 7;
/** How long the current template versions of a trigger are reused. */
const VERSION_TTL_MS = 5000;
/** The zone-run marker of a once-a-day scan (win-back, re-engagement). */
const DAILY_SCAN_ZONE = '@daily';

export interface FireOutcome {
  triggerId: number;
  fired: number;
  /** Firings with no reachable channel (recorded, no message). */
  unreachable: number;
  messages: Array<{ id: bigint; status: string; channel: TriggerChannel; customerId: number; occurrenceKey: string }>;
}

export interface FireRequest {
  where: (p: SqlParams) => string;
  occurrenceKey: (p: SqlParams) => string;
  data?: Record<string, unknown>;
  /** Another template key than the trigger's (the welcome series' second step). */
  templateKey?: string;
  /** Send no earlier than this (default now + the trigger's delay). */
  notBefore?: Date;
}

export interface TickReport {
  at: Date;
  birthday: number;
  welcome: number;
  winBack: number;
  reEngagement: number;
  released: number;
}

@Injectable()
export class TriggerRunnerService implements OnModuleInit {
  private readonly logger = new Logger(TriggerRunnerService.name);
  private readonly versionCache = new Map<string, { choices: Promise<Partial<Record<TriggerChannel, VersionChoice>>>; expires: number }>();

  constructor(
    private readonly triggers: TriggersRepository,
    private readonly messages: OutgoingMessagesService,
    private readonly templates: TemplatesService,
    private readonly audience: AudienceService,
    private readonly jobs: JobQueue,
    private readonly registry: JobHandlerRegistry,
    private readonly clock: TriggerClock,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register(JobName.TriggersTick, () => this.tick());
  }

  /** The scheduler's minute: birthdays, welcome series, daily inactivity scans, then due held messages. */
  async tick(): Promise<TickReport> {
    const at = this.clock.now();
    const report: TickReport = { at, birthday: 0, welcome: 0, winBack: 0, reEngagement: 0, released: 0 };
    const active = await this.triggers.active(['birthday', 'welcome', 'win_back', 're_engagement']);
    for (const trigger of active) {
      try {
        if (trigger.type === 'birthday') report.birthday += await this.runBirthday(trigger);
        if (trigger.type === 'welcome') report.welcome += await this.runWelcome(trigger);
        if (trigger.type === 'win_back') report.winBack += await this.runWinBack(trigger);
        if (trigger.type === 're_engagement') report.reEngagement += await this.runReEngagement(trigger);
      } catch (error) {
        // One broken trigger (its template deleted, a bad segment) must not stop the others.
        this.logger.error(`trigger ${trigger.id} (${trigger.type}): ${(error as Error).message}`);
      }
    }
    report.released = await this.releaseDue();
    await this.enqueue((await this.triggers.staleQueued(RELEASE_BATCH)).map((m) => m.id));
    return report;
  }

  /** Birthdays today (or N days ahead) in every zone whose local hour has come and that has not run today. */
  async runBirthday(trigger: TriggerRow): Promise<number> {
    const options = trigger.config as unknown as BirthdayOptions;
    const now = this.clock.now();
    // Only the zones of customers whose birthday can be due now (any zone's local date is the
    // UTC date ±1): an indexed read of a few thousand rows, not a scan of every customer.
    const zones = await this.triggers.birthdayZones(birthDatesAround(now, options.daysBefore));
    const base = { now, zones, localHour: options.localHour, daysBefore: options.daysBefore, defaultZone: this.defaultZone() };
    const candidates = dueBirthdayGroups(base);
    if (!candidates.length) return 0;
    const done = await this.triggers.zoneRunsDone(
      trigger.id,
      candidates.map((g) => g.localDate),
    );
    let fired = 0;
    for (const group of dueBirthdayGroups({ ...base, done })) {
      const occurrence = parseDay(group.occurrenceKey);
      const data: Record<string, unknown> = { ...options.data };
      if (options.promoCode !== undefined) data.promoCode = options.promoCode;
      if (options.discountPercent !== undefined) data.discountPercent = options.discountPercent;
      data.birthdayDate = group.occurrenceKey;
      data.validUntil = formatDay(addDays(occurrence, options.promoValidDays));
      const outcome = await this.fire(trigger, {
        where: (p) => `c.birthday = ANY(${p.add(group.birthDates, '::date[]')}) AND c.time_zone = ANY(${p.add(group.zones, '::text[]')})`,
        occurrenceKey: (p) => p.add(group.occurrenceKey, '::text'),
        data,
      });
      await this.triggers.recordZoneRuns(trigger.id, group.zones, group.localDate, outcome.fired, now);
      fired += outcome.fired;
    }
    return fired;
  }

  /** Customers created since the last scan get the first message; the second step follows after N days. */
  async runWelcome(trigger: TriggerRow & { lastCustomerId: number | null }): Promise<number> {
    const options = trigger.config as unknown as WelcomeOptions;
    let fired = 0;
    let after = trigger.lastCustomerId ?? (await this.triggers.newestCustomerId());
    for (let batch = 0; batch < WELCOME_BATCHES_PER_TICK; batch++) {
      const upper = await this.triggers.customerIdWindow(after, WELCOME_BATCH);
      if (upper === null) break;
      const from = after;
      fired += (
        await this.fire(trigger, {
          where: (p) => `c.id > ${p.add(from, '::int')} AND c.id <= ${p.add(upper, '::int')}`,
          occurrenceKey: (p) => p.add('welcome:1', '::text'),
        })
      ).fired;
      await this.triggers.setWatermark(trigger.id, upper);
      after = upper;
    }
    // A lead whose consent was still pending (or who had no address) when first seen is
    // welcomed once that changes, within the catch-up window.
    const rearmed = await this.triggers.rearmUnreachable(
      trigger.id,
      'welcome:1',
      new Date(this.clock.now().getTime() - CATCH_UP_DAYS * DAY_MS),
    );
    if (rearmed.length) {
      fired += (
        await this.fire(trigger, {
          where: (p) => `c.id = ANY(${p.add(rearmed, '::int[]')})`,
          occurrenceKey: (p) => p.add('welcome:1', '::text'),
        })
      ).fired;
    }
    if (options.secondTemplate) {
      const now = this.clock.now();
      const dueBefore = new Date(now.getTime() - options.secondStepDays * DAY_MS);
      const dueAfter = new Date(dueBefore.getTime() - CATCH_UP_DAYS * DAY_MS);
      fired += (
        await this.fire(trigger, {
          where: (p) =>
            `EXISTS (SELECT 1 FROM trigger_firings f1 WHERE f1.trigger_id = ${p.add(trigger.id, '::int')} AND f1.customer_id = c.id` +
            ` AND f1.occurrence_key = 'welcome:1' AND f1.message_id IS NOT NULL AND f1.fired_at <= ${p.utc(dueBefore)} AND f1.fired_at > ${p.utc(dueAfter)})`,
          occurrenceKey: (p) => p.add('welcome:2', '::text'),
          templateKey: options.secondTemplate,
          // The step is already N days late by construction: no extra delay.
          notBefore: now,
        })
      ).fired;
    }
    return fired;
  }

  /** Once a day: customers whose last order turned N days old (within the catch-up window). */
  async runWinBack(trigger: TriggerRow): Promise<number> {
    const options = trigger.config as unknown as InactivityOptions;
    return this.daily(trigger, options, async (now) => {
      const cutoff = new Date(now.getTime() - options.days * DAY_MS);
      const floor = new Date(cutoff.getTime() - CATCH_UP_DAYS * DAY_MS);
      return this.fire(trigger, {
        where: (p) => `c.last_order_at <= ${p.utc(cutoff)} AND c.last_order_at > ${p.utc(floor)}`,
        // One win-back per spell of inactivity: a new order starts a new spell.
        occurrenceKey: () => `'last-order:' || to_char(c.last_order_at, 'YYYY-MM-DD"T"HH24:MI:SS')`,
        data: { ...options.data, days: options.days },
      });
    });
  }

  /** Once a day: customers mailed in the last N days who opened none of it; at most once per N days. */
  async runReEngagement(trigger: TriggerRow): Promise<number> {
    const options = trigger.config as unknown as InactivityOptions;
    return this.daily(trigger, options, async (now) => {
      const cutoff = new Date(now.getTime() - options.days * DAY_MS);
      const period = Math.floor(now.getTime() / DAY_MS / options.days);
      return this.fire(trigger, {
        where: (p) => {
          const since = p.utc(cutoff);
          return (
            `c.registered_at <= ${since}` +
            ` AND EXISTS (SELECT 1 FROM messages m WHERE m.customer_id = c.id AND m.channel = 'email' AND m.sent_at IS NOT NULL AND m.created_at > ${since})` +
            ` AND NOT EXISTS (SELECT 1 FROM tracking_events e WHERE e.customer_id = c.id AND e.type = 'open' AND NOT e.is_bot AND e.at > ${since})`
          );
        },
        occurrenceKey: (p) => p.add(`period:${options.days}:${period}`, '::text'),
        data: { ...options.data, days: options.days },
      });
    });
  }

  /**
   * Fires one trigger for the customers `request.where` selects: firings first (unique per
   * trigger, customer and occurrence), then messages, then the queued ones are enqueued.
   */
  async fire(trigger: TriggerRow, request: FireRequest): Promise<FireOutcome> {
    const now = this.clock.now();
    const type = trigger.type;
    const options = trigger.config as { consent?: 'opted_in' | 'not_opted_out'; quietHours?: boolean; data?: Record<string, unknown> };
    const versions = await this.versionChoices(request.templateKey ?? trigger.template.key, trigger.channels);
    const channels = (trigger.channels as TriggerChannel[]).filter((c) => versions[c]);
    if (!channels.length)
      throw new Error(`no template "${request.templateKey ?? trigger.template.key}" for ${trigger.channels.join(' or ')}`);
    const segment: SegmentRule | null = trigger.segmentId ? await this.audience.rulesOf({ segmentId: trigger.segmentId }) : null;
    const sendAt = request.notBefore ?? new Date(now.getTime() + trigger.delayMinutes * 60_000);
    const quietHours = options.quietHours !== false;

    const result = await this.triggers.fire(
      {
        triggerId: trigger.id,
        now,
        channels,
        consent: consentOf(type, options),
        segment,
        where: request.where,
        occurrenceKey: request.occurrenceKey,
      },
      versions,
      { ...(options.data ?? {}), ...(request.data ?? {}), triggerId: trigger.id },
      (fired) => this.plan(fired, now, sendAt, quietHours),
    );
    await this.enqueue(result.messages.filter((m) => m.status === 'queued').map((m) => m.message_id));
    return {
      triggerId: trigger.id,
      fired: result.fired.length,
      unreachable: result.fired.filter((f) => f.channel === null).length,
      messages: result.messages.map((m) => ({
        id: m.message_id,
        status: m.status,
        channel: m.channel,
        customerId: m.customer_id,
        occurrenceKey: m.occurrence_key,
      })),
    };
  }

  /** Held trigger messages whose time has come: SMS still in quiet hours wait on; the rest go. */
  async releaseDue(): Promise<number> {
    const now = this.clock.now();
    let released = 0;
    for (;;) {
      const due = await this.triggers.dueMessages(now, RELEASE_BATCH);
      if (!due.length) return released;
      const hold: bigint[] = [];
      const until: Date[] = [];
      const go: bigint[] = [];
      const quiet = this.quietEnds(now);
      for (const message of due) {
        const end = message.channel === 'sms' && message.quiet_hours ? quiet(message.time_zone) : null;
        if (end) {
          hold.push(message.id);
          until.push(end);
        } else go.push(message.id);
      }
      await this.messages.rehold(hold, until, 'quiet hours');
      const rows = await this.messages.release(go);
      const queued = rows.filter((r) => r.status === 'queued').map((r) => r.id);
      await this.enqueue(queued);
      released += queued.length;
      if (due.length < RELEASE_BATCH) return released;
    }
  }

  private async daily(trigger: TriggerRow, options: InactivityOptions, run: (now: Date) => Promise<FireOutcome>): Promise<number> {
    const now = this.clock.now();
    const local = localTime(now, this.defaultZone());
    if (local.hour < options.localHour) return 0;
    const localDate = formatDay(local);
    const done = await this.triggers.zoneRunsDone(trigger.id, [localDate]);
    if (done.has(`${DAILY_SCAN_ZONE}|${localDate}`)) return 0;
    const outcome = await run(now);
    await this.triggers.recordZoneRuns(trigger.id, [DAILY_SCAN_ZONE], localDate, outcome.fired, now);
    return outcome.fired;
  }

  /** Status and time of each new firing's message: quiet hours (SMS), the delay, or now. */
  private plan(fired: FiredRow[], now: Date, sendAt: Date, quietHours: boolean): NewTriggerMessage[] {
    const quiet = this.quietEnds(sendAt);
    const planned: NewTriggerMessage[] = [];
    for (const row of fired) {
      if (!row.channel) continue;
      const quietEnd = quietHours && row.channel === 'sms' ? quiet(row.time_zone) : null;
      const base = { firingId: row.id, customerId: row.customer_id, channel: row.channel };
      if (quietEnd) planned.push({ ...base, status: 'held', scheduledFor: quietEnd, reason: 'quiet hours' });
      else if (sendAt.getTime() > now.getTime()) planned.push({ ...base, status: 'held', scheduledFor: sendAt, reason: 'trigger delay' });
      else planned.push({ ...base, status: 'queued', scheduledFor: null, reason: null });
    }
    return planned;
  }

  /** quietHoursEnd at `at`, computed once per zone. */
  private quietEnds(at: Date): (zone: string | null) => Date | null {
    const window = this.config.get('SMS_QUIET_HOURS', { infer: true });
    const defaultTimeZone = this.defaultZone();
    const cache = new Map<string, Date | null>();
    return (zone) => {
      const key = zone ?? '';
      if (!cache.has(key)) cache.set(key, quietHoursEnd(at, zone, { window, defaultTimeZone }));
      return cache.get(key) ?? null;
    };
  }

  /**
   * The current versions of a template key per channel, kept VERSION_TTL_MS: an order webhook
   * then costs no template queries, and a saved version is picked up within seconds.
   */
  private versionChoices(key: string, channels: TriggerChannel[]): Promise<Partial<Record<TriggerChannel, VersionChoice>>> {
    const cacheKey = `${key}|${channels.join(',')}`;
    const cached = this.versionCache.get(cacheKey);
    if (cached && cached.expires > Date.now()) return cached.choices;
    const choices = this.loadVersionChoices(key, channels);
    this.versionCache.set(cacheKey, { choices, expires: Date.now() + VERSION_TTL_MS });
    choices.catch(() => this.versionCache.delete(cacheKey));
    return choices;
  }

  private async loadVersionChoices(key: string, channels: TriggerChannel[]): Promise<Partial<Record<TriggerChannel, VersionChoice>>> {
    const result: Partial<Record<TriggerChannel, VersionChoice>> = {};
    for (const channel of channels) {
      const templateId = await this.triggers.templateId(channel, key);
      if (templateId === null) continue;
      const versions = await this.templates.currentVersions(templateId);
      const fallback = pickTemplateVersion(versions, this.config.get('DEFAULT_LOCALE', { infer: true }));
      if (!fallback) continue;
      result[channel] = {
        locales: versions.map((v) => v.locale),
        versionIds: versions.map((v) => v.versionId),
        fallbackVersionId: fallback.versionId,
      };
    }
    return result;
  }

  private async enqueue(ids: bigint[]): Promise<void> {
    await this.jobs.enqueueBulk(
      JobName.SendTransactional,
      ids.map((id) => ({ data: { messageId: id.toString() }, options: { jobId: messageJobId(id) } })),
    );
  }

  private defaultZone(): string {
    return this.config.get('DEFAULT_TIME_ZONE', { infer: true });
  }
}

function parseDay(text: string): CalendarDay {
  const [year, month, day] = text.split('-').map(Number);
  return { year, month, day };
}
