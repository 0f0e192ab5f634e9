import { progressLine } from './progress-line';

const base = { bytesRead: 0, totalBytes: 1000, rows: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, elapsedMs: 0 };

describe('progressLine', () => {
  it.each([
    [base, '[------------------------]   0%  0 rows  new 0, updated 0, unchanged 0, rejected 0'],
    [
      { ...base, bytesRead: 500, rows: 50_000, inserted: 49_990, rejected: 10, elapsedMs: 2000 },
      '[############------------]  50%  50,000 rows  25,000 rows/s  new 49,990, updated 0, unchanged 0, rejected 10',
    ],
    [
      { ...base, bytesRead: 1000, rows: 10, updated: 4, unchanged: 6, elapsedMs: 100 },
      '[########################] 100%  10 rows  100 rows/s  new 0, updated 4, unchanged 6, rejected 0',
    ],
    [{ ...base, totalBytes: null, rows: 3, inserted: 3, elapsedMs: 1000 }, '3 rows  3 rows/s  new 3, updated 0, unchanged 0, rejected 0'],
  ])('%p', (state, line) => {
    expect(progressLine(state)).toBe(line);
  });
});
