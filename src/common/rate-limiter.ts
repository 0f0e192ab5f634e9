// A fixed-window counter per key (client IP, message id) for the public routes. In memory, per
// API process: several API processes each allow the limit, which is fine for abuse control
// (the point is that one client cannot flood the event table or guess tokens). The map is
// swept each window, so memory stays bounded by the clients of one window, and capped. Pure.

export class RateLimiter {
  private windowStart = 0;
  private counts = new Map<string, number>();

  /**
   * @param limit hits allowed per key per window
   * @param windowMs the window length
   * @param maxKeys keys tracked at once; past it new keys are refused (a flood from many addresses)
   */
  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Counts a hit; false when the key is over its limit in the current window. */
  allow(key: string, now = Date.now()): boolean {
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now - (now % this.windowMs);
      this.counts = new Map();
    }
    const count = this.counts.get(key);
    if (count === undefined) {
      if (this.counts.size >= this.maxKeys) return false;
      this.counts.set(key, 1);
      return this.limit >= 1;
    }
    if (count >= this.limit) return false;
    this.counts.set(key, count + 1);
    return true;
  }

  /** Seconds until the current window ends: the Retry-After of a refused request. */
  retryAfterSeconds(now = Date.now()): number {
    return Math.max(1, Math.ceil((this.windowStart + this.windowMs - now) / 1000));
  }
}
