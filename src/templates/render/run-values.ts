// `run`: the date of a campaign run as templates show it (`{{run.month}}` in a subject, or a
// data default `= {{run.month}}`), in the campaign's time zone and the template's locale, so a
// recurring campaign names the month of each run instead of one typed once. Pure: the send
// path computes it once per run and locale, previews for "now".

import { DEFAULT_LOCALE, DEFAULT_TIME_ZONE } from './format';

export interface RenderRun {
  /** «7 декабря 2026», "7 December 2026" (en-GB), "December 7, 2026" (en) */
  date: string;
  /** «декабрь 2026», "December 2026" */
  month: string;
  /** «декабрь», "December" (the standalone form) */
  monthName: string;
  /** "2026" */
  year: string;
  /** "2026-12-07": the calendar day of the run in the campaign's zone */
  isoDate: string;
}

export const RUN_FIELDS: ReadonlyArray<keyof RenderRun> = ['date', 'month', 'monthName', 'year', 'isoDate'];

const formats = new Map<string, { date: Intl.DateTimeFormat; monthName: Intl.DateTimeFormat; iso: Intl.DateTimeFormat }>();

function formatsOf(locale: string, timeZone: string) {
  const key = `${locale}|${timeZone}`;
  let hit = formats.get(key);
  if (!hit) {
    const build = (loc: string, zone: string) => ({
      date: new Intl.DateTimeFormat(loc, { day: 'numeric', month: 'long', year: 'numeric', timeZone: zone }),
      monthName: new Intl.DateTimeFormat(loc, { month: 'long', timeZone: zone }),
      // en-CA writes dates as YYYY-MM-DD
      iso: new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: zone }),
    });
    try {
      hit = build(locale, timeZone);
    } catch {
      // an unknown zone or a malformed locale must not stop a run: fall back to the defaults
      hit = build(DEFAULT_LOCALE, DEFAULT_TIME_ZONE);
    }
    if (formats.size > 500) formats.clear();
    formats.set(key, hit);
  }
  return hit;
}

/** The run values of the instant `at` in `timeZone`, worded in `locale`. */
export function runValues(at: Date, timeZone: string, locale: string): RenderRun {
  const f = formatsOf(locale, timeZone);
  const isoDate = f.iso.format(at);
  const year = isoDate.slice(0, 4);
  // Russian appends " г." to a date with a year; a subject reads better without it.
  const date = f.date.format(at).replace(/\s*г\.$/, '');
  const monthName = f.monthName.format(at);
  return { date, month: `${monthName} ${year}`, monthName, year, isoDate };
}

const RUN_PLACEHOLDER = /\{\{\s*run\.([A-Za-z]+)\s*\}\}/g;

/** True when a text uses `{{run.*}}` (a default that changes per run). */
export function usesRunValues(text: string): boolean {
  return new RegExp(RUN_PLACEHOLDER.source).test(text);
}

/** `{{run.month}}` and the other run placeholders of a default replaced by this run's values. */
export function expandRunValues(text: string, run: RenderRun): string {
  return text.replace(RUN_PLACEHOLDER, (whole, name: string) => (Object.hasOwn(run, name) ? run[name as keyof RenderRun] : whole));
}
