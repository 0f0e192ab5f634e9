// When a campaign runs, and which status changes are allowed. Pure (cron-parser, no Nest).
import { CronExpressionParser } from 'cron-parser';
import type { CampaignStatus, ScheduleKind } from '../generated/prisma/enums';

export type Schedule =
  | { kind: 'now' }
  | { kind: 'at'; at: Date }
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
