// Whose birthday is it, and where has the greeting hour come? Pure: the caller passes `now`
// and the zones, so the scheduler, tests and a replay all get the same answer.
//
// Selection stays in SQL and uses the index on customers.birthday: instead of comparing
// month and day per row, a birthday "falls on" a calendar day when it equals one of that
// day's dates in every birth year (1900..year), e.g. 23 November → 1900-11-23 … 2026-11-23.
// A 29 February birthday is celebrated on 28 February in common years, so 28 February of a
// common year also matches the 29 Februaries of leap years.
import { DateTime, IANAZone } from 'luxon';

export const FIRST_BIRTH_YEAR = 1900;

/** A calendar day, no zone. */
export interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** `2026-11-23`. */
export function formatDay(day: CalendarDay): string {
  return `${String(day.year).padStart(4, '0')}-${String(day.month).padStart(2, '0')}-${String(day.day).padStart(2, '0')}`;
}

/** The zone to compute in: the customer's when it is a real IANA zone, else the default. */
export function effectiveZone(zone: string | null | undefined, defaultZone: string): string {
  return zone && IANAZone.isValidZone(zone) ? zone : defaultZone;
}

/** The local date and hour at `now` in `zone` (a valid IANA zone). */
export function localTime(now: Date, zone: string): CalendarDay & { hour: number } {
  const local = DateTime.fromJSDate(now, { zone });
  return { year: local.year, month: local.month, day: local.day, hour: local.hour };
}

/** `day` plus `days` calendar days. */
export function addDays(day: CalendarDay, days: number): CalendarDay {
  const shifted = DateTime.utc(day.year, day.month, day.day).plus({ days });
  return { year: shifted.year, month: shifted.month, day: shifted.day };
}

/**
 * Does a birthday (`YYYY-MM-DD`, the year ignored) fall on `day`? 29 February falls on
 * 28 February in common years and on 29 February in leap years.
 */
export function birthdayFallsOn(birthday: string, day: CalendarDay): boolean {
  const [, month, date] = birthday.split('-').map(Number);
  if (month === day.month && date === day.day) return true;
  return month === 2 && date === 29 && day.month === 2 && day.day === 28 && !isLeapYear(day.year);
}

/** Every birth date from FIRST_BIRTH_YEAR to `day.year` whose birthday falls on `day` (see birthdayFallsOn). */
export function birthDatesFallingOn(day: CalendarDay): string[] {
  const dates: string[] = [];
  for (let year = FIRST_BIRTH_YEAR; year <= day.year; year++) {
    if (day.month === 2 && day.day === 29 && !isLeapYear(year)) continue;
    dates.push(formatDay({ year, month: day.month, day: day.day }));
  }
  if (day.month === 2 && day.day === 28 && !isLeapYear(day.year)) {
    for (let year = FIRST_BIRTH_YEAR; year <= day.year; year++) if (isLeapYear(year)) dates.push(formatDay({ year, month: 2, day: 29 }));
  }
  return dates;
}

/** Birthdays "N days from now" in one zone whose local hour has come. */
export interface DueBirthdayGroup {
  /** The day whose birthdays are greeted (local today + daysBefore): the firing's occurrence key. */
  occurrenceKey: string;
  /** Local today in these zones: the zone run's key. */
  localDate: string;
  /** Customer time_zone values as stored (an invalid one stands for the default zone). */
  zones: string[];
  /** Birth dates that fall on the occurrence day (for `birthday = ANY(...)`). */
  birthDates: string[];
}

/**
 * Groups the stored zones whose local time at `now` has reached `localHour` by their local
 * date (at most three groups: zones span 26 hours), skipping zone/date pairs already done.
 */
export function dueBirthdayGroups(input: {
  now: Date;
  zones: readonly string[];
  localHour: number;
  daysBefore: number;
  defaultZone: string;
  /** `zone|localDate` pairs already run. */
  done?: ReadonlySet<string>;
}): DueBirthdayGroup[] {
  const groups = new Map<string, DueBirthdayGroup>();
  for (const zone of input.zones) {
    const local = localTime(input.now, effectiveZone(zone, input.defaultZone));
    if (local.hour < input.localHour) continue;
    const localDate = formatDay(local);
    if (input.done?.has(zoneRunKey(zone, localDate))) continue;
    let group = groups.get(localDate);
    if (!group) {
      const target = addDays(local, input.daysBefore);
      group = { occurrenceKey: formatDay(target), localDate, zones: [], birthDates: birthDatesFallingOn(target) };
      groups.set(localDate, group);
    }
    group.zones.push(zone);
  }
  return [...groups.values()];
}

/**
 * Every birth date that can be due somewhere at `now`: local dates run from the UTC date - 1 to
 * the UTC date + 1 (zones span UTC-12 to UTC+14), each plus `daysBefore`.
 */
export function birthDatesAround(now: Date, daysBefore: number): string[] {
  const utc = localTime(now, 'UTC');
  const dates = new Set<string>();
  for (const shift of [-1, 0, 1]) for (const date of birthDatesFallingOn(addDays(utc, shift + daysBefore))) dates.add(date);
  return [...dates];
}

export function zoneRunKey(zone: string, localDate: string): string {
  return `${zone}|${localDate}`;
}
