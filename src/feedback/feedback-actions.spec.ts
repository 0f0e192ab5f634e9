import type { Classification, RecipientResult } from './classify';
import { headerMessageId, mailIdMac, otklikHeader, verpAddress } from '../common/mail-ids';
import {
  actionFromStored,
  messageRefs,
  planActions,
  softBouncesSuppress,
  MAX_WITHHELD_LISTED,
  storedAction,
  withholdUnproven,
  type FeedbackAction,
  type Target,
} from './feedback-actions';

const keys = 'test-key-'.padEnd(40, 'k');

function classification(overrides: Partial<Classification>): Classification {
  return {
    kind: 'reply',
    recipients: [],
    feedbackType: null,
    correlation: { verpMessageId: null, otklikMessageId: null, originalMessageId: null, references: [] },
    intent: null,
    newAddress: null,
    replyText: null,
    from: 'ivan@mail.example',
    subject: 'Re: November prices',
    truncated: false,
    ...overrides,
  };
}

function recipient(overrides: Partial<RecipientResult>): RecipientResult {
  return {
    address: 'ivan@mail.example',
    status: '5.1.1',
    replyCode: '550',
    diagnostic: 'user unknown',
    hard: true,
    reason: 'userunknown',
    action: 'failed',
    command: null,
    feedbackType: null,
    ...overrides,
  };
}

const target = (address: string | null): Target => ({ address, channel: 'email', customerId: 7, messageId: 42n, campaignId: 3 });

function plan(c: Partial<Classification>, mailbox: 'bounce' | 'unsubscribe' | 'reply' | null = null) {
  return planActions({ classification: classification(c), mailbox, targetFor: target }).map((a) => a.type);
}

describe('planActions', () => {
  it.each([
    ['a hard bounce', { kind: 'bounce' as const, recipients: [recipient({})] }, ['hard_bounce']],
    [
      'a soft bounce',
      { kind: 'bounce' as const, recipients: [recipient({ hard: false, reason: 'mailboxfull', status: '4.2.2' })] },
      ['soft_bounce'],
    ],
    [
      'a spam block is soft',
      { kind: 'bounce' as const, recipients: [recipient({ hard: false, reason: 'blocked', status: '5.7.1' })] },
      ['soft_bounce'],
    ],
    [
      'a delay warning is no bounce',
      { kind: 'bounce' as const, recipients: [recipient({ hard: false, reason: 'expired', action: 'delayed' })] },
      ['note'],
    ],
    ['a bounce naming no recipient', { kind: 'bounce' as const, recipients: [] }, ['soft_bounce']],
    [
      'two recipients',
      { kind: 'bounce' as const, recipients: [recipient({}), recipient({ address: 'b@x.example', hard: false, reason: 'mailboxfull' })] },
      ['hard_bounce', 'soft_bounce'],
    ],
    [
      'a delivery report',
      { kind: 'delivered' as const, recipients: [recipient({ hard: false, reason: 'delivered', action: 'delivered' })] },
      ['delivered'],
    ],
    [
      'an ARF complaint',
      { kind: 'complaint' as const, feedbackType: 'abuse', recipients: [recipient({ hard: false, reason: 'feedback' })] },
      ['complaint'],
    ],
    ['an out-of-office reply', { kind: 'autoreply' as const }, ['note']],
    [
      'an auto-reply naming a new address',
      { kind: 'autoreply' as const, intent: 'address_change' as const, newAddress: 'new@mail.example' },
      ['address_change'],
    ],
    ['a lead', { intent: 'lead' as const, replyText: 'пришлите цену' }, ['lead']],
    ['a reclamation', { intent: 'complaint' as const, replyText: 'товар пришёл битым' }, ['reclamation']],
    ['an unsubscribe request', { intent: 'unsubscribe' as const }, ['unsubscribe']],
    ['an address change', { intent: 'address_change' as const, newAddress: 'new@mail.example' }, ['address_change']],
    ['an address change without the address', { intent: 'address_change' as const }, ['note']],
    ['any other reply', { intent: 'other' as const }, ['note']],
  ])('%s', (_name, c, expected) => {
    expect(plan(c)).toEqual(expected);
  });

  it('treats anything sent to the unsubscribe mailbox as an unsubscribe request', () => {
    expect(plan({ kind: 'autoreply' }, 'unsubscribe')).toEqual(['unsubscribe']);
  });

  it('keeps the text of a lead with its target', () => {
    const [action] = planActions({
      classification: classification({ intent: 'lead', replyText: 'нужна цена на 20 шт' }),
      mailbox: 'reply',
      targetFor: target,
    });
    expect(action).toEqual({
      type: 'lead',
      target: target('ivan@mail.example'),
      from: 'ivan@mail.example',
      subject: 'Re: November prices',
      text: 'нужна цена на 20 шт',
    });
  });
});

