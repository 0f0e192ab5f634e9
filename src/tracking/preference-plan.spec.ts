import { planPreferences, preferenceFormSchema, type ChannelState, type PreferenceForm } from './preference-plan';

const now = new Date('2026-11-23T12:00:00Z');
const later = new Date('2026-12-01T00:00:00Z');
const form = (fields: Record<string, string>): PreferenceForm => preferenceFormSchema.parse(fields);
const email = (consent: ChannelState['consent'], pausedUntil: Date | null = null): ChannelState => ({
  channel: 'email',
  consent,
  pausedUntil,
});
const sms = (consent: ChannelState['consent'], pausedUntil: Date | null = null): ChannelState => ({ channel: 'sms', consent, pausedUntil });

describe('planPreferences', () => {
  it.each<[string, ChannelState[], Record<string, string>, unknown[]]>([
    ['nothing changes when the form matches', [email('opted_in'), sms('opted_in')], { email: 'on', sms: 'on' }, []],
    ['unticking a channel opts it out', [email('opted_in'), sms('opted_in')], { email: 'on' }, [{ channel: 'sms', action: 'opt_out' }]],
    ['ticking email again opts it in', [email('opted_out')], { email: 'on' }, [{ channel: 'email', action: 'opt_in' }]],
    ['ticking SMS cannot opt it in from an email link', [sms('opted_out')], { sms: 'on' }, []],
    ['no consent yet stays as it is when unticked', [email(null)], {}, []],
    [
      'resuming a running pause early',
      [email('opted_out', later)],
      { email: 'on', pauseDays: '0' },
      [{ channel: 'email', action: 'resume' }],
    ],
    ['keeping a running pause', [email('opted_out', later)], { email: 'on', pauseDays: 'keep' }, []],
    [
      'unticking a paused channel opts it out for good',
      [sms('opted_out', later)],
      { pauseDays: 'keep' },
      [{ channel: 'sms', action: 'opt_out' }],
    ],
    [
      "a paused SMS may be resumed: the pause was the recipient's",
      [sms('opted_out', later)],
      { sms: 'on' },
      [{ channel: 'sms', action: 'resume' }],
    ],
  ])('%s', (_name, states, fields, expected) => {
    expect(planPreferences(states, form(fields), now)).toEqual(expected);
  });

  it('pauses the ticked channels for the chosen days, and opts out the unticked ones', () => {
    expect(planPreferences([email('opted_in'), sms('opted_in')], form({ email: 'on', pauseDays: '30' }), now)).toEqual([
      { channel: 'email', action: 'pause', until: new Date('2026-12-23T12:00:00Z') },
      { channel: 'sms', action: 'opt_out' },
    ]);
  });

  it('does not pause an SMS channel the recipient never had', () => {
    expect(planPreferences([sms('opted_out')], form({ sms: 'on', pauseDays: '7' }), now)).toEqual([]);
  });
});

describe('preferenceFormSchema', () => {
  it.each([['3'], ['-7'], ['forever'], ['7.5']])('refuses pauseDays=%s, naming the field', (value) => {
    const result = preferenceFormSchema.safeParse({ pauseDays: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path).toEqual(['pauseDays']);
  });

  it('refuses a checkbox value other than on', () => {
    expect(preferenceFormSchema.safeParse({ email: 'yes' }).success).toBe(false);
  });
});
