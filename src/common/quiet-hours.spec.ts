import fc from 'fast-check';
import { parseQuietWindow, quietHoursEnd, resolveTimeZone, type QuietWindow } from './quiet-hours';

const at = (iso: string) => new Date(iso);
const window = (text: string) => parseQuietWindow(text) as QuietWindow;

describe('quietHoursEnd with the default 21:00-09:00 window', () => {
  it.each([
    // zone, now (UTC), expected end (UTC) or null, why
    ['Europe/Moscow', '2026-06-15T12:00:00Z', null, '15:00 MSK is daytime'],
    ['Europe/Moscow', '2026-06-15T17:59:59Z', null, '20:59:59 is still allowed'],
    ['Europe/Moscow', '2026-06-15T18:00:00Z', '2026-06-16T06:00:00Z', '21:00 sharp starts the window'],
    ['Europe/Moscow', '2026-06-15T21:30:00Z', '2026-06-16T06:00:00Z', 'after midnight: ends the same local morning'],
    ['Europe/Moscow', '2026-06-16T05:59:59Z', '2026-06-16T06:00:00Z', '08:59:59 is still quiet'],
    ['Europe/Moscow', '2026-06-16T06:00:00Z', null, '09:00 sharp ends the window'],
    ['Asia/Vladivostok', '2026-01-10T12:00:00Z', '2026-01-10T23:00:00Z', '22:00 at UTC+10, ends 09:00 next local day'],
    ['Asia/Vladivostok', '2026-01-10T00:00:00Z', null, '10:00 at UTC+10 while Moscow sleeps'],
    ['Europe/Kaliningrad', '2026-01-10T19:30:00Z', '2026-01-11T07:00:00Z', '21:30 at UTC+2'],
    ['Europe/Kaliningrad', '2026-01-10T18:30:00Z', null, '20:30 at UTC+2 although Moscow is at 21:30'],
    ['Asia/Kathmandu', '2026-01-10T15:14:00Z', null, '20:59 at UTC+5:45'],
    ['Asia/Kathmandu', '2026-01-10T15:15:00Z', '2026-01-11T03:15:00Z', '21:00 at UTC+5:45'],
    ['Asia/Kathmandu', '2026-01-11T03:14:00Z', '2026-01-11T03:15:00Z', '08:59 at UTC+5:45'],
    ['Europe/Berlin', '2026-03-28T21:00:00Z', '2026-03-29T07:00:00Z', 'spring forward overnight: 09:00 CEST, one hour sooner'],
    ['Europe/Berlin', '2026-03-29T00:30:00Z', '2026-03-29T07:00:00Z', '01:30 CET just before the gap'],
    ['Europe/Berlin', '2026-10-24T20:00:00Z', '2026-10-25T08:00:00Z', 'fall back overnight: 09:00 CET, one hour later'],
    ['Europe/Berlin', '2026-10-25T00:30:00Z', '2026-10-25T08:00:00Z', 'the first 02:30 of the repeated hour'],
    ['Europe/Berlin', '2026-10-25T01:30:00Z', '2026-10-25T08:00:00Z', 'the second 02:30 of the repeated hour'],
    ['America/New_York', '2026-03-08T06:30:00Z', '2026-03-08T13:00:00Z', '01:30 EST, morning is EDT'],
    ['Australia/Sydney', '2026-04-04T11:00:00Z', '2026-04-04T23:00:00Z', 'southern autumn: 22:00 AEDT, morning is AEST'],
  ])('%s at %s → %s (%s)', (zone: string, now: string, expected: string | null, _why: string) => {
    const end = quietHoursEnd(at(now), zone);
    expect(end?.toISOString() ?? null).toBe(expected === null ? null : at(expected).toISOString());
  });
});

describe('quietHoursEnd time zone fallback', () => {
  it.each([
    [null, '2026-06-15T19:00:00Z', undefined, '2026-06-16T06:00:00Z'],
    [undefined, '2026-06-15T19:00:00Z', undefined, '2026-06-16T06:00:00Z'],
    ['', '2026-06-15T19:00:00Z', undefined, '2026-06-16T06:00:00Z'],
    ['Mars/Olympus_Mons', '2026-06-15T19:00:00Z', undefined, '2026-06-16T06:00:00Z'],
    ['+03:00', '2026-06-15T19:00:00Z', undefined, '2026-06-16T06:00:00Z'],
    [null, '2026-06-15T12:00:00Z', 'Asia/Vladivostok', '2026-06-15T23:00:00Z'],
    ['Bad/Zone', '2026-06-15T12:00:00Z', 'Asia/Vladivostok', '2026-06-15T23:00:00Z'],
    [null, '2026-06-15T19:00:00Z', 'Not/AZone', '2026-06-16T06:00:00Z'],
  ])('zone %p at %s with default %p → %s', (zone, now, defaultTimeZone, expected) => {
    expect(quietHoursEnd(at(now), zone, { defaultTimeZone })?.toISOString()).toBe(at(expected).toISOString());
  });

  it('keeps a valid zone and replaces an invalid one', () => {
    expect(resolveTimeZone('Asia/Kathmandu')).toBe('Asia/Kathmandu');
    expect(resolveTimeZone('nowhere', 'Europe/Kaliningrad')).toBe('Europe/Kaliningrad');
  });
});

