// The campaign wizard's form, read into the body the campaigns API takes (campaigns/dto
// campaign.dto.ts checks it, the service checks the rest), and a stored campaign written back
// into form values for editing. The form speaks in a marketer's terms (monthly on the 1st at
// 10:00, weekdays, hours before the A/B winner is picked); the API in cron, ISO weekdays and
// minutes. Pure: no Nest, no database.
import { DomainError, type FieldIssue } from '../common/domain-error';
import { isTimeZone } from '../common/time-zone';
import type { DataField } from '../templates/render/data-fields';
import { dateToWallClock, wallClockToDate } from './i18n/format';

/** A posted form: strings, and arrays for repeated names (checkboxes). */
export type FormValues = Record<string, string | string[]>;

export const SCHEDULE_KINDS = ['now', 'at', 'monthly', 'weekly', 'cron'] as const;
export type ScheduleChoice = (typeof SCHEDULE_KINDS)[number];
/** The A/B variants after A (the campaign's own template). */
export const EXTRA_VARIANTS = ['B', 'C', 'D'] as const;
export const DOCUMENT_POLICIES = ['send', 'warn', 'wait'] as const;

/** The form's own values: strings and string arrays only (never the CSRF token). */
export function formValues(body: Record<string, unknown>): FormValues {
  const out: FormValues = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === '_csrf') continue;
    if (typeof value === 'string') out[key] = value;
    else if (Array.isArray(value)) out[key] = value.filter((v): v is string => typeof v === 'string');
  }
  return out;
}

export function one(values: FormValues, name: string): string {
  const value = values[name];
  return (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).trim();
}

