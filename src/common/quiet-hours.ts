// No SMS at night in the recipient's time zone (docs/architecture.md: consent and quiet
// hours). Pure: the caller passes `now`, so the delivery worker, a scheduler and tests all get the same answer.
import { DateTime, IANAZone } from 'luxon';

/** Minutes after local midnight. */
export interface QuietWindow {
  start: number;
  end: number;
}

/** 21:00–09:00 local time. */
export const DEFAULT_QUIET_WINDOW: QuietWindow = { start: 21 * 60, end: 9 * 60 };
export const DEFAULT_QUIET_TIME_ZONE = 'Europe/Moscow';

const WINDOW_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;

/** `"21:00-09:00"` → window; `"off"` → null (never quiet); anything else → an Error saying why. */
export function parseQuietWindow(text: string): QuietWindow | null {
  if (text.trim().toLowerCase() === 'off') return null;
  const match = WINDOW_PATTERN.exec(text.trim());
  if (!match) throw new Error(`expected HH:MM-HH:MM such as 21:00-09:00, or "off"; got "${text}"`);
  return { start: Number(match[1]) * 60 + Number(match[2]), end: Number(match[3]) * 60 + Number(match[4]) };
}

/** The zone to use for a recipient: theirs when it is a real IANA zone, else the default. */
export function resolveTimeZone(timeZone: string | null | undefined, defaultTimeZone = DEFAULT_QUIET_TIME_ZONE): string {
  if (timeZone && IANAZone.isValidZone(timeZone)) return timeZone;
  return IANAZone.isValidZone(defaultTimeZone) ? defaultTimeZone : DEFAULT_QUIET_TIME_ZONE;
}

/**
 * `null` when an SMS may go out at `now`; otherwise the instant the quiet window ends for the
 * recipient (the next local 09:00 by default). The window may cross midnight (21:00–09:00) or
 * not (13:00–15:00); an empty window (start = end) is never quiet. When the end time does not
 * exist that day (a DST gap), it is the first valid local time after it; when it occurs twice
 * (clocks going back), the later one.
 */
export function quietHoursEnd(
  now: Date,
  timeZone: string | null | undefined,
  options: { window?: QuietWindow | null; defaultTimeZone?: string } = {},
): Date | null {
  const window = options.window === undefined ? DEFAULT_QUIET_WINDOW : options.window;
  if (window === null || window.start === window.end) return null;
  const local = DateTime.fromJSDate(now, { zone: resolveTimeZone(timeZone, options.defaultTimeZone) });
  const minute = local.hour * 60 + local.minute + (local.second * 1000 + local.millisecond) / 60_000;
  const crossesMidnight = window.start > window.end;

  let endDay: DateTime;
  if (crossesMidnight) {
    if (minute >= window.start) endDay = local.plus({ days: 1 });
    else if (minute < window.end) endDay = local;
    else return null;
  } else {
    if (minute < window.start || minute >= window.end) return null;
    endDay = local;
  }
  const end = DateTime.fromObject(
    { year: endDay.year, month: endDay.month, day: endDay.day, hour: Math.floor(window.end / 60), minute: window.end % 60 },
    { zone: local.zone },
  );
  return end.toJSDate();
}
