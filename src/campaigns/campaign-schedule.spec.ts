import { cronProblem, firstRunAt, followingRunAt, nextOccurrence, transitionProblem } from './campaign-schedule';
import { pickWinner, sampleSize } from './ab-test';

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
