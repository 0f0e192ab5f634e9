import {
  DEFAULT_SCORING_CONFIG,
  parseScoringConfig,
  ratingFor,
  RFM_GROUP_NAMES,
  rfmGroupFor,
  ScoringConfigError,
  xyzClassFor,
  type ScoringConfig,
} from './scoring-config';

describe('scoring defaults', () => {
  it('are a valid config', () => {
    expect(parseScoringConfig(JSON.parse(JSON.stringify(DEFAULT_SCORING_CONFIG)))).toEqual(DEFAULT_SCORING_CONFIG);
  });

  it('are frozen', () => {
    expect(() => {
      (DEFAULT_SCORING_CONFIG.abc.shares as { a: number }).a = 0.5;
    }).toThrow(TypeError);
  });

  it('name every one of the 125 RFM cells with one of the documented groups', () => {
    const seen = new Set<string>();
    for (let r = 1; r <= 5; r++)
      for (let f = 1; f <= 5; f++)
        for (let m = 1; m <= 5; m++) {
          const group = rfmGroupFor(r, f, m);
          expect(RFM_GROUP_NAMES).toContain(group);
          seen.add(group);
        }
    // and every documented group is used somewhere on the grid
    expect([...seen].sort()).toEqual([...RFM_GROUP_NAMES].sort());
  });
});

describe('rfmGroupFor (default grid)', () => {
  it.each<[number, number, number, string]>([
    [5, 5, 5, 'champions'],
    [4, 4, 1, 'champions'],
    [5, 3, 2, 'potential_loyalist'],
    [4, 2, 5, 'potential_loyalist'],
    [5, 1, 1, 'new'],
    [3, 3, 3, 'loyal'],
    [3, 5, 1, 'loyal'],
    [3, 2, 5, 'hibernating'],
    [2, 1, 1, 'hibernating'],
    [2, 5, 5, 'cant_lose'],
    [1, 5, 1, 'cant_lose'],
    [2, 3, 3, 'at_risk'],
    [1, 4, 2, 'at_risk'],
    [1, 2, 5, 'lost'],
    [1, 1, 1, 'lost'],
  ])('R%i F%i M%i → %s', (r, f, m, group) => {
    expect(rfmGroupFor(r, f, m)).toBe(group);
  });

  it('takes the first matching rule, honours M ranges and falls back', () => {
    const config: ScoringConfig = {
      ...DEFAULT_SCORING_CONFIG,
      rfm: {
        windowDays: 90,
        fallbackGroup: 'rest',
        groups: [
          { name: 'whales', r: [1, 5], f: [1, 5], m: [5, 5] },
          { name: 'recent', r: [5, 5], f: [1, 5] },
        ],
      },
    };
    expect(rfmGroupFor(5, 1, 5, config)).toBe('whales');
    expect(rfmGroupFor(5, 1, 4, config)).toBe('recent');
    expect(rfmGroupFor(4, 1, 4, config)).toBe('rest');
  });
});

describe('ratingFor', () => {
  it.each<[number, number, number, string]>([
    [5, 5, 5, 'A'],
    [4, 4, 4, 'A'],
    [5, 4, 2, 'B'],
    [3, 3, 3, 'B'],
    [3, 2, 2, 'C'],
    [2, 2, 2, 'C'],
    [2, 1, 2, 'D'],
    [1, 2, 2, 'D'],
    [1, 1, 2, 'E'],
    [1, 1, 1, 'E'],
  ])('R%i F%i M%i → %s', (r, f, m, rating) => {
    expect(ratingFor(r, f, m)).toBe(rating);
  });

  it('uses the weights', () => {
    const config: ScoringConfig = {
      ...DEFAULT_SCORING_CONFIG,
      rating: { ...DEFAULT_SCORING_CONFIG.rating, weights: { r: 0, f: 0, m: 1 } },
    };
    expect(ratingFor(1, 1, 5, config)).toBe('A');
    expect(ratingFor(5, 5, 1, config)).toBe('E');
  });
});

describe('xyzClassFor', () => {
  it.each<[string, number[], string | null]>([
    ['steady every month', Array(12).fill(100), 'X'],
    ['mild variation', [90, 110, 100, 95, 105, 100, 80, 120, 100, 100, 100, 100], 'X'],
    ['every other month (CV 1.0)', [100, 0, 100, 0, 100, 0, 100, 0, 100, 0, 100, 0], 'Z'],
    ['nine months of twelve (CV ≈ 0.58)', [100, 100, 100, 0, 100, 100, 100, 0, 100, 100, 100, 0], 'Y'],
    ['one month only', [1200, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 'Z'],
    ['no revenue', Array(12).fill(0), null],
  ])('%s → %s', (_name, months, expected) => {
    expect(xyzClassFor(months)).toBe(expected);
  });
});

describe('parseScoringConfig', () => {
  const base = () => JSON.parse(JSON.stringify(DEFAULT_SCORING_CONFIG)) as Record<string, Record<string, unknown>>;
  it.each<[string, (c: Record<string, Record<string, unknown>>) => void, string[]]>([
    ['shares not adding up', (c) => (c.abc.shares = { a: 0.8, b: 0.15, c: 0.1 }), ['scoring.abc.shares: shares must add up to 1']],
    ['a zero window', (c) => (c.rfm.windowDays = 0), ['scoring.rfm.windowDays: expected a number ≥ 1']],
    [
      'an out-of-range score',
      (c) => (c.rfm.groups = [{ name: 'x', r: [0, 5], f: [1, 5] }]),
      ['scoring.rfm.groups[0].r[0]: expected a number ≥ 1'],
    ],
    [
      'a reversed range',
      (c) => (c.rfm.groups = [{ name: 'x', r: [5, 1], f: [1, 5] }]),
      ['scoring.rfm.groups[0].r: expected [low, high] with low ≤ high'],
    ],
    [
      'a group name with SQL in it',
      (c) => (c.rfm.groups = [{ name: "x'; DROP TABLE customers; --", r: [1, 5], f: [1, 5] }]),
      ['scoring.rfm.groups[0].name: expected a value matching /^[a-z][a-z0-9_]{0,31}$/'],
    ],
    ['unordered rating thresholds', (c) => (c.rating.min = { A: 2, B: 3, C: 2, D: 1 }), ['scoring.rating.min: expected A ≥ B ≥ C ≥ D']],
    ['X above Y', (c) => (c.xyz = { months: 12, xBelow: 2, yBelow: 1 }), ['scoring.xyz: xBelow must not exceed yBelow']],
    ['an unknown key', (c) => (c.abc.extra = 1), ['scoring.abc: unknown key "extra"']],
  ])('rejects %s', (_name, mutate, errors) => {
    const c = base();
    mutate(c);
    expect(() => parseScoringConfig(c)).toThrow(ScoringConfigError);
    try {
      parseScoringConfig(c);
    } catch (e) {
      expect((e as ScoringConfigError).errors).toEqual(errors);
    }
  });
});
