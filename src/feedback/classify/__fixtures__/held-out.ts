// A held-out-style set written by hand for issue 20: bounces in the layouts of many MTAs and
// replies in Russian and English, each with what a person would answer. The wordings are
// our own (modelled on the MTAs' documented notices), not copied from the shared corpus; they
// were written after the rules, so they check breadth, not blind generalisation — accuracy on
// truly unseen mail is measured apart (docs/guides/feedback-loop.md).
import { dsn, notice, QUOTED, reply, SIGNATURE } from './messages';
import type { BounceReason, ReplyIntent } from '../types';

export interface HeldOutBounce {
  name: string;
  raw: string;
  recipient: string;
  hard: boolean;
  reason: BounceReason;
  /** A temporary or policy failure: calling it hard suppresses a good address. */
  temporaryOrPolicy: boolean;
}

export interface HeldOutReply {
  name: string;
  raw: string;
  intent: ReplyIntent;
  newAddress?: string;
}

const R = 'client.example';

function postfix(rcpt: string, said: string, stage = 'RCPT TO'): string {
  return notice(
    { from: 'MAILER-DAEMON@mx.shop.example (Mail Delivery System)', subject: 'Undelivered Mail Returned to Sender' },
    `This is the mail system at host mx.shop.example.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n                   The mail system\n\n<${rcpt}>: host mx.${R}[192.0.2.10] said: ${said} (in reply to ${stage}\n    command)`,
  );
}

function exim(rcpt: string, lines: string): string {
  return notice(
    {
      from: 'Mail Delivery System <Mailer-Daemon@smtp.relay.example>',
      subject: 'Mail delivery failed: returning message to sender',
      extra: [`X-Failed-Recipients: ${rcpt}`],
    },
    `This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  ${rcpt}\n    ${lines}`,
  );
}

function qmail(rcpt: string, said: string): string {
  return notice(
    { from: `MAILER-DAEMON@mail.${R}`, subject: 'failure notice' },
    `Hi. This is the qmail-send program at mail.${R}.\nI'm afraid I wasn't able to deliver your message to the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\n<${rcpt}>:\n${said}\n\n--- Below this line is a copy of the message.\n\nFrom: Shop <news@shop.example>\nTo: ${rcpt}\nSubject: Spring offer`,
  );
}

function sendmail(rcpt: string, reply: string): string {
  return notice(
    { from: 'Mail Delivery Subsystem <MAILER-DAEMON@relay.shop.example>', subject: 'Returned mail: see transcript for details' },
    `The original message was received at Mon, 7 Dec 2026 10:00:00 +0300\nfrom news.shop.example [192.0.2.4]\n\n   ----- The following addresses had permanent fatal errors -----\n<${rcpt}>\n    (reason: ${reply})\n\n   ----- Transcript of session follows -----\n... while talking to mx.${R}.:\n>>> RCPT To:<${rcpt}>\n<<< ${reply}`,
  );
}

function b(name: string, raw: string, recipient: string, reason: BounceReason, hard: boolean, temporaryOrPolicy = !hard): HeldOutBounce {
  return { name, raw, recipient, reason, hard, temporaryOrPolicy };
}

