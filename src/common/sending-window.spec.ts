import { EVERY_DAY, sendingWindowOpens, WEEKDAYS, type SendingWindow } from './sending-window';

const weekdays: SendingWindow = { days: WEEKDAYS, from: '09:00', to: '19:00' };

describe('sendingWindowOpens, weekdays 09:00–19:00', () => {
  // 2026-12-07 is a Monday; 2026-12-12/13 a weekend. Russian zones keep one offset all year.
  it.each([
    // zone, now (UTC), expected opening (UTC) or null (inside), why
    ['Europe/Moscow', '2026-12-07T06:00:00Z', null, '09:00 Monday MSK opens it'],
    ['Europe/Moscow', '2026-12-07T05:59:59Z', '2026-12-07T06:00:00Z', '08:59:59 waits for 09:00 the same day'],
    ['Europe/Moscow', '2026-12-07T15:59:59Z', null, '18:59:59 is still inside'],
    ['Europe/Moscow', '2026-12-07T16:00:00Z', '2026-12-08T06:00:00Z', '19:00 sharp closes it until Tuesday 09:00'],
    ['Europe/Moscow', '2026-12-11T17:00:00Z', '2026-12-14T06:00:00Z', 'Friday 20:00 waits the weekend out'],
    ['Europe/Moscow', '2026-12-12T09:00:00Z', '2026-12-14T06:00:00Z', 'Saturday noon: Monday 09:00'],
    ['Europe/Moscow', '2026-12-13T22:00:00Z', '2026-12-14T06:00:00Z', 'Monday 01:00 already: the same morning'],
    ['Europe/Kaliningrad', '2026-12-07T06:30:00Z', '2026-12-07T07:00:00Z', '08:30 at UTC+2 while Moscow is open'],
    ['Asia/Vladivostok', '2026-12-07T06:00:00Z', null, '16:00 at UTC+10'],
    ['Asia/Vladivostok', '2026-12-07T09:00:00Z', '2026-12-07T23:00:00Z', '19:00 at UTC+10: Tuesday 09:00 local is Monday 23:00 UTC'],
    ['Asia/Vladivostok', '2026-12-11T09:30:00Z', '2026-12-13T23:00:00Z', 'Friday 19:30 at UTC+10: Monday 09:00 local'],
    ['Asia/Kamchatka', '2026-12-13T20:00:00Z', '2026-12-13T21:00:00Z', 'already Monday 08:00 at UTC+12 while Sunday in UTC'],
    ['Europe/Berlin', '2026-03-28T10:00:00Z', '2026-03-30T07:00:00Z', 'Saturday before spring forward: Monday 09:00 CEST'],
    ['Europe/Berlin', '2026-03-27T19:00:00Z', '2026-03-30T07:00:00Z', 'Friday 20:00 CET: Monday 09:00 is CEST, an hour sooner in UTC'],
    ['Europe/Berlin', '2026-10-23T18:30:00Z', '2026-10-26T08:00:00Z', 'Friday 20:30 CEST: Monday 09:00 is CET'],
    ['Europe/Berlin', '2026-10-26T07:30:00Z', '2026-10-26T08:00:00Z', 'Monday 08:30 CET after fall back'],
  ])('%s at %s → %s (%s)', (zone: string, now: string, expected: string | null, _why: string) => {
    const opens = sendingWindowOpens(new Date(now), zone, weekdays);
    expect(opens?.toISOString() ?? null).toBe(expected === null ? null : new Date(expected).toISOString());
  });
});

describe('sendingWindowOpens, other windows and zones', () => {
  it('opens every day when all seven days are given', () => {
    const daily: SendingWindow = { days: EVERY_DAY, from: '10:00', to: '12:00' };
    expect(sendingWindowOpens(new Date('2026-12-12T08:00:00Z'), 'Europe/Moscow', daily)).toBeNull(); // Saturday 11:00
    expect(sendingWindowOpens(new Date('2026-12-12T09:00:00Z'), 'Europe/Moscow', daily)?.toISOString()).toBe('2026-12-13T07:00:00.000Z');
  });

  it('uses the default zone for a missing or unknown zone', () => {
    const now = new Date('2026-12-07T16:30:00Z'); // 19:30 in Moscow, 17:30 in Berlin
    expect(sendingWindowOpens(now, null, weekdays)?.toISOString()).toBe('2026-12-08T06:00:00.000Z');
    expect(sendingWindowOpens(now, 'Mars/Olympus', weekdays)?.toISOString()).toBe('2026-12-08T06:00:00.000Z');
    expect(sendingWindowOpens(now, 'Mars/Olympus', weekdays, 'Europe/Berlin')).toBeNull();
  });

  it('moves an opening that falls in a DST gap on by the hour skipped', () => {
    const early: SendingWindow = { days: EVERY_DAY, from: '02:30', to: '05:00' };
    // 01:30 CET on the spring-forward Sunday: 02:30 does not exist; it is moved on by the hour skipped, to 03:30 CEST.
    expect(sendingWindowOpens(new Date('2026-03-29T00:30:00Z'), 'Europe/Berlin', early)?.toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('always answers an instant after now when outside', () => {
    for (let hour = 0; hour < 24 * 7; hour += 5) {
      const now = new Date(Date.UTC(2026, 11, 7, hour, 17));
      const opens = sendingWindowOpens(now, 'Asia/Vladivostok', weekdays);
      if (opens) {
        expect(opens.getTime()).toBeGreaterThan(now.getTime());
        expect(sendingWindowOpens(opens, 'Asia/Vladivostok', weekdays)).toBeNull();
      }
    }
  });
});
