// Amazon SNS message signatures (SES events arrive through SNS): the canonical string SNS
// signs, the check that the signing certificate comes from SNS itself, and the RSA check
// (SignatureVersion 1: SHA1, 2: SHA256). Pure apart from node:crypto.
import { createVerify } from 'node:crypto';

export interface SnsMessage {
  Type: string;
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: string;
  Signature: string;
  SigningCertURL: string;
  Subject?: string;
  SubscribeURL?: string;
  Token?: string;
}

const NOTIFICATION_KEYS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const;
const SUBSCRIPTION_KEYS = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const;

/** Reads an SNS message from a request body; null when it is not one. */
export function parseSnsMessage(body: string): SnsMessage | null {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return null;
  }
  if (!data || typeof data !== 'object') return null;
  const m = data as Record<string, unknown>;
  const required = ['Type', 'MessageId', 'TopicArn', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL'];
  if (!required.every((key) => typeof m[key] === 'string')) return null;
  return m as unknown as SnsMessage;
}

/** The string SNS signs: selected keys and values, each followed by a newline, in this order. */
export function snsStringToSign(message: SnsMessage): string {
  const keys = message.Type === 'Notification' ? NOTIFICATION_KEYS : SUBSCRIPTION_KEYS;
  let out = '';
  for (const key of keys) {
    const value = message[key];
    if (value === undefined) continue;
    out += `${key}\n${value}\n`;
  }
  return out;
}

/** Only certificates served by SNS over HTTPS are trusted (a forged message would name its own). */
export function isSnsCertificateUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === 'https:' &&
      /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.test(parsed.hostname) &&
      parsed.pathname.endsWith('.pem') &&
      !parsed.search
    );
  } catch {
    return false;
  }
}

/** True when the signature verifies against the certificate (or public key) PEM. */
export function verifySnsSignature(message: SnsMessage, certificatePem: string): boolean {
  const algorithm = message.SignatureVersion === '1' ? 'RSA-SHA1' : message.SignatureVersion === '2' ? 'RSA-SHA256' : null;
  if (!algorithm) return false;
  try {
    return createVerify(algorithm).update(snsStringToSign(message), 'utf8').verify(certificatePem, message.Signature, 'base64');
  } catch {
    return false;
  }
}
