// SMS.ru's answer to POST /sms/send with json=1 (https://sms.ru/api/send):
//   {"status":"OK","status_code":100,"sms":{"79255070602":{"status":"OK","status_code":100,"sms_id":"000000-10000000"},
//    "74993221627":{"status":"ERROR","status_code":207,"status_text":"..."}},"balance":4122.56}
// A request-level failure (bad api_id, sender not approved...) is {"status":"ERROR","status_code":200,"status_text":"..."}.
import type { SmsSendResult } from '../transports/sms-provider';
import { bodyExcerpt, failureKindForStatus, parseRetryAfter, type GatewayAnswer } from './http-call';
import { SmsSendError, type SmsFailureKind } from './sms-send-error';

/*
 * SMS.ru status codes worth a retry. The meanings are from SMS.ru's list of API answer codes
 * ("Коды ответов", linked from https://sms.ru/api/send), as also mirrored by public client
 * libraries (SmsRu .NET ResponseOnSendRequest, smsru for Elixir, Python sms.ru clients):
 *   201 not enough money on the account         - a top-up fixes it without changing the message
 *   206 daily sending limit reached             - the limit resets
 *   220 service temporarily unavailable, try a bit later
 *   230 more than 100 messages to this number today - resets tomorrow
 *   231 / 232 same text to this number too often this minute / today
 *   233 too many repeated code messages to this number in a short time (anti-fraud limit)
 *   500 server error, repeat the request
 *   501-506, 508 "limit exceeded" for a short time window (TOR, IP/country mismatch, per country,
 *       per IP, bot-like traffic, calls per 5 minutes)
 * Every other code is permanent: the same request would fail the same way. Among them:
 *   200 wrong api_id, 202 wrong recipient, 203 no text, 204 sender name not approved,
 *   205 longer than 8 SMS, 207 cannot send to this number, 208 bad `time`, 209 number in your
 *   stop list, 210 GET instead of POST, 211 method not found, 212 text not UTF-8, 213 over 5000
 *   numbers, 214 number abroad with "Russia only" set, 215 number in SMS.ru's stop list (spam
 *   complaint), 216 forbidden word, 217 credit ad without the required warning, 221 a letter
 *   sender name is required, 300-302 token/password/unconfirmed account, 507 bad user IP,
 *   550 country blocked; and any code not listed here.
 */
const TRANSIENT_CODES = new Set([201, 206, 220, 230, 231, 232, 233, 500, 501, 502, 503, 504, 505, 506, 508]);

export function smsRuFailureKind(code: number): SmsFailureKind {
  return TRANSIENT_CODES.has(code) ? 'transient' : 'permanent';
}

interface SmsRuResult {
  status?: unknown;
  status_code?: unknown;
  status_text?: unknown;
  sms_id?: unknown;
}

/** `phoneDigits` is the number as sent (E.164 without '+'), the key SMS.ru answers under. */
export function interpretSmsRuAnswer(answer: GatewayAnswer, phoneDigits: string): SmsSendResult {
  if (answer.status < 200 || answer.status >= 300) {
    throw new SmsSendError(
      failureKindForStatus(answer.status),
      `SMS.ru answered HTTP ${answer.status}: ${bodyExcerpt(answer.text) || '(empty body)'}`,
      {
        status: answer.status,
        retryAfterMs: parseRetryAfter(answer.headers.get('retry-after')),
      },
    );
  }
  const body = asObject(answer.json);
  if (body === undefined || (body.status !== 'OK' && body.status !== 'ERROR')) {
    // Not SMS.ru's JSON (a proxy's or maintenance page): nothing says the message was taken.
    throw SmsSendError.transient(`SMS.ru gave an unexpected answer: ${bodyExcerpt(answer.text) || '(empty body)'}`, {
      status: answer.status,
    });
  }
  if (body.status === 'ERROR') throw resultError(body, 'SMS.ru refused the request', answer.status);

  const results = asObject(body.sms) ?? {};
  const entries = Object.entries(results);
  // SMS.ru keys results by the number it was given; accept a lone result under another spelling.
  const result = asObject(results[phoneDigits] ?? (entries.length === 1 ? entries[0][1] : undefined)) as SmsRuResult | undefined;
  if (result === undefined) {
    // The request was accepted; without a result we cannot tell, and a retry could send twice.
    throw SmsSendError.permanent(`SMS.ru accepted the request but returned no result for ${phoneDigits}`, { status: answer.status });
  }
  if (result.status !== 'OK') throw resultError(result, `SMS.ru refused the message to ${phoneDigits}`, answer.status);
  const id = result.sms_id;
  return { providerMessageId: typeof id === 'string' || typeof id === 'number' ? String(id) : '' };
}

function resultError(result: SmsRuResult, prefix: string, status: number): SmsSendError {
  const code = Number(result.status_code);
  const text = typeof result.status_text === 'string' && result.status_text !== '' ? result.status_text : 'no description';
  if (!Number.isInteger(code)) return SmsSendError.permanent(`${prefix}: ${text}`, { status });
  return new SmsSendError(smsRuFailureKind(code), `${prefix}: ${code} ${text}`, { status, providerCode: String(code) });
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
