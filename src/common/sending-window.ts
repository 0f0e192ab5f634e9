// When bulk mail may go out in the recipient's own time zone: a campaign's sending window
// ("weekdays 09:00–19:00"). Outside it a message waits, held, until the window next opens.
// Pure: the caller passes `now` (docs/conventions.md), like quiet hours (quiet-hours.ts).
import { DateTime } from 'luxon';
import { resolveTimeZone } from './quiet-hours';

export interface SendingWindow {
  /** ISO weekdays the window is open on: 1 = Monday … 7 = Sunday. */
  days: number[];
  /** Local times HH:MM; `from` before `to` (the window does not cross midnight). */
  from: string;
  to: string;
}

export const WEEKDAYS = [1, 2, 3, 4, 5];
export const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

/** "HH:MM" → minutes after midnight. */
export function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

/**
 * `null` when a message may go out at `now` in `timeZone` (the default zone when it is missing
 * or not a real zone); otherwise the instant the window next opens there. A `from` time that
 * does not exist on a day (a DST gap) is moved on by the time skipped (02:30 → 03:30).
 */
export function sendingWindowOpens(
  now: Date,
  timeZone: string | null | undefined,
  window: SendingWindow,
  defaultTimeZone?: string,
): Date | null {
  const local = DateTime.fromJSDate(now, { zone: resolveTimeZone(timeZone, defaultTimeZone) });
  const from = minutesOf(window.from);
  const to = minutesOf(window.to);
  const minute = local.hour * 60 + local.minute + (local.second * 1000 + local.millisecond) / 60_000;
  if (window.days.includes(local.weekday) && minute >= from && minute < to) return null;
  // Today if the window has yet to open today, else the next open day (within a week).
  for (let ahead = 0; ahead <= 7; ahead++) {
    const day = local.plus({ days: ahead });
    if (!window.days.includes(day.weekday) || (ahead === 0 && minute >= from)) continue;
    const opens = DateTime.fromObject(
      { year: day.year, month: day.month, day: day.day, hour: Math.floor(from / 60), minute: from % 60 },
      { zone: local.zone },
    );
    return opens.toJSDate();
  }
  throw new Error('a sending window needs at least one day');
}