export function many(values: FormValues, name: string): string[] {
  const value = values[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((v) => v.trim()).filter(Boolean);
}

/** The template ids the form chose: the campaign's own and, with an A/B test, its variants'. */
export function chosenTemplateIds(values: FormValues): number[] {
  const ids = [one(values, 'templateId'), ...(one(values, 'useAb') ? EXTRA_VARIANTS.map((k) => one(values, `abTemplate.${k}`)) : [])]
    .map(Number)
    .filter((id) => Number.isInteger(id) && id > 0);
  return [...new Set(ids)];
}

/**
 * The campaigns API body from the form. Errors the API would name in its own terms (a cron for
 * the monthly choice) are named here by the form's fields; everything else is left to the
 * schema and the service. `declaration` is the chosen templates' merged data fields.
 */
export function campaignBody(values: FormValues, declaration: readonly DataField[]): Record<string, unknown> {
  const issues: FieldIssue[] = [];
  const need = (name: string) => {
    const value = one(values, name);
    if (!value) issues.push({ path: name, message: 'is required' });
    return value;
  };
  const name = need('name');
  const channel = one(values, 'channel') === 'sms' ? 'sms' : 'email';
  const templateId = need('templateId');
  const segmentId = need('segmentId');
  const senderId = one(values, 'senderId');
  const timeZone = one(values, 'timeZone') || 'Europe/Moscow';
  const kind = (SCHEDULE_KINDS as readonly string[]).includes(one(values, 'scheduleKind'))
    ? (one(values, 'scheduleKind') as ScheduleChoice)
    : 'now';

  let schedule: Record<string, unknown> = { kind: 'now', timeZone };
  if (kind === 'at') {
    const at = need('at');
    if (at && isTimeZone(timeZone)) {
      const date = wallClockToDate(at, timeZone);
      if (!date) issues.push({ path: 'at', message: `"${at}" is not a date and time` });
      else schedule = { kind: 'at', at: date, timeZone };
    } else schedule = { kind: 'at', at: '', timeZone };
  } else if (kind === 'monthly' || kind === 'weekly') {
    const time = clock(one(values, 'time'));
    if (!time) issues.push({ path: 'time', message: 'expected a local time HH:MM such as 10:00' });
    const day = Number(one(values, 'monthDay'));
    const days = weekdays(many(values, 'weekday'));
    if (kind === 'monthly' && !(Number.isInteger(day) && day >= 1 && day <= 28))
      issues.push({ path: 'monthDay', message: 'expected a day of the month from 1 to 28' });
    if (kind === 'weekly' && !days.length) issues.push({ path: 'weekday', message: 'is required' });
    const [hours, minutes] = (time ?? '0:0').split(':').map(Number);
    const cron =
      kind === 'monthly' ? `${minutes} ${hours} ${day} * *` : `${minutes} ${hours} * * ${days.map((d) => (d === 7 ? 0 : d)).join(',')}`;
    schedule = { kind: 'recurring', cron, timeZone };
  } else if (kind === 'cron') {
    schedule = { kind: 'recurring', cron: need('cron'), timeZone };
  }

  const documents = channel === 'email' ? many(values, 'attach').map(Number) : [];
  const attachments = documents.map((documentId) => {
    const policy = one(values, `ifUnchanged.${documentId}`);
    return { documentId, ifUnchanged: (DOCUMENT_POLICIES as readonly string[]).includes(policy) ? policy : 'send' };
  });

  let abTest: Record<string, unknown> | null = null;
  if (one(values, 'useAb')) {
    const variants = [{ key: 'A', templateId: Number(templateId) }];
    for (const key of EXTRA_VARIANTS) {
      const id = one(values, `abTemplate.${key}`);
      if (id) variants.push({ key, templateId: Number(id) });
    }
    if (variants.length < 2) issues.push({ path: 'abTest.variants', message: 'choose the template of variant B' });
    const hours = Number(one(values, 'abHours').replace(',', '.'));
    abTest = {
      variants,
      samplePercent: Number(one(values, 'abPercent').replace(',', '.')),
      metric: one(values, 'abMetric') === 'click' ? 'click' : 'open',
      decideAfterMinutes: Number.isFinite(hours) ? Math.round(hours * 60) : NaN,
    };
  }

  const data: Record<string, unknown> = {};
  for (const field of declaration) {
    const raw = (typeof values[`data.${field.name}`] === 'string' ? (values[`data.${field.name}`] as string) : '').trim();
    if (!raw) continue;
    try {
      data[field.name] = dataValue(field, raw);
    } catch {
      issues.push({ path: `data.${field.name}`, message: 'expected one item per line or a JSON array' });
    }
  }

  if (issues.length) throw DomainError.validation(issues);
  return {
    name,
    channel,
    templateId: Number(templateId),
    segmentId: Number(segmentId),
    senderId: senderId ? Number(senderId) : null,
    attachments,
    schedule,
    abTest,
    data,
    localTime: one(values, 'useLocalTime') ? one(values, 'localTime') : null,
    sendingWindow: one(values, 'useWindow')
      ? { days: weekdays(many(values, 'windowDay')), from: one(values, 'windowFrom'), to: one(values, 'windowTo') }
      : null,
  };
}

/** A typed value as the API takes it: numbers as numbers (a decimal comma allowed), lists as arrays. */
function dataValue(field: DataField, raw: string): unknown {
  switch (field.type) {
    case 'number': {
      const value = Number(raw.replace(',', '.').replace(/\s/g, ''));
      return Number.isFinite(value) ? value : raw;
    }
    case 'money':
      return raw.replace(',', '.').replace(/\s/g, '');
    case 'list':
      if (raw.startsWith('[')) return JSON.parse(raw) as unknown;
      return raw
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean);
    default:
      return raw;
  }
}

function clock(value: string): string | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(value);
  return m && Number(m[1]) < 24 && Number(m[2]) < 60 ? `${Number(m[1])}:${m[2]}` : null;
}

function weekdays(values: string[]): number[] {
  return [...new Set(values.map(Number).filter((d) => Number.isInteger(d) && d >= 1 && d <= 7))].sort((a, b) => a - b);
}

