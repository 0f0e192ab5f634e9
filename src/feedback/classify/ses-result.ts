// Amazon SES event notifications mapped to a Classification.
import { findVerpValue } from '../../common/mail-ids';
import { ownValue } from '../../common/own-value';
import { cleanMessageId } from './addresses';
import { findCommand, pickStatus } from './bounce-text';
import { findReplyCode } from './dsn';
import type { MessageView } from './message-view';
import { isHardReason, judgeBounce } from './reason';
import { newResult } from './result';
import type { SesNotification } from './ses-notification';
import type { BounceReason, Classification, MessageKind } from './types';

const SES_SUBTYPE_REASON: Record<string, BounceReason> = {
  noemail: 'userunknown',
  mailboxfull: 'mailboxfull',
  messagetoolarge: 'mesgtoobig',
  contentrejected: 'contenterror',
  attachmentrejected: 'policyviolation',
};

export function fromSes(view: MessageView, ses: SesNotification): Classification {
  const kind: MessageKind = ses.type === 'bounce' ? 'bounce' : ses.type === 'complaint' ? 'complaint' : 'delivered';
  const result = newResult(view, kind, false);
  const header = (name: string): string | null => ses.headers.find((h) => h.name.toLowerCase() === name)?.value ?? null;
  result.correlation.originalMessageId = cleanMessageId(header('message-id')) ?? result.correlation.originalMessageId;
  result.correlation.otklikMessageId =
    cleanMessageId(header('x-otklik-message') ?? header('x-otklik-message-id')) ?? result.correlation.otklikMessageId;
  const verp = findVerpValue(header('return-path') ?? '');
  if (verp) result.correlation.verpMessageId = verp;
  result.feedbackType = ses.feedbackType;
  result.recipients = ses.recipients.map((r) => {
    if (ses.type === 'complaint') {
      return {
        address: r.address,
        status: null,
        replyCode: null,
        diagnostic: null,
        hard: false,
        reason: 'feedback',
        action: null,
        command: null,
        feedbackType: ses.feedbackType,
      };
    }
    const replyCode = findReplyCode(r.diagnostic);
    if (ses.type === 'delivery') {
      return {
        address: r.address,
        status: r.status,
        replyCode,
        diagnostic: r.diagnostic,
        hard: false,
        reason: 'delivered',
        action: 'delivered',
        command: null,
        feedbackType: null,
      };
    }
    const status = pickStatus(r.diagnostic) ?? r.status;
    const judged = judgeBounce({ diagnostic: r.diagnostic, status, replyCode, command: findCommand(r.diagnostic), action: r.action });
    let { reason, evidence } = judged;
    const bySubtype = ownValue(SES_SUBTYPE_REASON, (ses.bounceSubType ?? '').toLowerCase());
    if ((reason === 'undefined' || reason === 'onhold') && bySubtype) {
      reason = bySubtype;
      evidence = { ...evidence, rule: `ses:bounceSubType-${reason}` };
    }
    const hard = (judged.reason === reason ? judged.hard : isHardReason(reason, status)) && ses.bounceType !== 'Transient';
    return {
      address: r.address,
      status,
      replyCode,
      diagnostic: r.diagnostic,
      hard,
      reason,
      action: r.action,
      command: null,
      feedbackType: null,
      evidence,
    };
  });
  return result;
}
