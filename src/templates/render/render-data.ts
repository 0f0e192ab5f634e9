// The Handlebars `data` of one render: the context as @root, plus locale, zone and "now".

import { DEFAULT_TIME_ZONE, formatLocale, formatsFor, toDate } from './format';
import type { RenderData } from './helpers';
import type { RenderContext } from './render-context';

let lastNowInput: unknown;
let lastNow: Date | undefined;

/** `context.now` as a Date; the same input as last time is not parsed again. */
function nowOf(input: RenderContext['now']): Date {
  if (input === undefined) return new Date();
  if (input instanceof Date) return input;
  if (input !== lastNowInput || !lastNow) {
    lastNow = toDate(input)?.date ?? new Date();
    lastNowInput = input;
  }
  return lastNow;
}

/** Per-render Handlebars data: the context as root, plus locale, zone and "now" for the helpers. */
export function renderData(context: RenderContext, templateLocale: string | undefined): RenderData {
  const customer = context.customer ?? {};
  const locale = formatLocale(templateLocale, customer.locale);
  const timeZone = customer.timeZone || DEFAULT_TIME_ZONE;
  return { root: context, locale, timeZone, now: nowOf(context.now), formats: formatsFor(locale, timeZone) };
}
