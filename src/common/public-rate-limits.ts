// The routes anyone can reach without an API key or a session, and how each is kept from
// being flooded. Limits are per client address (request.ip: the proxy's X-Forwarded-For only
// from loopback, see app.factory.ts), per API process, in fixed one-minute windows.
//
//   /webhooks/*            WEBHOOK_RATE_LIMIT_PER_MINUTE (default 6000), here. Providers post in
//                          bursts from few addresses (a campaign's bounces, SendGrid's batches)
//                          and retry a 429, so the limit only stops a flood.
//   /consent/confirm/*     CONSENT_CONFIRMS_PER_MINUTE, here: double opt-in links, one click each.
//   /o /c /u /p /v         tracking.service.ts: hits recorded per client and per message, bad
//                          tokens and pages per client (429 with Retry-After).
//   POST /admin/login      admin-auth.controller.ts: attempts per client and per account.
//   /health                none: orchestrators and load balancers poll it and must never see a
//                          429; it answers from a ping of PostgreSQL and Redis.
//   GET /images/<sha256>.<ext>
//                          none: mail clients and their image proxies (Gmail's, Outlook's) fetch a
//                          campaign's images in bursts from few addresses, and a 429 would break
//                          the email; each answer is one indexed read, cached for a year after.
//   /docs                  none: the OpenAPI page and JSON are built once at start and served
//                          from memory.
//   /admin/assets, GET /admin/login
//                          none: constant pages from memory; every other /admin page needs a
//                          session and redirects to the login page without one.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { RateLimiter } from './rate-limiter';

export const CONSENT_CONFIRMS_PER_MINUTE = 60;
const MINUTE_MS = 60_000;

export interface PublicRateLimit {
  /** Path prefix the limit covers. */
  path: string;
  limiter: RateLimiter;
}

export function publicRateLimits(config: { WEBHOOK_RATE_LIMIT_PER_MINUTE: number }): PublicRateLimit[] {
  return [
    { path: '/webhooks', limiter: new RateLimiter(config.WEBHOOK_RATE_LIMIT_PER_MINUTE, MINUTE_MS) },
    { path: '/consent/confirm', limiter: new RateLimiter(CONSENT_CONFIRMS_PER_MINUTE, MINUTE_MS) },
  ];
}

/**
 * Counts each request against the client's address; over the limit, answers 429 with
 * Retry-After before the body is read. JSON for API clients (providers), a short page for
 * browsers.
 */
export function clientRateLimit({ path, limiter }: PublicRateLimit): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const now = Date.now();
    if (limiter.allow(request.ip ?? 'unknown', now)) return next();
    const retryAfter = limiter.retryAfterSeconds(now);
    const message = `Too many requests to ${path} from this address: the limit is ${limiter.limit} a minute; retry after ${retryAfter} s`;
    response.status(429).set({ 'retry-after': String(retryAfter), 'cache-control': 'no-store' });
    if (request.accepts(['json', 'html']) === 'html') {
      response
        .type('html')
        .send(`<!doctype html><meta charset="utf-8"><title>429</title><p>Слишком много запросов: подождите минуту.</p><p>${message}.</p>`);
    } else {
      response.json({ error: 'too_many_requests', message });
    }
  };
}
