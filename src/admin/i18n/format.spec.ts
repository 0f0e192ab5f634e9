import { dateToWallClock, formatter, lastDaysIn, wallClockToDate } from './format';

const instant = new Date('2026-12-07T21:30:00Z');

describe('formatter: dates, numbers and money in the user locale and zone', () => {
  it.each([
    ['ru', 'Europe/Moscow', '8 дек. 2026 г., 00:30', 'Moscow is UTC+3: already the next day'],
    ['ru', 'UTC', '7 дек. 2026 г., 21:30', 'the same instant in UTC'],
    ['ru', 'Asia/Vladivostok', '8 дек. 2026 г., 07:30', 'UTC+10'],
    ['en', 'Europe/Moscow', '8 Dec 2026, 00:30', 'English, 24-hour, day first'],
  ] as const)('dateTime in %s, %s is %p (%s)', (locale, zone, expected, _why) => {
    expect(formatter(locale, zone).dateTime(instant)).toBe(expected);
  });

  it('numbers, money and percentages follow the locale', () => {
    const ru = formatter('ru', 'Europe/Moscow');
    const en = formatter('en', 'Europe/Moscow');
    expect(ru.number(1234567)).toBe('1\u00a0234\u00a0567');
    expect(en.number(1234567)).toBe('1,234,567');
    expect(ru.money('50000.5', 'RUB')).toBe('50\u00a0000,50\u00a0₽');
    expect(en.money(50000.5, 'EUR')).toBe('€50,000.50');
    expect(ru.money('10', 'bonus points')).toBe('10 bonus points'); // not an ISO code: written after
    expect(ru.percent(1, 3)).toBe('33,3\u00a0%');
    expect(en.percent(1, 3)).toBe('33.3%');
    expect(ru.percent(1, 0)).toBe('—');
  });

  it('a calendar day is shown as that day, whatever the zone', () => {
    expect(formatter('ru', 'Asia/Vladivostok').day('2026-12-01')).toBe('1 дек.');
    expect(formatter('en', 'America/New_York').day('2026-12-01')).toBe('1 Dec');
  });
});

describe('lastDaysIn', () => {
  it.each([
    ['2026-03-02T23:59:00Z', 'UTC', ['2026-02-28', '2026-03-01', '2026-03-02'], 'crosses a month end'],
    ['2026-03-02T22:30:00Z', 'Europe/Moscow', ['2026-03-01', '2026-03-02', '2026-03-03'], 'in Moscow it is already the 3rd'],
    ['2026-03-02T02:00:00Z', 'America/New_York', ['2026-02-27', '2026-02-28', '2026-03-01'], 'in New York still the 1st'],
  ])('the last 3 days at %s in %s', (now, zone, expected) => {
    expect(lastDaysIn(new Date(now), 3, zone)).toEqual(expected);
  });
});

describe('wallClockToDate: a datetime-local value read in the user zone', () => {
  it.each([
    ['2026-12-01T10:00', 'Europe/Moscow', '2026-12-01T07:00:00.000Z', 'Moscow is UTC+3'],
    ['2026-12-01T10:00', 'UTC', '2026-12-01T10:00:00.000Z', 'UTC'],
    ['2026-07-01T10:00', 'Europe/Berlin', '2026-07-01T08:00:00.000Z', 'summer time is UTC+2'],
    ['2026-12-01T10:00Z', 'Europe/Moscow', '2026-12-01T10:00:00.000Z', 'an explicit Z wins'],
  ])('%s in %s is %s (%s)', (value, zone, expected) => {
    expect(wallClockToDate(value, zone)?.toISOString()).toBe(expected);
  });

  it.each(['', 'tomorrow', '2026-02-30T10:00', '2026-12-01', '2026-12-01T25:00'])('%p is not a date and time', (value) => {
    expect(wallClockToDate(value, 'Europe/Moscow')).toBeNull();
  });

  it('round-trips with dateToWallClock', () => {
    expect(dateToWallClock(wallClockToDate('2026-12-01T10:00', 'Asia/Vladivostok')!, 'Asia/Vladivostok')).toBe('2026-12-01T10:00');
  });
});
