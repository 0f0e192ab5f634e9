import fc from 'fast-check';
import { DateTime } from 'luxon';
import { zonedTimeToUtc } from './zone-time';

// Zones with DST, half- and quarter-hour offsets, a half-hour DST shift, and no DST.
const ZONES = [
  'Europe/Moscow',
  'Europe/Berlin',
  'America/New_York',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Adelaide',
  'Australia/Lord_Howe',
  'Asia/Vladivostok',
  'UTC',
];

describe('zonedTimeToUtc', () => {
  it.each([
    ['Europe/Moscow', [2024, 3, 1, 10, 30, 0, 0], '2024-03-01T07:30:00.000Z'],
    ['Europe/Berlin', [2024, 7, 1, 12, 0, 0, 0], '2024-07-01T10:00:00.000Z'],
    ['Europe/Berlin', [2024, 1, 1, 12, 0, 0, 0], '2024-01-01T11:00:00.000Z'],
    ['Asia/Kathmandu', [2024, 1, 1, 0, 0, 0, 0], '2023-12-31T18:15:00.000Z'],
    ['Europe/Moscow', [2010, 7, 1, 12, 0, 0, 0], '2010-07-01T08:00:00.000Z'], // summer time, before 2011
    // a gap: 02:30 on the night clocks go forward does not exist; it reads as 03:30
    ['Europe/Berlin', [2024, 3, 31, 2, 30, 0, 0], '2024-03-31T01:30:00.000Z'],
  ] as const)('%s %p → %s', (zone, [y, mo, d, h, mi, s, ms], iso) => {
    expect(new Date(zonedTimeToUtc(zone, y, mo, d, h, mi, s, ms)!).toISOString()).toBe(iso);
  });

  it('says null for an unknown zone', () => {
    expect(zonedTimeToUtc('Mars/Olympus', 2024, 1, 1, 0, 0, 0, 0)).toBeNull();
  });

  it('agrees with luxon wherever the wall-clock time is not repeated by a change of offset', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: Date.UTC(1995, 0, 1), max: Date.UTC(2035, 0, 1) }), (zone, instant) => {
        const w = DateTime.fromMillis(instant, { zone }); // a wall time that exists
        const mine = zonedTimeToUtc(zone, w.year, w.month, w.day, w.hour, w.minute, w.second, w.millisecond)!;
        const theirs = DateTime.fromObject(
          { year: w.year, month: w.month, day: w.day, hour: w.hour, minute: w.minute, second: w.second, millisecond: w.millisecond },
          { zone },
        ).toMillis();
        const repeated =
          DateTime.fromMillis(instant - 3 * 3600_000, { zone }).offset !== DateTime.fromMillis(instant + 3 * 3600_000, { zone }).offset;
        if (!repeated) {
          expect(mine).toBe(instant);
          expect(mine).toBe(theirs);
        } else {
          // near a change: still the same wall-clock time, whichever of the two instants
          const back = DateTime.fromMillis(mine, { zone });
          expect([back.hour, back.minute, back.second]).toEqual([w.hour, w.minute, w.second]);
        }
      }),
      { numRuns: 20_000 },
    );
  });
});