/** What a stored campaign looks like as the wizard's values, to edit it. */
export interface StoredCampaign {
  name: string;
  channel: string;
  templateId: number;
  segmentId: number | null;
  senderId: number | null;
  scheduleKind: string;
  scheduledAt: Date | null;
  cron: string | null;
  timeZone: string;
  abTest: unknown;
  data: unknown;
  localTime: string | null;
  sendingWindow: unknown;
  attachments: Array<{ ifUnchanged: string; attachment: { id: number } }>;
}

export function campaignValues(campaign: StoredCampaign): FormValues {
  const values: FormValues = {
    name: campaign.name,
    channel: campaign.channel,
    templateId: String(campaign.templateId),
    segmentId: campaign.segmentId === null ? '' : String(campaign.segmentId),
    senderId: campaign.senderId === null ? '' : String(campaign.senderId),
    timeZone: campaign.timeZone,
    scheduleKind: 'now',
    attach: campaign.attachments.map((a) => String(a.attachment.id)),
  };
  for (const a of campaign.attachments) values[`ifUnchanged.${a.attachment.id}`] = a.ifUnchanged;
  if (campaign.scheduleKind === 'at' && campaign.scheduledAt) {
    values.scheduleKind = 'at';
    values.at = dateToWallClock(campaign.scheduledAt, campaign.timeZone);
  } else if (campaign.scheduleKind === 'recurring' && campaign.cron) {
    Object.assign(values, cronChoice(campaign.cron));
  }
  const data = campaign.data && typeof campaign.data === 'object' ? (campaign.data as Record<string, unknown>) : {};
  for (const [key, value] of Object.entries(data)) {
    values[`data.${key}`] = Array.isArray(value)
      ? value.every((item) => typeof item === 'string')
        ? value.join('\n')
        : JSON.stringify(value)
      : String(value ?? '');
  }
  if (campaign.localTime) {
    values.useLocalTime = '1';
    values.localTime = campaign.localTime;
  }
  const window = campaign.sendingWindow as { days?: number[]; from?: string; to?: string } | null;
  if (window) {
    values.useWindow = '1';
    values.windowDay = (window.days ?? []).map(String);
    values.windowFrom = window.from ?? '';
    values.windowTo = window.to ?? '';
  }
  const ab = campaign.abTest as {
    variants?: Array<{ key: string; templateId: number }>;
    samplePercent?: number;
    metric?: string;
    decideAfterMinutes?: number;
  } | null;
  if (ab?.variants) {
    values.useAb = '1';
    ab.variants.slice(1).forEach((v, i) => (values[`abTemplate.${EXTRA_VARIANTS[i]}`] = String(v.templateId)));
    values.abPercent = String(ab.samplePercent ?? 20);
    values.abMetric = ab.metric ?? 'open';
    values.abHours = String(Math.round(((ab.decideAfterMinutes ?? 240) / 60) * 100) / 100);
  }
  return values;
}

/** A cron as the form's choice: monthly on a day, weekly on days, or the expression itself. */
export function cronChoice(cron: string): FormValues {
  const monthly = /^(\d{1,2}) (\d{1,2}) (\d{1,2}) \* \*$/.exec(cron.trim());
  if (monthly && Number(monthly[3]) >= 1 && Number(monthly[3]) <= 28)
    return { scheduleKind: 'monthly', time: hhmm(monthly[2], monthly[1]), monthDay: monthly[3] };
  const weekly = /^(\d{1,2}) (\d{1,2}) \* \* ([0-7](?:,[0-7])*)$/.exec(cron.trim());
  if (weekly)
    return {
      scheduleKind: 'weekly',
      time: hhmm(weekly[2], weekly[1]),
      weekday: [...new Set(weekly[3].split(',').map((d) => (d === '0' ? '7' : d)))].sort(),
    };
  return { scheduleKind: 'cron', cron };
}

function hhmm(hours: string, minutes: string): string {
  return `${hours.padStart(2, '0')}:${minutes.padStart(2, '0')}`;
}
