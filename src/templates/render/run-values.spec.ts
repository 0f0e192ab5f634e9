import { expandRunValues, runValues, usesRunValues } from './run-values';

describe('run values', () => {
  it.each([
    // [instant, zone, locale, expected, why]
    [
      '2026-12-07T07:00:00Z',
      'Europe/Moscow',
      'ru',
      { date: '7 декабря 2026', month: 'декабрь 2026', monthName: 'декабрь', year: '2026', isoDate: '2026-12-07' },
      'Russian: genitive in the date, standalone month, no " г."',
    ],
    [
      '2026-12-07T07:00:00Z',
      'Europe/London',
      'en-GB',
      { date: '7 December 2026', month: 'December 2026', monthName: 'December', year: '2026', isoDate: '2026-12-07' },
      'British English',
    ],
    [
      '2026-12-31T22:30:00Z',
      'Europe/Moscow',
      'ru',
      { date: '1 января 2027', month: 'январь 2027', monthName: 'январь', year: '2027', isoDate: '2027-01-01' },
      'already January in Moscow',
    ],
    [
      '2026-12-31T22:30:00Z',
      'Europe/London',
      'en',
      { date: 'December 31, 2026', month: 'December 2026', monthName: 'December', year: '2026', isoDate: '2026-12-31' },
      'still December in London',
    ],
    ['2027-01-01T04:00:00Z', 'America/New_York', 'en', { month: 'December 2026', isoDate: '2026-12-31' }, 'a zone behind UTC'],
  ])('%s in %s (%s) — %#', (at, zone, locale, expected, _why) => {
    expect(runValues(new Date(at), zone, locale)).toMatchObject(expected);
  });

  it('falls back to the default zone and locale rather than failing a run', () => {
    expect(runValues(new Date('2026-12-07T07:00:00Z'), 'Mars/Olympus', 'ru').month).toBe('декабрь 2026');
  });

  it('expands run placeholders of a default and leaves unknown ones visible', () => {
    const run = runValues(new Date('2026-12-07T07:00:00Z'), 'Europe/Moscow', 'ru');
    expect(expandRunValues('на {{run.month}} ({{ run.isoDate }})', run)).toBe('на декабрь 2026 (2026-12-07)');
    expect(expandRunValues('{{run.nope}}', run)).toBe('{{run.nope}}');
    expect(usesRunValues('{{run.month}}')).toBe(true);
    expect(usesRunValues('{{data.month}}')).toBe(false);
  });
});