export const HELD_OUT_BOUNCES: HeldOutBounce[] = [
  b(
    'postfix DSN user unknown',
    dsn({
      recipient: `ann@${R}`,
      status: '5.1.1',
      diagnostic: `550 5.1.1 <ann@${R}>: Recipient address rejected: User unknown in virtual mailbox table`,
    }),
    `ann@${R}`,
    'userunknown',
    true,
  ),
  b(
    'gmail-style account does not exist',
    dsn({
      mta: 'mail-relay.example',
      recipient: `bob@${R}`,
      status: '5.1.1',
      diagnostic:
        "550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address",
    }),
    `bob@${R}`,
    'userunknown',
    true,
  ),
  b(
    'office365 recipient not found',
    dsn({
      mta: 'outbound.protection.example',
      recipient: `carl@${R}`,
      status: '5.1.10',
      diagnostic: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
    }),
    `carl@${R}`,
    'userunknown',
    true,
  ),
  b(
    'no such domain (DSN, x.1.2)',
    dsn({
      recipient: 'dan@nonexistent-domain.example',
      status: '5.1.2',
      diagnostic: null,
      text: 'Host or domain name not found. Name service error for name=nonexistent-domain.example type=MX: Host not found',
    }),
    'dan@nonexistent-domain.example',
    'hostunknown',
    true,
  ),
  b('exim unrouteable domain', exim('eve@typo-domain.example', 'Unrouteable address'), 'eve@typo-domain.example', 'hostunknown', true),
  b('qmail no mailbox', qmail(`fay@${R}`, 'Sorry, no mailbox here by that name. (#5.1.1)'), `fay@${R}`, 'userunknown', true),
  b('sendmail user unknown', sendmail(`gus@${R}`, `550 5.1.1 <gus@${R}>... User unknown`), `gus@${R}`, 'userunknown', true),
  b(
    'yandex-style Russian no such user',
    dsn({
      mta: 'mx.yandex.example',
      recipient: `gena@${R}`,
      status: '5.1.1',
      diagnostic: '550 5.1.1 Sorry, no mailbox here by that name / Нет такого пользователя',
    }),
    `gena@${R}`,
    'userunknown',
    true,
  ),
  b(
    'mailbox full under 5.2.2',
    dsn({ recipient: `hal@${R}`, status: '5.2.2', diagnostic: '552 5.2.2 Mailbox size limit exceeded' }),
    `hal@${R}`,
    'mailboxfull',
    false,
  ),
  b('over quota under 5.1.1', postfix(`ida@${R}`, '550 5.1.1 <ida@' + R + '>: user is over quota'), `ida@${R}`, 'mailboxfull', false),
  b(
    'Russian mailbox full',
    exim(
      `ira@${R}`,
      'host mx.client.example [192.0.2.3]\n    SMTP error from remote mail server after RCPT TO:<ira@client.example>:\n    552 Почтовый ящик получателя переполнен',
    ),
    `ira@${R}`,
    'mailboxfull',
    false,
  ),
  b(
    'account suspended under 5.x.x',
    dsn({ recipient: `jan@${R}`, status: '5.2.1', diagnostic: '550 5.2.1 The account has been suspended for inactivity' }),
    `jan@${R}`,
    'suspend',
    false,
  ),
  b(
    'spam filter after DATA',
    postfix(`kim@${R}`, '550 5.7.1 Message rejected by content filter: looks like bulk advertising', 'end of DATA'),
    `kim@${R}`,
    'filtered',
    false,
  ),
  b(
    'spam detected',
    dsn({ recipient: `lou@${R}`, status: '5.7.1', diagnostic: '554 5.7.1 Your message was identified as spam and was not delivered' }),
    `lou@${R}`,
    'spamdetected',
    false,
  ),
  b(
    'spamhaus listing',
    postfix(`max@${R}`, '554 5.7.1 Service unavailable; Client host [192.0.2.50] blocked using zen.spamhaus.org'),
    `max@${R}`,
    'blocked',
    false,
  ),
  b(
    'policy block',
    dsn({ recipient: `ned@${R}`, status: '5.7.1', diagnostic: '550 5.7.1 Delivery not accepted for policy reasons' }),
    `ned@${R}`,
    'policyviolation',
    false,
  ),
  b(
    'DMARC reject',
    dsn({
      recipient: `ola@${R}`,
      status: '5.7.1',
      diagnostic: "550 5.7.1 Unauthenticated email from shop.example is not accepted due to domain's DMARC policy",
    }),
    `ola@${R}`,
    'authfailure',
    false,
  ),
  b(
    'bad reputation',
    dsn({ recipient: `pam@${R}`, status: '5.7.1', diagnostic: '550 5.7.1 Message rejected due to IP reputation, see postmaster pages' }),
    `pam@${R}`,
    'badreputation',
    false,
  ),
  b(
    'rate limited 4xx',
    dsn({
      recipient: `quin@${R}`,
      action: 'delayed',
      status: '4.7.0',
      diagnostic: '421 4.7.0 Too many connections from your IP, slow down',
    }),
    `quin@${R}`,
    'toomanyconn',
    false,
  ),
  b(
    'message too big',
    exim(
      `ray@${R}`,
      'SMTP error from remote mail server after MAIL FROM:<news@shop.example> SIZE=40000000:\n    552 5.3.4 Message size exceeds fixed maximum message size',
    ),
    `ray@${R}`,
    'mesgtoobig',
    false,
  ),
  b(
    'expired in queue',
    dsn({
      recipient: `sue@${R}`,
      status: '4.4.7',
      diagnostic: null,
      text: 'Delivery to the following recipient has been delayed: message expired after 5 days in the queue',
    }),
    `sue@${R}`,
    'expired',
    false,
  ),
  b(
    'connection timed out',
    dsn({
      recipient: `tom@${R}`,
      action: 'delayed',
      status: '4.4.1',
      diagnostic: null,
      text: 'connect to mx.client.example[192.0.2.20]:25: Connection timed out',
    }),
    `tom@${R}`,
    'expired',
    false,
  ),
  b(
    'bare 5.0.0, vague',
    dsn({ recipient: `uma@${R}`, status: '5.0.0', diagnostic: '550 5.0.0 Requested action not taken' }),
    `uma@${R}`,
    'undefined',
    false,
  ),
  b('relay denied', postfix(`vic@${R}`, '554 5.7.1 <vic@' + R + '>: Relay access denied'), `vic@${R}`, 'norelaying', false),
  b(
    'sender rejected at MAIL FROM',
    postfix(`wes@${R}`, '553 5.1.8 <news@shop.example>: Sender address rejected: Domain not found', 'MAIL FROM'),
    `wes@${R}`,
    'rejected',
    false,
  ),
  b(
    'system error',
    dsn({ recipient: `xia@${R}`, status: '5.3.0', diagnostic: '554 5.3.0 Internal server error, contact the administrator' }),
    `xia@${R}`,
    'systemerror',
    false,
  ),
  b(
    'mailman list notice, list address ignored',
    notice(
      { from: 'club-bounces@lists.club.example', subject: 'Delivery failure', extra: ['Auto-Submitted: auto-replied'] },
      'The following addresses had permanent fatal errors:\n<yan@gone.example>\n   (reason: 550 5.1.1 No such user)\n\nSent to list club@lists.club.example by club-owner@lists.club.example',
    ),
    'yan@gone.example',
    'userunknown',
    true,
  ),
  b(
    'escaped inner address',
    sendmail('"postmaster\\@old.example"@old.example', '550 5.1.1 User unknown'),
    'postmaster@old.example',
    'userunknown',
    true,
  ),
  b(
    'lotus notes not listed',
    notice(
      { from: 'Postmaster@notes.client.example', subject: 'DELIVERY FAILURE: User zoe not listed in Domino Directory' },
      'Your message\n\n  Subject: Spring offer\n\nwas not delivered to:\n\n  zoe@notes.client.example\n\nbecause:\n\n  User zoe (zoe@notes.client.example) not listed in Domino Directory',
    ),
    'zoe@notes.client.example',
    'userunknown',
    true,
  ),
  b(
    'exchange 2003 style, mailbox full',
    notice(
      { from: 'System Administrator <postmaster@corp.client.example>', subject: 'Undeliverable: Spring offer' },
      'Your message did not reach some or all of the intended recipients.\n\nThe following recipient(s) could not be reached:\n\n      Abe Kane on 12/7/2026 10:01 AM\n            <mx.corp.client.example #5.2.2 smtp;552 5.2.2 <abe.kane@corp.client.example>... Mailbox full>',
    ),
    'abe.kane@corp.client.example',
    'mailboxfull',
    false,
  ),
  b(
    'greylisted under 5.x.x',
    postfix(`bea@${R}`, '550 5.0.0 <bea@' + R + '>: Recipient address rejected: greylisted, please try again later'),
    `bea@${R}`,
    'systemerror',
    false,
  ),
];

