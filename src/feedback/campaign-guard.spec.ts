import { guardVerdict } from './campaign-guard';

const limits = { hardBouncePercent: 5, complaintPercent: 0.1, minSent: 1000 };

describe('guardVerdict', () => {
  it.each([
    ['below the minimum sent, whatever the rate', { sent: 999, hardBounces: 500, complaints: 50 }, null],
    ['exactly at the hard-bounce limit', { sent: 1000, hardBounces: 50, complaints: 0 }, null],
    [
      'past the hard-bounce limit',
      { sent: 1000, hardBounces: 51, complaints: 0 },
      'paused by the campaign guard: hard-bounce rate 5.1% (51 of 1000 sent) passed 5%',
    ],
    ['exactly at the complaint limit', { sent: 2000, hardBounces: 0, complaints: 2 }, null],
    [
      'past the complaint limit',
      { sent: 2000, hardBounces: 0, complaints: 3 },
      'paused by the campaign guard: complaint rate 0.15% (3 of 2000 sent) passed 0.1%',
    ],
    ['healthy', { sent: 100000, hardBounces: 1200, complaints: 30 }, null],
  ])('%s', (_name, stats, expected) => {
    expect(guardVerdict(stats, limits)).toBe(expected);
  });

  it('honours configured limits', () => {
    expect(guardVerdict({ sent: 20, hardBounces: 1, complaints: 0 }, { hardBouncePercent: 4, complaintPercent: 1, minSent: 10 })).toMatch(
      /hard-bounce rate 5%/,
    );
  });
});
