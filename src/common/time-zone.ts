// IANA time zone names, as every API field and setting that takes one checks them. Pure.
import { z } from 'zod';

/** Whether the runtime knows `value` as an IANA time zone (Europe/Moscow, Asia/Vladivostok…). */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z.string().refine(isTimeZone, 'expected an IANA time zone such as Europe/Moscow');
