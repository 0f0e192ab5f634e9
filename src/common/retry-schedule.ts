// Patience with a relay that answers 4xx (greylisting, a full queue, a short outage on the
// receiving side): the gaps between one message's tries, as SMTP_RETRY_SCHEDULE gives them
// (`1m,5m,15m,30m,1h,2h,4h,8h,8h,8h`), each stretched or shrunk by a little jitter so the
// messages deferred together do not all come back in the same second. Pure.

/** A gap is moved by up to this fraction either way. */
export const RETRY_JITTER = 0.1;

/** The default: growing gaps spanning about 32 hours (a greylist of minutes, a receiving server down for a day). */
export const DEFAULT_RETRY_SCHEDULE = '1m,5m,15m,30m,1h,2h,4h,8h,8h,8h';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `1m,5m,1h` → gaps in milliseconds; throws with the offending item named. */
export function parseRetrySchedule(text: string): number[] {
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  if (!items.length) throw new Error('expected comma-separated gaps such as 1m,5m,15m,1h');
  if (items.length > 100) throw new Error(`at most 100 gaps, not ${items.length}`);
  return items.map((item) => {
    const match = /^(\d{1,6})(s|m|h|d)$/i.exec(item);
    if (!match || Number(match[1]) === 0) throw new Error(`"${item}" is not a gap: expected a number and s, m, h or d, such as 30s or 4h`);
    return Number(match[1]) * UNIT_MS[match[2].toLowerCase()];
  });
}

/** The sum of the gaps: how long a message may wait before it is failed (jitter aside). */
export function scheduleSpanMs(schedule: readonly number[]): number {
  return schedule.reduce((sum, gap) => sum + gap, 0);
}

/**
 * When to try a message again after its `deferrals`-th 4xx answer (0 for the first), or null
 * when the schedule is spent and the message fails. `random` is in [0, 1).
 */
export function nextRetryDelay(schedule: readonly number[], deferrals: number, random: number = Math.random()): number | null {
  if (deferrals < 0 || deferrals >= schedule.length) return null;
  const gap = schedule[deferrals];
  return Math.max(1, Math.round(gap * (1 + RETRY_JITTER * (2 * random - 1))));
}

/** `1h 30m`, `45s`: a gap for a status reason or a log line. */
export function formatGap(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const parts: string[] = [];
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d) parts.push(`${d}d`);
  if (h) parts.push(`${h}h`);
  if (m) parts.push(`${m}m`);
  return parts.join(' ');
}
