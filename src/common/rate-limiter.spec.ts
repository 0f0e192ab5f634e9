import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows the limit per key per window, then refuses until the next window', () => {
    const limiter = new RateLimiter(3, 60_000);
    const t0 = 120_000;
    expect([1, 2, 3, 4].map(() => limiter.allow('a', t0))).toEqual([true, true, true, false]);
    expect(limiter.allow('b', t0 + 10)).toBe(true); // other keys have their own count
    expect(limiter.retryAfterSeconds(t0 + 30_000)).toBe(30);
    expect(limiter.allow('a', t0 + 59_999)).toBe(false);
    expect(limiter.allow('a', t0 + 60_000)).toBe(true);
  });

  it('refuses new keys past its capacity, keeps serving known ones', () => {
    const limiter = new RateLimiter(10, 1000, 2);
    expect(limiter.allow('a', 0)).toBe(true);
    expect(limiter.allow('b', 0)).toBe(true);
    expect(limiter.allow('c', 0)).toBe(false);
    expect(limiter.allow('a', 0)).toBe(true);
    expect(limiter.allow('c', 1000)).toBe(true); // a new window forgets the old keys
  });

  it('a limit of 0 refuses everything', () => {
    expect(new RateLimiter(0, 1000).allow('a', 0)).toBe(false);
  });
});
