// IANA time zone names, as every API field and setting that takes one checks them. Pure.
import { z } from 'zod';

/**
 * Whether the runtime knows `value` as an IANA time zone (Europe/Moscow, Asia/Vladivostok…).
 * Offsets such as "+03:00" are refused although newer runtimes accept them: PostgreSQL reads
 * them POSIX-style, east as west ("+03:00" is UTC−3 there), and a zone name also knows its history.
 */
export function isTimeZone(value: string): boolean {
  if (!/^[A-Za-z]/.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z.string().refine(isTimeZone, 'expected an IANA time zone such as Europe/Moscow');
