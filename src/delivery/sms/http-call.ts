// One HTTP call to an SMS gateway through Node's fetch, bounded by a timeout. Whatever goes
// wrong before an answer arrives (refused connection, DNS, reset, timeout) is transient: the
// gateway may be back in a minute. Note the one risk of retrying after a timeout: the gateway
// may have accepted the message before we stopped waiting, so a retry can send it twice.
import { SmsSendError, type SmsFailureKind } from './sms-send-error';

export interface GatewayRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface GatewayAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export async function callGateway(request: GatewayRequest): Promise<GatewayAnswer> {
  const where = describeUrl(request.url);
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: parseJsonBody(text) };
  } catch (error) {
    // Duck-typed, not instanceof: fetch's errors may come from another realm (e.g. under Jest's VM).
    const { name } = (error ?? {}) as { name?: string };
    if (name === 'TimeoutError' || name === 'AbortError')
      throw SmsSendError.transient(`${where}: no answer within ${request.timeoutMs} ms`);
    throw SmsSendError.transient(`${where}: ${networkReason(error)}`);
  }
}

/** A status that is not a success: 429 and 5xx are worth retrying, any other is not. */
export function failureKindForStatus(status: number): SmsFailureKind {
  return status === 429 || status >= 500 ? 'transient' : 'permanent';
}

/** `Retry-After` as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date = new Date()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** Method-less, query-less URL for messages: a query string may carry an API key. */
export function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** A short, single-line excerpt of a body for an error message. */
export function bodyExcerpt(text: string, max = 200): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

function parseJsonBody(text: string): unknown {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

function networkReason(error: unknown): string {
  // undici reports "fetch failed" and keeps the real reason (ECONNREFUSED, ENOTFOUND...) in `cause`.
  const { message, cause } = (error ?? {}) as { message?: string; cause?: { code?: string; message?: string } };
  if (cause?.code) return `network error ${cause.code}`;
  if (cause?.message) return `network error: ${cause.message}`;
  return `network error: ${message ?? String(error)}`;
}
