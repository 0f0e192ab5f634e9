import { decideSend, type SendCandidate } from './send-decision';

const base: SendCandidate = {
  channel: 'email',
  lane: 'bulk',
  runStatus: 'sending',
  address: 'anna@example.com',
  addressValid: true,
  erased: false,
  consent: 'opted_in',
  suppression: null,
  recentBulkCount: 0,
  quietUntil: null,
  windowOpensAt: null,
};
const rules = { frequencyCapPerWeek: 3 };
const morning = new Date('2026-11-24T06:00:00Z');

describe('decideSend', () => {
  it.each<[string, Partial<SendCandidate>, ReturnType<typeof decideSend>]>([
    ['a consenting, reachable customer', {}, { action: 'send' }],
    ['a cancelled run', { runStatus: 'cancelled' }, { action: 'finish', status: 'cancelled', reason: 'run cancelled' }],
    ['a paused run', { runStatus: 'paused' }, { action: 'wait', reason: 'run paused' }],
    ['an erased customer', { erased: true }, { action: 'finish', status: 'skipped', reason: 'customer erased' }],
    ['no address', { address: null }, { action: 'finish', status: 'skipped', reason: 'no email address' }],
    ['an invalid phone', { channel: 'sms', addressValid: false }, { action: 'finish', status: 'skipped', reason: 'invalid phone number' }],
    [
      'an unsubscribed address',
      { suppression: 'unsubscribe' },
      { action: 'finish', status: 'suppressed', reason: 'suppressed: unsubscribe' },
    ],
    [
      'suppression even with consent',
      { suppression: 'hard_bounce', consent: 'opted_in' },
      { action: 'finish', status: 'suppressed', reason: 'suppressed: hard_bounce' },
    ],
    ['no consent row', { consent: null }, { action: 'finish', status: 'skipped', reason: 'no consent' }],
    ['pending double opt-in', { consent: 'pending' }, { action: 'finish', status: 'skipped', reason: 'consent pending' }],
    ['opted out', { consent: 'opted_out' }, { action: 'finish', status: 'skipped', reason: 'consent opted_out' }],
    [
      'the frequency cap reached',
      { recentBulkCount: 3 },
      { action: 'finish', status: 'skipped', reason: 'frequency cap: 3 bulk messages in 7 days' },
    ],
    ['under the frequency cap', { recentBulkCount: 2 }, { action: 'send' }],
    ['bulk SMS at night', { channel: 'sms', quietUntil: morning }, { action: 'hold', until: morning, reason: 'quiet hours' }],
    ['bulk email at night (quiet hours are for SMS)', { quietUntil: morning }, { action: 'send' }],
    [
      "bulk email outside its campaign's sending window",
      { windowOpensAt: morning },
      { action: 'hold', until: morning, reason: 'outside the sending window' },
    ],
    [
      'an unsubscribed address outside the window: suppression first, nothing held',
      { windowOpensAt: morning, suppression: 'unsubscribe' },
      { action: 'finish', status: 'suppressed', reason: 'suppressed: unsubscribe' },
    ],
    [
      'a paused run outside the window waits for resume',
      { windowOpensAt: morning, runStatus: 'paused' },
      { action: 'wait', reason: 'run paused' },
    ],
  ])('%s', (_name, change, expected) => {
    expect(decideSend({ ...base, ...change }, rules)).toEqual(expected);
  });

  it('sends transactional mail without marketing consent, past an unsubscribe, at night', () => {
    const transactional = {
      ...base,
      lane: 'transactional' as const,
      runStatus: null,
      consent: null,
      suppression: 'unsubscribe' as const,
      channel: 'sms' as const,
      quietUntil: morning,
      windowOpensAt: morning,
      recentBulkCount: 99,
    };
    expect(decideSend(transactional, rules)).toEqual({ action: 'send' });
  });

  it('never sends transactional mail to a hard-bounced, complained or erased address', () => {
    for (const suppression of ['hard_bounce', 'complaint', 'erased'] as const) {
      expect(decideSend({ ...base, lane: 'transactional', runStatus: null, suppression }, rules)).toMatchObject({
        action: 'finish',
        status: 'suppressed',
      });
    }
  });

  it('turns the frequency cap off at 0', () => {
    expect(decideSend({ ...base, recentBulkCount: 50 }, { frequencyCapPerWeek: 0 })).toEqual({ action: 'send' });
  });
});
