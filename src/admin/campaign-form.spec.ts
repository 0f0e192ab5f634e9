import { campaignSchema } from '../campaigns/dto/campaign.dto';
import { DomainError } from '../common/domain-error';
import type { DataField } from '../templates/render/data-fields';
import { campaignBody, campaignValues, cronChoice, type FormValues } from './campaign-form';

const FIELDS: DataField[] = [
  { name: 'offer', label: 'Предложение', type: 'text', required: true },
  { name: 'discount', type: 'number' },
  { name: 'price', type: 'money' },
  { name: 'items', type: 'list' },
];

const base: FormValues = { name: 'Прайс', channel: 'email', templateId: '3', segmentId: '5', timeZone: 'Europe/Moscow' };

function issuesOf(values: FormValues): string[] {
  try {
    campaignBody(values, FIELDS);
    return [];
  } catch (error) {
    return (error as DomainError).issues.map((i) => `${i.path}: ${i.message}`);
  }
}

describe('campaign wizard form → API body', () => {
  it.each([
    ['monthly on the 1st at 10:00', { scheduleKind: 'monthly', monthDay: '1', time: '10:00' }, '0 10 1 * *'],
    ['weekly on Monday and Wednesday at 09:30', { scheduleKind: 'weekly', weekday: ['3', '1'], time: '09:30' }, '30 9 * * 1,3'],
    ['weekly on Sunday: cron writes Sunday as 0', { scheduleKind: 'weekly', weekday: '7', time: '08:00' }, '0 8 * * 0'],
    ['a cron as typed', { scheduleKind: 'cron', cron: '0 10 * * 1#1' }, '0 10 * * 1#1'],
  ])('%s', (_why, extra, cron) => {
    const body = campaignBody({ ...base, ...extra } as FormValues, FIELDS);
    expect(body.schedule).toEqual({ kind: 'recurring', cron, timeZone: 'Europe/Moscow' });
    expect(campaignSchema.safeParse(body).success).toBe(true);
  });

  it('reads a date and time in the chosen zone', () => {
    const body = campaignBody({ ...base, scheduleKind: 'at', at: '2099-03-01T09:00', timeZone: 'Asia/Vladivostok' }, FIELDS);
    expect((body.schedule as { at: Date }).at.toISOString()).toBe('2099-02-28T23:00:00.000Z');
  });

  it('types the data by the declaration and leaves empty fields out', () => {
    const body = campaignBody(
      { ...base, 'data.offer': 'Скидка', 'data.discount': '7,5', 'data.price': '1 500,50', 'data.items': 'Болты\nГайки\n' },
      FIELDS,
    );
    expect(body.data).toEqual({ offer: 'Скидка', discount: 7.5, price: '1500.50', items: ['Болты', 'Гайки'] });
    expect(campaignBody(base, FIELDS).data).toEqual({});
  });

  it('attaches documents with their policy, email only; builds the A/B test, the local time and the window', () => {
    const body = campaignBody(
      {
        ...base,
        attach: ['9', '4'],
        'ifUnchanged.9': 'wait',
        useAb: '1',
        'abTemplate.B': '8',
        abPercent: '30',
        abMetric: 'click',
        abHours: '1,5',
        useWindow: '1',
        windowDay: ['1', '2'],
        windowFrom: '09:00',
        windowTo: '18:00',
      },
      FIELDS,
    );
    expect(body.attachments).toEqual([
      { documentId: 9, ifUnchanged: 'wait' },
      { documentId: 4, ifUnchanged: 'send' },
    ]);
    expect(body.abTest).toEqual({
      variants: [
        { key: 'A', templateId: 3 },
        { key: 'B', templateId: 8 },
      ],
      samplePercent: 30,
      metric: 'click',
      decideAfterMinutes: 90,
    });
    expect(body.sendingWindow).toEqual({ days: [1, 2], from: '09:00', to: '18:00' });
    expect(campaignBody({ ...base, channel: 'sms', attach: '9' }, FIELDS).attachments).toEqual([]);
  });

  it('names the form fields it refuses, all at once', () => {
    expect(issuesOf({ ...base, name: ' ', scheduleKind: 'at' })).toEqual(['name: is required', 'at: is required']);
    expect(issuesOf({ ...base, scheduleKind: 'weekly', time: '25:00' })).toEqual([
      'time: expected a local time HH:MM such as 10:00',
      'weekday: is required',
    ]);
    expect(issuesOf({ ...base, useAb: '1' })).toEqual(['abTest.variants: choose the template of variant B']);
    expect(issuesOf({ ...base, 'data.items': '[not json' })).toEqual(['data.items: expected one item per line or a JSON array']);
  });
});

describe('stored campaign → form values', () => {
  it.each([
    ['0 10 1 * *', { scheduleKind: 'monthly', time: '10:00', monthDay: '1' }],
    ['30 9 * * 1,3', { scheduleKind: 'weekly', time: '09:30', weekday: ['1', '3'] }],
    ['0 8 * * 0', { scheduleKind: 'weekly', time: '08:00', weekday: ['7'] }],
    ['0 10 31 * *', { scheduleKind: 'cron', cron: '0 10 31 * *' }],
    ['0 10 * * 1#1', { scheduleKind: 'cron', cron: '0 10 * * 1#1' }],
  ])('%s', (cron, expected) => expect(cronChoice(cron)).toEqual(expected));

  it('round-trips a campaign through the form', () => {
    const values = campaignValues({
      name: 'Прайс',
      channel: 'email',
      templateId: 3,
      segmentId: 5,
      senderId: null,
      scheduleKind: 'recurring',
      scheduledAt: null,
      cron: '0 10 1 * *',
      timeZone: 'Europe/Moscow',
      abTest: null,
      data: { offer: 'Скидка', items: ['Болты', 'Гайки'] },
      localTime: '10:00',
      sendingWindow: null,
      attachments: [{ ifUnchanged: 'warn', attachment: { id: 9 } }],
    });
    const body = campaignBody(values, FIELDS);
    expect(body).toMatchObject({
      schedule: { kind: 'recurring', cron: '0 10 1 * *', timeZone: 'Europe/Moscow' },
      data: { offer: 'Скидка', items: ['Болты', 'Гайки'] },
      localTime: '10:00',
      attachments: [{ documentId: 9, ifUnchanged: 'warn' }],
      senderId: null,
    });
  });
});
