import {
  addDays,
  birthDatesAround,
  birthDatesFallingOn,
  birthdayFallsOn,
  dueBirthdayGroups,
  effectiveZone,
  isLeapYear,
  localTime,
  zoneRunKey,
} from './birthday-dates';

describe('birthdayFallsOn', () => {
  it.each([
    ['same month and day', '1990-11-23', { year: 2026, month: 11, day: 23 }, true],
    ['another day', '1990-11-22', { year: 2026, month: 11, day: 23 }, false],
    ['29 Feb on 28 Feb in a common year', '2000-02-29', { year: 2027, month: 2, day: 28 }, true],
    ['29 Feb not on 28 Feb in a leap year', '2000-02-29', { year: 2028, month: 2, day: 28 }, false],
    ['29 Feb on 29 Feb in a leap year', '2000-02-29', { year: 2028, month: 2, day: 29 }, true],
    ['29 Feb never on 1 March', '2000-02-29', { year: 2027, month: 3, day: 1 }, false],
    ['28 Feb stays on 28 Feb in a leap year', '1999-02-28', { year: 2028, month: 2, day: 28 }, true],
  ])('%s', (_name, birthday, day, expected) => {
    expect(birthdayFallsOn(birthday, day)).toBe(expected);
  });
});

describe('birthDatesFallingOn', () => {
  it('lists the day in every birth year from 1900', () => {
    const dates = birthDatesFallingOn({ year: 2026, month: 11, day: 23 });
    expect(dates).toHaveLength(2026 - 1900 + 1);
    expect(dates[0]).toBe('1900-11-23');
    expect(dates.at(-1)).toBe('2026-11-23');
  });

  it('adds the 29 Februaries of leap years to 28 February of a common year', () => {
    const dates = birthDatesFallingOn({ year: 2027, month: 2, day: 28 });
    expect(dates).toContain('2000-02-29');
    expect(dates).toContain('1904-02-29');
    expect(dates).not.toContain('1900-02-29'); // 1900 was not a leap year
    expect(dates.filter((d) => d.endsWith('-02-29'))).toHaveLength(31); // 1904..2024
    // and every date it lists really falls on that day
    expect(dates.every((d) => birthdayFallsOn(d, { year: 2027, month: 2, day: 28 }))).toBe(true);
  });

  it('keeps 28 February alone in a leap year, and 29 February only in leap years', () => {
    expect(birthDatesFallingOn({ year: 2028, month: 2, day: 28 }).some((d) => d.endsWith('-02-29'))).toBe(false);
    const leapDay = birthDatesFallingOn({ year: 2028, month: 2, day: 29 });
    expect(leapDay.every((d) => isLeapYear(Number(d.slice(0, 4))))).toBe(true);
    expect(leapDay).toContain('2028-02-29');
  });
});

describe('localTime, addDays, effectiveZone', () => {
  it('gives the local date and hour in each zone', () => {
    const at = new Date('2026-11-22T23:00:00Z');
    expect(localTime(at, 'Europe/Moscow')).toEqual({ year: 2026, month: 11, day: 23, hour: 2 });
    expect(localTime(at, 'Asia/Vladivostok')).toEqual({ year: 2026, month: 11, day: 23, hour: 9 });
    expect(localTime(at, 'America/New_York')).toEqual({ year: 2026, month: 11, day: 22, hour: 18 });
  });

  it('crosses months and years', () => {
    expect(addDays({ year: 2026, month: 12, day: 30 }, 3)).toEqual({ year: 2027, month: 1, day: 2 });
    expect(addDays({ year: 2027, month: 2, day: 27 }, 1)).toEqual({ year: 2027, month: 2, day: 28 });
  });

  it('falls back to the default zone for an unknown one', () => {
    expect(effectiveZone('Mars/Olympus', 'Europe/Moscow')).toBe('Europe/Moscow');
    expect(effectiveZone('Asia/Kathmandu', 'Europe/Moscow')).toBe('Asia/Kathmandu');
  });
});

describe('dueBirthdayGroups', () => {
  const zones = ['Europe/Moscow', 'Asia/Vladivostok', 'Europe/Kaliningrad', 'Mars/Olympus'];
  const base = { zones, localHour: 9, daysBefore: 0, defaultZone: 'Europe/Moscow' };

  it('at 09:00 in Vladivostok only Vladivostok is due', () => {
    const groups = dueBirthdayGroups({ ...base, now: new Date('2026-11-22T23:00:00Z') });
    expect(groups).toEqual([
      {
        occurrenceKey: '2026-11-23',
        localDate: '2026-11-23',
        zones: ['Asia/Vladivostok'],
        birthDates: expect.arrayContaining(['1990-11-23']),
      },
    ]);
  });

  it('at 09:00 in Moscow Moscow joins (and an unknown zone counts as the default one)', () => {
    const groups = dueBirthdayGroups({ ...base, now: new Date('2026-11-23T06:00:00Z') });
    expect(groups.map((g) => [g.localDate, g.zones])).toEqual([['2026-11-23', ['Europe/Moscow', 'Asia/Vladivostok', 'Mars/Olympus']]]);
  });

  it('skips zone/date pairs already run, and groups zones by their own local date', () => {
    const done = new Set([zoneRunKey('Asia/Vladivostok', '2026-11-23')]);
    // 15:30 UTC: Vladivostok is already on 24 November, 01:30 (not due); Kaliningrad 17:30 on the 23rd
    const groups = dueBirthdayGroups({ ...base, now: new Date('2026-11-23T15:30:00Z'), done });
    expect(groups.map((g) => [g.localDate, g.zones])).toEqual([['2026-11-23', ['Europe/Moscow', 'Europe/Kaliningrad', 'Mars/Olympus']]]);
  });

  it('N days before: the occurrence is the birthday, the zone run is today', () => {
    const [group] = dueBirthdayGroups({ ...base, zones: ['Europe/Moscow'], daysBefore: 3, now: new Date('2027-02-25T07:00:00Z') });
    expect(group.localDate).toBe('2027-02-25');
    expect(group.occurrenceKey).toBe('2027-02-28');
    expect(group.birthDates).toContain('2000-02-29');
  });

  it('before the hour nothing is due', () => {
    expect(dueBirthdayGroups({ ...base, zones: ['Europe/Moscow'], now: new Date('2026-11-23T05:59:00Z') })).toEqual([]);
  });
});

describe('birthDatesAround', () => {
  it('covers every local date any zone can have now (UTC date ± 1), shifted by daysBefore', () => {
    const dates = birthDatesAround(new Date('2027-02-27T23:00:00Z'), 0);
    for (const day of ['1990-02-26', '1990-02-27', '1990-02-28', '2000-02-29']) expect(dates).toContain(day);
    expect(dates).not.toContain('1990-03-01');
    const ahead = birthDatesAround(new Date('2026-11-23T12:00:00Z'), 3);
    expect(ahead).toEqual(expect.arrayContaining(['1990-11-25', '1990-11-26', '1990-11-27']));
    expect(ahead).not.toContain('1990-11-23');
  });
});
