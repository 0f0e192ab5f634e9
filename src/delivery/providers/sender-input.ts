// The checks of a sender that depend on its channel or span fields. Pure: the service calls it
// with the merged row (stored values plus the edit) and turns the issues into a 400.
import type { FieldIssue } from '../../common/domain-error';
import { normaliseEmail, normalisePhone } from '../../customers/contact-normalise';

export interface SenderFields {
  channel: 'email' | 'sms';
  fromAddress: string;
  replyTo: string | null;
  bounceDomain: string | null;
  feedbackId: string | null;
}

/** An alphanumeric SMS sender name: up to 11 Latin letters, digits and `.-_ ` (what operators register). */
const SMS_SENDER_NAME = /^(?=.*[A-Za-z])[A-Za-z0-9 ._-]{1,11}$/;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i;
const FEEDBACK_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The fields normalised (emails lower-cased, an SMS number in E.164), or the issues naming each bad one. */
export function checkSender<T extends SenderFields>(sender: T): { ok: true; value: T } | { ok: false; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const value = { ...sender };
  if (sender.channel === 'email') {
    const email = normaliseEmail(sender.fromAddress);
    if (email.ok) value.fromAddress = email.value;
    else
      issues.push({
        path: 'fromAddress',
        message: `expected an email address such as news@shop.example (${email.reason.replace(/_/g, ' ')})`,
      });
  } else if (!SMS_SENDER_NAME.test(sender.fromAddress)) {
    const phone = normalisePhone(sender.fromAddress);
    if (phone.ok && !phone.value.extension) value.fromAddress = phone.value.e164;
    else
      issues.push({
        path: 'fromAddress',
        message: 'expected an SMS sender name (up to 11 Latin letters and digits, e.g. MyShop) or a phone number',
      });
  }
  if (sender.replyTo !== null) {
    const email = normaliseEmail(sender.replyTo);
    if (email.ok) value.replyTo = email.value;
    else issues.push({ path: 'replyTo', message: `expected an email address (${email.reason.replace(/_/g, ' ')})` });
  }
  if (sender.bounceDomain !== null) {
    if (DOMAIN.test(sender.bounceDomain)) value.bounceDomain = sender.bounceDomain.toLowerCase();
    else issues.push({ path: 'bounceDomain', message: 'expected a domain name such as bounces.shop.example' });
  }
  if (sender.feedbackId !== null && !FEEDBACK_ID.test(sender.feedbackId)) {
    issues.push({ path: 'feedbackId', message: 'expected up to 64 Latin letters, digits, dots, dashes or underscores' });
  }
  return issues.length ? { ok: false, issues } : { ok: true, value };
}