describe('quietHoursEnd with other windows', () => {
  it.each([
    ['13:00-15:00', '2026-06-15T09:59:00Z', null, '12:59 MSK: before a daytime window'],
    ['13:00-15:00', '2026-06-15T10:30:00Z', '2026-06-15T12:00:00Z', '13:30 MSK: inside, ends 15:00 today'],
    ['13:00-15:00', '2026-06-15T12:00:00Z', null, '15:00 MSK: the window has ended'],
    ['22:30-07:15', '2026-06-15T19:29:00Z', null, '22:29 MSK'],
    ['22:30-07:15', '2026-06-15T19:30:00Z', '2026-06-16T04:15:00Z', '22:30 MSK'],
    ['00:00-08:00', '2026-06-15T20:59:00Z', null, '23:59 MSK with a window from midnight'],
    ['00:00-08:00', '2026-06-15T21:00:00Z', '2026-06-16T05:00:00Z', '00:00 MSK'],
    ['20:00-00:00', '2026-06-15T20:59:00Z', '2026-06-15T21:00:00Z', 'a window ending at midnight'],
    ['09:00-09:00', '2026-06-15T23:00:00Z', null, 'an empty window is never quiet'],
  ])('%s at %s → %s (%s)', (text: string, now: string, expected: string | null, _why: string) => {
    const end = quietHoursEnd(at(now), 'Europe/Moscow', { window: window(text) });
    expect(end?.toISOString() ?? null).toBe(expected === null ? null : at(expected).toISOString());
  });

  it('treats a window ending inside a DST gap as ending at the first valid time after it', () => {
    // Berlin skips 02:00-03:00 on 2026-03-29; a 21:00-02:30 window ends at 03:30 CEST.
    expect(quietHoursEnd(at('2026-03-28T22:00:00Z'), 'Europe/Berlin', { window: window('21:00-02:30') })?.toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
  });

  it('never holds a message when quiet hours are off', () => {
    expect(quietHoursEnd(at('2026-06-15T23:00:00Z'), 'Europe/Moscow', { window: parseQuietWindow('off') })).toBeNull();
  });
});

describe('parseQuietWindow', () => {
  it.each([
    ['21:00-09:00', { start: 1260, end: 540 }],
    ['00:00-23:59', { start: 0, end: 1439 }],
    [' 13:30-15:45 ', { start: 810, end: 945 }],
    ['off', null],
    ['OFF', null],
  ])('%p → %p', (text, expected) => {
    expect(parseQuietWindow(text)).toEqual(expected);
  });

  it.each(['24:00-09:00', '9:00-21:00', '21:00–09:00', '21:00', '', 'night'])('rejects %p with the expected form', (text) => {
    expect(() => parseQuietWindow(text)).toThrow(/expected HH:MM-HH:MM such as 21:00-09:00/);
  });
});

describe('quietHoursEnd properties', () => {
  const zones = [
    'Europe/Moscow',
    'Asia/Vladivostok',
    'Europe/Kaliningrad',
    'Asia/Kathmandu',
    'Europe/Berlin',
    'America/New_York',
    'Australia/Sydney',
    'Pacific/Chatham',
  ];
  const instants = fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2028-01-01T00:00:00Z'), noInvalidDate: true });

  it('ends the window in the future, within 13 hours, at a moment when sending is allowed', () => {
    fc.assert(
      fc.property(instants, fc.constantFrom(...zones), (now, zone) => {
        const end = quietHoursEnd(now, zone);
        if (end === null) return;
        expect(end.getTime()).toBeGreaterThan(now.getTime());
        expect(end.getTime() - now.getTime()).toBeLessThanOrEqual(13 * 3_600_000);
        expect(quietHoursEnd(end, zone)).toBeNull();
        expect(quietHoursEnd(new Date(end.getTime() - 1000), zone)).not.toBeNull();
      }),
      { numRuns: 500 },
    );
  });
});