function r(name: string, body: string, intent: ReplyIntent, style: 'en' | 'ru' | 'outlook', newAddress?: string): HeldOutReply {
  const signature = style === 'ru' ? SIGNATURE.ru : style === 'en' ? SIGNATURE.en : SIGNATURE.dashes;
  return {
    name,
    raw: reply({ from: 'person@buyer.example', body, quoted: QUOTED[style], signature }),
    intent,
    ...(newAddress ? { newAddress } : {}),
  };
}

export const HELD_OUT_REPLIES: HeldOutReply[] = [
  r('ru price polite', 'Здравствуйте! Подскажите, пожалуйста, стоимость поставки 200 штук в Казань.', 'lead', 'ru'),
  r('ru price curt', 'Прайс скиньте.', 'lead', 'ru'),
  r('ru price "send the price"', 'Пришлите, пожалуйста, цены на весь ассортимент.', 'lead', 'ru'),
  r('ru could you send', 'Не могли бы вы отправить коммерческое предложение на наш адрес?', 'lead', 'ru'),
  r('ru invoice', 'Выставите, пожалуйста, счёт на ООО «Ромашка».', 'lead', 'ru'),
  r('ru invoice curt', 'Жду счет.', 'lead', 'outlook'),
  r('ru meeting', 'Можем встретиться в четверг у вас в офисе?', 'lead', 'ru'),
  r('ru want to buy', 'Хотим закупить партию к новому сезону, что по срокам?', 'lead', 'ru'),
  r('en price polite', 'Could you kindly share your pricing for 50 licences?', 'lead', 'en'),
  r('en price curt', 'Price for 100 units?', 'lead', 'en'),
  r('en quote', 'Please send us a quote for the blue model.', 'lead', 'outlook'),
  r('en meeting', 'Are you available for a call on Thursday?', 'lead', 'en'),
  r('en invoice', 'Can I get an invoice for last month?', 'lead', 'en'),
  r('ru complaint delivery', 'Посылка так и не пришла, трек не обновляется неделю.', 'complaint', 'ru'),
  r('ru complaint quality', 'Товар бракованный, шов разошёлся.', 'complaint', 'ru'),
  r('ru complaint billing', 'Вы выставили счёт больше, чем в договоре — ошибка в счёте.', 'complaint', 'outlook'),
  r('en complaint delivery', 'The package never arrived. Where is my order?', 'complaint', 'en'),
  r('en complaint quality', 'Terrible quality, the handle broke on day one.', 'complaint', 'en'),
  r('en complaint billing', 'I was overcharged on the last invoice.', 'complaint', 'outlook'),
  r('ru stop curt', 'Не пишите мне больше.', 'unsubscribe', 'ru'),
  r('ru stop polite', 'Прошу исключить меня из списка рассылки.', 'unsubscribe', 'ru'),
  r('en stop curt', 'unsubscribe', 'unsubscribe', 'en'),
  r('en stop polite', 'Please remove me from your mailing list, thanks.', 'unsubscribe', 'outlook'),
  r('ru new address', 'Теперь мой адрес n.smirnova@newco.example, пишите туда.', 'address_change', 'ru', 'n.smirnova@newco.example'),
  r(
    'ru left company',
    'Олег больше не работает в компании, по всем вопросам пишите на zakupki@buyer.example',
    'address_change',
    'ru',
    'zakupki@buyer.example',
  ),
  r('en moved', 'We have moved to a new mailbox: orders@buyer-new.example', 'address_change', 'en', 'orders@buyer-new.example'),
  r(
    'en left',
    'Jane is no longer with the company. Please contact sales@buyer.example instead.',
    'address_change',
    'outlook',
    'sales@buyer.example',
  ),
  r('ru thanks', 'Спасибо, всё получили, всё хорошо.', 'other', 'ru'),
  r('en thanks', 'Got it, thank you!', 'other', 'en'),
  r('en ooo-like note from a person', 'I will read this when I am back from holiday.', 'other', 'outlook'),
];
