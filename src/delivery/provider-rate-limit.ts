// A provider's sending limits (messages per second and per hour, from its Provider row or, for
// the relay of SMTP_URL, from SMTP_MAX_PER_SECOND / SMTP_MAX_PER_HOUR). Counted in fixed windows
// shared by every worker (a Redis counter per window); a message over the limit waits for the
// next window without spending an attempt. Pure: the counting is passed in.

export interface RateLimits {
  perSecond: number | null;
  perHour: number | null;
}

/** Adds one to the counter `key`, which lives `ttlMs`; resolves to the new count. */
export type WindowCounter = (key: string, ttlMs: number) => Promise<number>;

const WINDOWS = [
  { name: 'second', ms: 1000, limit: (l: RateLimits) => l.perSecond },
  { name: 'hour', ms: 3_600_000, limit: (l: RateLimits) => l.perHour },
] as const;

export function hasLimits(limits: RateLimits | null | undefined): limits is RateLimits {
  return !!limits && (limits.perSecond !== null || limits.perHour !== null);
}

/**
 * Takes one send from each window of `limits` for transport `key`. Returns null when the send
 * may go now, or the moment the exhausted window ends. The second is asked first, so sends
 * turned away by a busy second are not also counted against the hour.
 */
export async function reserveSend(
  count: WindowCounter,
  key: string,
  limits: RateLimits,
  now = Date.now(),
): Promise<{ until: Date; reason: string } | null> {
  for (const window of WINDOWS) {
    const limit = window.limit(limits);
    if (limit === null) continue;
    const index = Math.floor(now / window.ms);
    const used = await count(`rate:${key}:${window.name}:${index}`, window.ms * 2);
    if (used > limit)
      return { until: new Date((index + 1) * window.ms), reason: `provider limit of ${limit} messages per ${window.name} reached` };
  }
  return null;
}
