// The request fields of local-time delivery: a campaign's local time and its sending window.
import { z } from 'zod';
import { EVERY_DAY, minutesOf, WEEKDAYS } from '../../common/sending-window';

const localClock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a local time HH:MM such as 10:00');

/** "10:00": each recipient gets the run's message at that time in their own zone, on the run's date. */
export const localTimeSchema = localClock.describe(
  "Deliver at this time (HH:MM) in each recipient's own time zone on the run's date; null delivers when the run starts",
);

const windowDays = z
  .union([z.literal('weekdays'), z.literal('every day'), z.array(z.int().min(1).max(7)).min(1).max(7)], {
    error: 'expected "weekdays", "every day" or ISO weekdays from 1 (Monday) to 7 (Sunday), e.g. [1, 2, 3, 4, 5]',
  })
  .transform((days) => (days === 'weekdays' ? WEEKDAYS : days === 'every day' ? EVERY_DAY : [...new Set(days)].sort((a, b) => a - b)));

/** Email outside it waits, held, until it opens in the recipient's zone. Stored with the days as numbers. */
export const sendingWindowSchema = z
  .object({
    days: windowDays.default(EVERY_DAY),
    from: localClock,
    to: localClock,
  })
  // Only between two valid times: a malformed one has its own issue.
  .refine((window) => !(minutesOf(window.from) >= minutesOf(window.to)), {
    path: ['to'],
    message: 'expected a time after "from" (the window does not cross midnight)',
  })
  .describe("When messages may go out in the recipient's own time zone, e.g. weekdays 09:00–19:00");
