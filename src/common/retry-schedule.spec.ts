import { DEFAULT_RETRY_SCHEDULE, RETRY_JITTER, formatGap, nextRetryDelay, parseRetrySchedule, scheduleSpanMs } from './retry-schedule';

const HOUR = 3_600_000;

describe('parseRetrySchedule', () => {
  it('reads seconds, minutes, hours and days', () => {
    expect(parseRetrySchedule('30s, 5m,2h,1d')).toEqual([30_000, 300_000, 2 * HOUR, 24 * HOUR]);
  });

  it('names the item it cannot read', () => {
    expect(() => parseRetrySchedule('1m,5x')).toThrow('"5x" is not a gap');
    expect(() => parseRetrySchedule('0s')).toThrow('"0s" is not a gap');
    expect(() => parseRetrySchedule(' , ')).toThrow('expected comma-separated gaps');
  });

  it('the default spans more than a day with gaps that never shrink', () => {
    const schedule = parseRetrySchedule(DEFAULT_RETRY_SCHEDULE);
    expect(scheduleSpanMs(schedule)).toBeGreaterThanOrEqual(24 * HOUR);
    expect(schedule[0]).toBe(60_000);
    for (let i = 1; i < schedule.length; i++) expect(schedule[i]).toBeGreaterThanOrEqual(schedule[i - 1]);
  });
});

describe('nextRetryDelay', () => {
  const schedule = parseRetrySchedule('1m,5m,1h');

  it('follows the schedule, then gives up', () => {
    expect(nextRetryDelay(schedule, 0, 0.5)).toBe(60_000);
    expect(nextRetryDelay(schedule, 1, 0.5)).toBe(300_000);
    expect(nextRetryDelay(schedule, 2, 0.5)).toBe(HOUR);
    expect(nextRetryDelay(schedule, 3, 0.5)).toBeNull();
    expect(nextRetryDelay(schedule, 7, 0.5)).toBeNull();
  });

  it('jitters each gap by at most RETRY_JITTER either way', () => {
    expect(nextRetryDelay(schedule, 2, 0)).toBe(Math.round(HOUR * (1 - RETRY_JITTER)));
    expect(nextRetryDelay(schedule, 2, 0.999999)).toBeLessThanOrEqual(HOUR * (1 + RETRY_JITTER));
    const seen = new Set(Array.from({ length: 20 }, () => nextRetryDelay(schedule, 0)));
    expect(seen.size).toBeGreaterThan(1);
    for (const delay of seen) {
      expect(delay).toBeGreaterThanOrEqual(60_000 * (1 - RETRY_JITTER));
      expect(delay).toBeLessThanOrEqual(60_000 * (1 + RETRY_JITTER));
    }
  });
});

describe('formatGap', () => {
  it('writes the largest units', () => {
    expect(formatGap(45_000)).toBe('45s');
    expect(formatGap(90 * 60_000)).toBe('1h 30m');
    expect(formatGap(26 * HOUR)).toBe('1d 2h');
  });
});
