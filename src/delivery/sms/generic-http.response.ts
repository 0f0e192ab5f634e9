// Reads a generic gateway's answer with the mapping from its config: accepted (with the
// gateway's message id) or an SmsSendError saying whether to retry.
import type { SmsSendResult } from '../transports/sms-provider';
import type { GenericHttpResponseMapping } from './generic-http.config';
import { bodyExcerpt, failureKindForStatus, parseRetryAfter, type GatewayAnswer } from './http-call';
import { readPath } from './json-path';
import { SmsSendError } from './sms-send-error';

export function interpretGenericAnswer(answer: GatewayAnswer, mapping: GenericHttpResponseMapping, where: string): SmsSendResult {
  const statusOk = mapping.successStatuses ? mapping.successStatuses.includes(answer.status) : answer.status >= 200 && answer.status < 300;
  const error = mapping.errorPath !== undefined ? readPath(answer.json, mapping.errorPath) : undefined;
  const errorText = describeError(answer, mapping, error);

  if (!statusOk) {
    const retryAfterMs = parseRetryAfter(answer.headers.get('retry-after'));
    throw new SmsSendError(failureKindForStatus(answer.status), `${where} answered HTTP ${answer.status}: ${errorText}`, {
      status: answer.status,
      providerCode: isErrorValue(error) ? String(error) : undefined,
      retryAfterMs,
    });
  }
  if (isErrorValue(error)) {
    const kind = mapping.transientErrors.some((value) => String(value) === String(error)) ? 'transient' : 'permanent';
    throw new SmsSendError(kind, `${where} refused the message: ${errorText}`, { status: answer.status, providerCode: String(error) });
  }
  if (mapping.successPath !== undefined && mapping.successValues !== undefined) {
    const value = readPath(answer.json, mapping.successPath);
    if (!mapping.successValues.some((expected) => expected === value)) {
      const found =
        answer.json === undefined
          ? `the answer is not JSON: ${bodyExcerpt(answer.text)}`
          : `${mapping.successPath} is ${JSON.stringify(value) ?? 'missing'}`;
      throw SmsSendError.permanent(`${where} did not confirm the message: ${found}`, { status: answer.status });
    }
  }
  // An accepted message with no readable id is still sent: failing here would send it twice.
  const id = mapping.messageIdPath !== undefined ? readPath(answer.json, mapping.messageIdPath) : undefined;
  return { providerMessageId: typeof id === 'string' || typeof id === 'number' || typeof id === 'bigint' ? String(id) : '' };
}

/** Error fields such as `"error": 0`, `false`, `""` or `null` mean "no error" in many APIs. */
function isErrorValue(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

function describeError(answer: GatewayAnswer, mapping: GenericHttpResponseMapping, error: unknown): string {
  const message = mapping.errorMessagePath !== undefined ? readPath(answer.json, mapping.errorMessagePath) : undefined;
  if (typeof message === 'string' && message !== '') return isErrorValue(error) ? `${String(error)}: ${message}` : message;
  if (isErrorValue(error)) return typeof error === 'string' ? error : JSON.stringify(error);
  return bodyExcerpt(answer.text) || '(empty body)';
}
