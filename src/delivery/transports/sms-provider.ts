// The SMS channel behind a small interface; `capture` stores messages in the outbox.

export interface OutgoingSms {
  from?: string;
  to: string; // E.164
  text: string;
  otklikMessageId?: bigint;
}

export interface SmsSendResult {
  providerMessageId: string;
}

export interface SmsProvider {
  readonly name: string;
  send(sms: OutgoingSms): Promise<SmsSendResult>;
}

export const SMS_PROVIDER = Symbol('SMS_PROVIDER');
