// When a campaign runs, and which status changes are allowed. Pure (cron-parser, luxon, no Nest).
import { CronExpressionParser } from 'cron-parser';
import { DateTime } from 'luxon';
import type { CampaignStatus, ScheduleKind } from '../generated/prisma/enums';

export type Schedule =
  /** timeZone (now, at): the zone of a local-time run's date; Europe/Moscow when not given. */
  | { kind: 'now'; timeZone?: string }
  | { kind: 'at'; at: Date; timeZone?: string }
  /** Five-field cron in the campaign's time zone; "0 10 * * 1#1" = first Monday of the month, 10:00. */
  | { kind: 'recurring'; cron: string; timeZone: string };

/** The cron expression's problem in words, or null when it is valid. */
export function cronProblem(cron: string, timeZone: string): string | null {
  if (cron.trim().split(/\s+/).length !== 5) return 'expected five fields: minute hour day-of-month month day-of-week';
  try {
    CronExpressionParser.parse(cron, { tz: timeZone }).next();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The first occurrence strictly after `after`. */
export function nextOccurrence(cron: string, timeZone: string, after: Date): Date {
  return CronExpressionParser.parse(cron, { tz: timeZone, currentDate: after }).next().toDate();
}

/** The first run time of a schedule being set at `now`. */
export function firstRunAt(schedule: Schedule, now: Date): Date {
  switch (schedule.kind) {
    case 'now':
      return now;
    case 'at':
      return schedule.at;
    case 'recurring':
      return nextOccurrence(schedule.cron, schedule.timeZone, now);
  }
}

/** After the occurrence at `occurrenceAt` has started: the next one, or null when the schedule is spent. */
export function followingRunAt(kind: ScheduleKind, cron: string | null, timeZone: string, occurrenceAt: Date): Date | null {
  if (kind !== 'recurring' || !cron) return null;
  return nextOccurrence(cron, timeZone, occurrenceAt);
}

export type CampaignAction = 'edit' | 'schedule' | 'pause' | 'resume' | 'cancel';

/**
 * draft → scheduled → running → completed; running ⇄ paused; anything unfinished → cancelled.
 * A recurring campaign goes back to scheduled between its runs.
 */
const ALLOWED: Record<CampaignAction, readonly CampaignStatus[]> = {
  edit: ['draft', 'scheduled', 'paused'],
  schedule: ['draft'],
  pause: ['scheduled', 'running'],
  resume: ['paused'],
  cancel: ['draft', 'scheduled', 'running', 'paused'],
};

export function transitionProblem(status: CampaignStatus, action: CampaignAction): string | null {
  return ALLOWED[action].includes(status)
    ? null
    : `cannot ${action} a campaign that is ${status} (allowed from: ${ALLOWED[action].join(', ')})`;
}

// ── local-time delivery ──────────────────────────────────────────────────────
// A campaign with a local time ("10:00") delivers on its run's date at that time in each
// recipient's own zone. The run's date is its occurrence's date in the campaign's zone; the run
// starts when that local time comes in the earliest zone on Earth (UTC+14), so every recipient's
// message is frozen, held, before their time comes.

/** The zone where a local time on a date comes first. */
const EARLIEST_ZONE = 'UTC+14';
/** How far a local-time run may start ahead of its occurrence (UTC+14 vs UTC−12, a day apart, plus the day itself). */
export const LOCAL_TIME_MAX_LEAD_MS = 50 * 3_600_000;
/**
 * A recipient whose local time passed less than this long before the run was prepared still
 * gets the message at once (a tick a minute late, a "now" campaign at 10:20); one whose time
 * passed earlier gets it at that time the next day, so a 10:00 message never lands at night.
 */
export const LOCAL_TIME_LATE_GRACE_MS = 3_600_000;

/** The run's date, YYYY-MM-DD: the occurrence's date in the campaign's zone. */
export function runDate(occurrenceAt: Date, timeZone: string): string {
  return DateTime.fromJSDate(occurrenceAt, { zone: timeZone }).toISODate() as string;
}

/** When the run of an occurrence starts: the occurrence itself, or for a local-time campaign its local time in UTC+14. */
export function runStartAt(occurrenceAt: Date, timeZone: string, localTime: string | null): Date {
  if (!localTime) return occurrenceAt;
  return DateTime.fromISO(`${runDate(occurrenceAt, timeZone)}T${localTime}`, { zone: EARLIEST_ZONE }).toJSDate();
}
