// Errors a job handler throws to steer the queue instead of failing the job. Plain classes
// with no BullMQ import, so services that throw them stay free of the queue library.

/** Pause every worker of this job's queue for `pauseMs`; the job is retried without spending an attempt. */
export class LanePausedError extends Error {
  constructor(
    readonly pauseMs: number,
    reason: string,
  ) {
    super(`lane paused for ${pauseMs} ms: ${reason}`);
    this.name = 'LanePausedError';
  }
}

/** Run this job again at `until` (quiet hours, a rate window) without spending an attempt. */
export class JobDelayedError extends Error {
  constructor(
    readonly until: Date,
    reason: string,
  ) {
    super(`delayed until ${until.toISOString()}: ${reason}`);
    this.name = 'JobDelayedError';
  }
}
