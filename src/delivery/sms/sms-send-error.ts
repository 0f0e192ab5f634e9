// Why an SMS was not accepted, in the one form the delivery worker needs: retry it later
// (`transient`) or mark the message failed now (`permanent`). Providers throw nothing else
// for a send that reached (or tried to reach) the gateway.

export type SmsFailureKind = 'transient' | 'permanent';

export class SmsSendError extends Error {
  constructor(
    readonly kind: SmsFailureKind,
    message: string,
    readonly details: {
      /** HTTP status of the gateway's answer, when there was one. */
      status?: number;
      /** The gateway's own error code (e.g. SMS.ru `status_code`), as text. */
      providerCode?: string;
      /** From a `Retry-After` header: the gateway asked us to wait this long. */
      retryAfterMs?: number;
    } = {},
  ) {
    super(message);
    this.name = 'SmsSendError';
  }

  get status(): number | undefined {
    return this.details.status;
  }

  get providerCode(): string | undefined {
    return this.details.providerCode;
  }

  get retryAfterMs(): number | undefined {
    return this.details.retryAfterMs;
  }

  static transient(message: string, details?: SmsSendError['details']): SmsSendError {
    return new SmsSendError('transient', message, details);
  }

  static permanent(message: string, details?: SmsSendError['details']): SmsSendError {
    return new SmsSendError('permanent', message, details);
  }
}
