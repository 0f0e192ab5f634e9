import {
  cronProblem,
  firstRunAt,
  followingRunAt,
  LOCAL_TIME_MAX_LEAD_MS,
  nextOccurrence,
  runDate,
  runStartAt,
  transitionProblem,
} from './campaign-schedule';
import { pickWinner, sampleSize } from './ab-test';

describe('local-time runs', () => {
  it.each([
    // occurrence (UTC), campaign zone, local time, run date, run start (UTC), why
    [
      '2026-12-10T07:00:00Z',
      'Europe/Moscow',
      '10:00',
      '2026-12-10',
      '2026-12-09T20:00:00.000Z',
      '10:00 in UTC+14 is 20:00 UTC the day before',
    ],
    ['2026-12-09T21:30:00Z', 'Europe/Moscow', '10:00', '2026-12-10', '2026-12-09T20:00:00.000Z', '00:30 Moscow is already the 10th there'],
    ['2026-12-09T21:30:00Z', 'UTC', '10:00', '2026-12-09', '2026-12-08T20:00:00.000Z', 'the same instant is the 9th in UTC'],
    [
      '2026-12-10T07:00:00Z',
      'Europe/Moscow',
      '23:30',
      '2026-12-10',
      '2026-12-10T09:30:00.000Z',
      'a late local time starts after the occurrence',
    ],
    ['2026-12-10T07:00:00Z', 'Asia/Vladivostok', '09:15', '2026-12-10', '2026-12-09T19:15:00.000Z', 'minutes kept'],
  ])('%s in %s at %s local: date %s, starts %s (%s)', (occurrence, zone, localTime, date, start, _why) => {
    expect(runDate(new Date(occurrence), zone)).toBe(date);
    const startsAt = runStartAt(new Date(occurrence), zone, localTime);
    expect(startsAt.toISOString()).toBe(start);
    // Before every zone's local time that day: UTC+14 is the earliest, Kamchatka (UTC+12) two hours later.
    expect(startsAt.getTime()).toBeLessThanOrEqual(new Date(`${date}T${localTime}:00+12:00`).getTime() - 2 * 3_600_000);
    expect(new Date(occurrence).getTime() - startsAt.getTime()).toBeLessThan(LOCAL_TIME_MAX_LEAD_MS);
  });

  it('starts a campaign without a local time at its occurrence', () => {
    const at = new Date('2026-12-10T07:00:00Z');
    expect(runStartAt(at, 'Europe/Moscow', null)).toBe(at);
  });

  it('never leads the occurrence by more than LOCAL_TIME_MAX_LEAD_MS', () => {
    // The widest case: the occurrence at the last minute of a day in UTC−12, the local time 00:00.
    const occurrence = new Date('2026-12-11T11:59:00Z'); // 23:59 on the 10th in UTC−12
    const start = runStartAt(occurrence, 'Etc/GMT+12', '00:00');
    expect(start.toISOString()).toBe('2026-12-09T10:00:00.000Z');
    expect(occurrence.getTime() - start.getTime()).toBeLessThan(LOCAL_TIME_MAX_LEAD_MS);
  });
});

describe('campaign schedules', () => {
  it('finds the first Monday of each month at 10:00 Moscow time', () => {
    const first = nextOccurrence('0 10 * * 1#1', 'Europe/Moscow', new Date('2026-11-23T00:00:00Z'));
    expect(first.toISOString()).toBe('2026-12-07T07:00:00.000Z');
    expect(nextOccurrence('0 10 * * 1#1', 'Europe/Moscow', first).toISOString()).toBe('2027-01-04T07:00:00.000Z');
  });

  it('reads the time in the campaign time zone', () => {
    expect(nextOccurrence('0 9 * * *', 'Asia/Vladivostok', new Date('2026-11-23T00:00:00Z')).toISOString()).toBe(
      '2026-11-23T23:00:00.000Z',
    );
  });

  it('explains a bad cron expression', () => {
    expect(cronProblem('0 10 * *', 'Europe/Moscow')).toMatch(/five fields/);
    expect(cronProblem('0 25 * * *', 'Europe/Moscow')).not.toBeNull();
    expect(cronProblem('*/15 * * * *', 'Europe/Moscow')).toBeNull();
  });

  it('gives the first and following run times per schedule kind', () => {
    const now = new Date('2026-11-23T10:00:00Z');
    expect(firstRunAt({ kind: 'now' }, now)).toBe(now);
    expect(firstRunAt({ kind: 'at', at: new Date('2026-12-01T07:00:00Z') }, now).toISOString()).toBe('2026-12-01T07:00:00.000Z');
    expect(firstRunAt({ kind: 'recurring', cron: '0 * * * *', timeZone: 'UTC' }, now).toISOString()).toBe('2026-11-23T11:00:00.000Z');
    expect(followingRunAt('at', null, 'UTC', now)).toBeNull();
    expect(followingRunAt('recurring', '0 * * * *', 'UTC', now)?.toISOString()).toBe('2026-11-23T11:00:00.000Z');
  });

  it.each([
    ['draft', 'schedule', null],
    ['running', 'schedule', /cannot schedule a campaign that is running/],
    ['running', 'pause', null],
    ['paused', 'resume', null],
    ['running', 'resume', /cannot resume/],
    ['completed', 'cancel', /cannot cancel/],
    ['paused', 'cancel', null],
  ] as const)('%s + %s', (status, action, expected) => {
    const problem = transitionProblem(status, action);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});

describe('A/B test', () => {
  const variants = [
    { key: 'A', templateId: 1 },
    { key: 'B', templateId: 2 },
  ];
  it('samples a share of the audience, at least one per variant', () => {
    expect(sampleSize(1000, { samplePercent: 20, variants })).toBe(200);
    expect(sampleSize(3, { samplePercent: 10, variants })).toBe(2);
    expect(sampleSize(1, { samplePercent: 10, variants })).toBe(1);
  });

  it('picks the best rate of the chosen metric, ties to more sends, then the first', () => {
    const results = [
      { key: 'A', sent: 100, opened: 30, clicked: 1 },
      { key: 'B', sent: 100, opened: 20, clicked: 5 },
    ];
    expect(pickWinner(results, 'open')).toBe('A');
    expect(pickWinner(results, 'click')).toBe('B');
    expect(
      pickWinner(
        [
          { key: 'A', sent: 10, opened: 1, clicked: 0 },
          { key: 'B', sent: 20, opened: 2, clicked: 0 },
        ],
        'open',
      ),
    ).toBe('B');
    expect(
      pickWinner(
        [
          { key: 'A', sent: 0, opened: 0, clicked: 0 },
          { key: 'B', sent: 0, opened: 0, clicked: 0 },
        ],
        'open',
      ),
    ).toBe('A');
  });
});
