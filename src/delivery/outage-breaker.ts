// Counts consecutive failures that are not the message's fault (connection refused, timeouts,
// 4xx greylisting on every message). Past a threshold the lane pauses instead of spending the
// audience's retry attempts; each further trip doubles the pause, up to a ceiling. One success
// closes it again. A sender-side failure (our relay refusing our account or connection: see
// smtp/smtp-errors.ts) trips it at once: it will not heal by itself, so there is nothing to
// count. Pure: the worker owns one per transport.

export interface BreakerSettings {
  threshold: number;
  firstPauseMs: number;
  maxPauseMs: number;
}

export const DEFAULT_BREAKER: BreakerSettings = { threshold: 8, firstPauseMs: 5_000, maxPauseMs: 300_000 };

export class OutageBreaker {
  private consecutive = 0;
  private trips = 0;
  private pausedUntil = 0;

  constructor(private readonly settings: BreakerSettings = DEFAULT_BREAKER) {}

  recordSuccess(): void {
    this.consecutive = 0;
    this.trips = 0;
  }

  /**
   * Returns how long the lane should pause, or 0 to just retry this message. Failures of
   * messages that were already in flight when the lane paused extend nothing: they report the
   * pause still running.
   */
  recordFailure(now = Date.now()): number {
    if (now < this.pausedUntil) return this.pausedUntil - now;
    this.consecutive++;
    if (this.consecutive < this.settings.threshold) return 0;
    return this.trip(now);
  }

  /**
   * A failure that repeats for every message until someone fixes the relay: pauses at once,
   * doubling like any trip. Returns how long (the pause still running, if there is one).
   */
  recordSenderFault(now = Date.now()): number {
    if (now < this.pausedUntil) return this.pausedUntil - now;
    return this.trip(now);
  }

  private trip(now: number): number {
    this.consecutive = 0;
    const pause = Math.min(this.settings.firstPauseMs * 2 ** this.trips, this.settings.maxPauseMs);
    this.trips++;
    this.pausedUntil = now + pause;
    return pause;
  }
}