describe('softBouncesSuppress', () => {
  it.each([
    [2, 3, false],
    [3, 3, true],
    [4, 3, true],
  ])('%i of limit %i → %s', (count, limit, expected) => {
    expect(softBouncesSuppress(count, limit)).toBe(expected);
  });
});

describe('messageRefs', () => {
  const verp = (id: bigint) => verpAddress(keys, 'b.example', id).slice('bounces+'.length).split('@')[0];
  it('orders the envelope first, then VERP, our header and our Message-IDs; other ids go to header lookup', () => {
    const c = classification({
      correlation: {
        verpMessageId: verp(12n),
        otklikMessageId: otklikHeader(keys, 13n),
        originalMessageId: headerMessageId(keys, 'b.example', 14n),
        references: ['abc@elsewhere', headerMessageId(keys, 'b.example', 12n)],
      },
    });
    expect(messageRefs(c, 11n, keys)).toEqual({ ids: [11n, 12n, 13n, 14n], headerIds: ['abc@elsewhere'] });
  });

  it('takes no id without its MAC: bare, guessed or borrowed ids prove nothing', () => {
    const c = classification({
      correlation: {
        verpMessageId: '12',
        otklikMessageId: '13',
        originalMessageId: 'otk.14@bounces.shop.example',
        references: [`otk.15.${mailIdMac(keys, 'message', 16n)}@b.example`],
      },
    });
    expect(messageRefs(c, null, keys)).toEqual({ ids: [], headerIds: [] });
  });

  it('takes bare ids from an authenticated provider event', () => {
    const c = classification({
      correlation: { verpMessageId: '12', otklikMessageId: '13', originalMessageId: 'otk.14@bounces.shop.example', references: [] },
    });
    expect(messageRefs(c, null, keys, true)).toEqual({ ids: [12n, 13n, 14n], headerIds: [] });
  });

  it('ignores ids that are not numbers or do not fit a bigint', () => {
    const c = classification({
      correlation: { verpMessageId: '99999999999999999999', otklikMessageId: 'x1', originalMessageId: null, references: [] },
    });
    expect(messageRefs(c, null, keys, true)).toEqual({ ids: [], headerIds: [] });
  });
});

