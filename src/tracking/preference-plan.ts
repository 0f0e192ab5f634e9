// What a submitted preference form changes. A channel the recipient unticks is opted out; a
// ticked one stays or comes back; "pause N days" opts the ticked channels out until a date,
// after which the pause sweep opts them in again. Email may be turned back on from the page
// (the link came to that address, which proves it is theirs); SMS only through a pause the
// recipient set themselves, since an email link proves nothing about a phone. Pure.
import { z } from 'zod';
import type { Channel, ConsentStatus } from '../generated/prisma/enums';

/** The pause lengths the page offers, in days. */
export const PAUSE_CHOICES = [7, 14, 30, 90] as const;

export interface ChannelState {
  channel: Channel;
  consent: ConsentStatus | null;
  /** Set while a pause the recipient chose is running. */
  pausedUntil: Date | null;
}

export const preferenceFormSchema = z.object({
  csrf: z.string().max(500).optional(),
  email: z.literal('on').optional(),
  sms: z.literal('on').optional(),
  pauseDays: z
    .union([z.literal('keep'), z.coerce.number().int()])
    .default(0)
    .refine((value) => value === 'keep' || value === 0 || (PAUSE_CHOICES as readonly number[]).includes(value), {
      message: `expected 0, keep or one of ${PAUSE_CHOICES.join(', ')}`,
    }),
});

export type PreferenceForm = z.infer<typeof preferenceFormSchema>;

export type PreferenceAction =
  { channel: Channel; action: 'opt_out' | 'opt_in' | 'resume' } | { channel: Channel; action: 'pause'; until: Date };

export function mayResubscribe(channel: Channel): boolean {
  return channel === 'email';
}

/** True while the channel gets mailings, or would again after its pause. */
export function isWanted(state: ChannelState): boolean {
  return state.consent === 'opted_in' || state.pausedUntil !== null;
}

export function planPreferences(states: ChannelState[], form: PreferenceForm, now: Date): PreferenceAction[] {
  const actions: PreferenceAction[] = [];
  for (const state of states) {
    const { channel } = state;
    const active = state.consent === 'opted_in';
    const paused = state.pausedUntil !== null;
    const ticked = form[channel] === 'on';
    if (!ticked) {
      if (active || paused) actions.push({ channel, action: 'opt_out' });
      continue;
    }
    const pause = form.pauseDays;
    if (typeof pause === 'number' && pause > 0) {
      if (active || paused || mayResubscribe(channel))
        actions.push({ channel, action: 'pause', until: new Date(now.getTime() + pause * 86_400_000) });
    } else if (paused) {
      if (pause === 0) actions.push({ channel, action: 'resume' });
    } else if (!active && mayResubscribe(channel)) {
      actions.push({ channel, action: 'opt_in' });
    }
  }
  return actions;
}