describe('withholdUnproven', () => {
  const ofMessage = target('ivan@mail.example');
  const stranger: Target = { address: 'victim@mail.example', channel: 'email', customerId: 9, messageId: null, campaignId: null };
  const bounce = (t: Target): FeedbackAction => ({ type: 'hard_bounce', target: t, recipient: recipient({}) });
  const kinds = (actions: FeedbackAction[]) => actions.map((a) => (a.type === 'withheld' ? `withheld ${a.action.type}` : a.type));

  it.each([
    ['a bounce of the proven message', [bounce(ofMessage)], { correlated: true, fromIsRecipient: false }, ['hard_bounce']],
    ['an uncorrelated bounce', [bounce(stranger)], { correlated: false, fromIsRecipient: false }, ['withheld hard_bounce']],
    [
      'a second recipient named in a proven report',
      [bounce(ofMessage), bounce(stranger)],
      { correlated: true, fromIsRecipient: false },
      ['hard_bounce', 'withheld hard_bounce'],
    ],
    [
      'an uncorrelated complaint',
      [{ type: 'complaint', target: stranger, feedbackType: 'abuse' } as FeedbackAction],
      { correlated: false, fromIsRecipient: false },
      ['withheld complaint'],
    ],
    [
      'a stop reply quoting our message from its recipient',
      [{ type: 'unsubscribe', target: ofMessage, via: 'reply' } as FeedbackAction],
      { correlated: true, fromIsRecipient: true },
      ['unsubscribe'],
    ],
    [
      'a stop reply from someone else',
      [{ type: 'unsubscribe', target: ofMessage, via: 'reply' } as FeedbackAction],
      { correlated: true, fromIsRecipient: false },
      ['withheld unsubscribe'],
    ],
    [
      'an uncorrelated stop reply',
      [{ type: 'unsubscribe', target: stranger, via: 'reply' } as FeedbackAction],
      { correlated: false, fromIsRecipient: false },
      ['withheld unsubscribe'],
    ],
    [
      'an uncorrelated reclamation',
      [{ type: 'reclamation', target: stranger, text: 'брак' } as FeedbackAction],
      { correlated: false, fromIsRecipient: false },
      ['withheld reclamation'],
    ],
    [
      'a reclamation quoting our message from someone else',
      [{ type: 'reclamation', target: ofMessage, text: 'брак' } as FeedbackAction],
      { correlated: true, fromIsRecipient: false },
      ['withheld reclamation'],
    ],
    [
      'a reclamation from the recipient of the message it quotes',
      [{ type: 'reclamation', target: ofMessage, text: 'брак' } as FeedbackAction],
      { correlated: true, fromIsRecipient: true },
      ['reclamation'],
    ],
    [
      'mail to a proven unsubscribe mailbox',
      [{ type: 'unsubscribe', target: ofMessage, via: 'list_unsubscribe' } as FeedbackAction],
      { correlated: true, fromIsRecipient: false },
      ['unsubscribe'],
    ],
    [
      'an SMS stop',
      [{ type: 'unsubscribe', target: stranger, via: 'sms_stop' } as FeedbackAction],
      { correlated: false, fromIsRecipient: false },
      ['unsubscribe'],
    ],
    [
      'a lead from anyone',
      [{ type: 'lead', target: stranger, from: 'x@y.z', subject: null, text: null } as FeedbackAction],
      { correlated: false, fromIsRecipient: false },
      ['lead'],
    ],
  ])('%s', (_name, actions, proof, expected) => {
    expect(kinds(withholdUnproven(actions, proof))).toEqual(expected);
  });

  it('lists at most MAX_WITHHELD_LISTED withheld changes of one message, and notes how many more', () => {
    const many = Array.from({ length: 5000 }, (_, i) => bounce({ ...stranger, address: `x${i}@mail.example` }));
    const out = withholdUnproven(many, { correlated: false, fromIsRecipient: false });
    expect(out.filter((a) => a.type === 'withheld')).toHaveLength(MAX_WITHHELD_LISTED);
    expect(out.filter((a) => a.type === 'note')).toEqual([
      expect.objectContaining({ what: expect.stringContaining(`${5000 - MAX_WITHHELD_LISTED} more addresses`) }),
    ]);
    expect(out).toHaveLength(MAX_WITHHELD_LISTED + 1);
  });

  it('stores a withheld action and reads it back', () => {
    const action = bounce(ofMessage);
    expect(actionFromStored(storedAction(action))).toEqual(action);
    expect(actionFromStored({ type: 'address_change', target: ofMessage })).toBeNull();
    expect(actionFromStored(null)).toBeNull();
  });
});
