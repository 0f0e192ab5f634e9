import { $Enums } from '../generated/prisma/client';
import { createTriggerSchema, OPTIONS_BY_TYPE, parseTriggerOptions, TRIGGER_TYPES } from '../triggers/dto/trigger.dto';
import { DEFAULT_SCORING_CONFIG, scoringConfigSchema } from '../scoring/scoring-config';
import { zodIssues } from '../common/zod-validation';
import {
  automationField,
  automationInput,
  automationValues,
  formErrors,
  formNumber,
  scoringField,
  scoringInput,
  scoringValues,
  TYPE_OPTIONS,
} from './automation-forms';
import { hasKey } from './i18n/t';
import { ui } from './views/layout';

const ru = ui(null);

describe('formNumber', () => {
  it.each<[string, number | string | undefined, string]>([
    ['', undefined, 'empty: the default applies'],
    ['  ', undefined, 'blank too'],
    ['3', 3, 'a whole number'],
    ['-3', -3, 'negative numbers reach the schema, which names the field'],
    ['0,8', 0.8, 'a decimal comma, as Russians type it'],
    ['1.5', 1.5, 'a decimal point'],
    ['три', 'три', 'not a number: kept as text so the schema says "expected number"'],
  ])('%p → %p (%s)', (input, expected) => {
    expect(formNumber(input)).toBe(expected);
  });
});

describe('automationInput', () => {
  const birthday = {
    name: ' Скоро день рождения ',
    channel1: 'sms',
    channel2: 'email',
    template: 'birthday',
    segmentId: '',
    delayMinutes: '',
    daysBefore: '3',
    localHour: '10',
    promoCode: 'HB',
    discountPercent: '',
    promoValidDays: '',
    consent: '',
    quietHours: '1',
    data: '',
    active: '1',
    // another type's field posted by hand is not read
    orderStatus: 'shipped',
  };

  it('turns a birthday form into the body the triggers API takes, which its schemas accept', () => {
    const { raw, issues } = automationInput(birthday, 'birthday', 'create');
    expect(issues).toEqual([]);
    expect(raw).toEqual({
      name: 'Скоро день рождения',
      type: 'birthday',
      channels: ['sms', 'email'],
      template: 'birthday',
      segmentId: null,
      delayMinutes: 0,
      active: true,
      options: { daysBefore: 3, localHour: 10, promoCode: 'HB', quietHours: true },
    });
    expect(createTriggerSchema.safeParse(raw).success).toBe(true);
    expect(parseTriggerOptions('birthday', raw.options)).toMatchObject({ ok: true, value: { promoValidDays: 7 } });
  });

  it('an edit form carries neither type nor active; an unchecked box is false', () => {
    const { raw } = automationInput({ ...birthday, quietHours: undefined, active: undefined }, 'birthday', 'edit');
    expect(raw).not.toHaveProperty('type');
    expect(raw).not.toHaveProperty('active');
    expect((raw.options as Record<string, unknown>).quietHours).toBe(false);
  });

  it('names the template data when it is not a JSON object', () => {
    expect(automationInput({ ...birthday, data: '[1]' }, 'birthday', 'create').issues).toEqual([
      { path: 'options.data', message: 'expected a JSON object of field names and values' },
    ]);
    expect(automationInput({ ...birthday, data: '{' }, 'birthday', 'create').issues[0].path).toBe('options.data');
  });

  it('shows every option of every type on its form, so an edit never drops one', () => {
    const common = ['consent', 'quietHours', 'data'];
    for (const type of TRIGGER_TYPES) {
      const shape = Object.keys(OPTIONS_BY_TYPE[type].shape);
      expect([type, [...TYPE_OPTIONS[type], ...common].sort()]).toEqual([type, shape.sort()]);
    }
  });

  it('round-trips a stored trigger through the edit form', () => {
    const stored = {
      name: 'Заказ отправлен',
      channels: ['email'],
      template: 'order-shipped',
      segmentId: 4,
      delayMinutes: 15,
      options: { orderStatus: 'shipped', quietHours: false, data: { shopUrl: 'https://shop.example' }, consent: 'not_opted_out' },
    };
    const values = automationValues(stored);
    expect(values).toMatchObject({ channel1: 'email', channel2: '', segmentId: '4', delayMinutes: '15', orderStatus: 'shipped' });
    expect(values.quietHours).toBeUndefined();
    const { raw } = automationInput(values, 'order_status', 'edit');
    expect(raw).toEqual({
      name: stored.name,
      channels: stored.channels,
      template: stored.template,
      segmentId: 4,
      delayMinutes: 15,
      options: stored.options,
    });
  });
});

describe('field names and messages', () => {
  it.each([
    ['options.daysBefore', 'daysBefore'],
    ['options.data.shopUrl', 'data.shopUrl'],
    ['channels[1]', 'channels'],
    ['template', 'template'],
  ])('automation path %s is the form field %s', (path, field) => {
    expect(automationField(path)).toBe(field);
  });

  it.each([
    ['rfm.windowDays', 'rfm.windowDays'],
    ['abc.shares', 'abc.shares'],
    ['config.abc.shares.a', 'abc.shares.a'],
    ['rating.min', 'rating.min'],
    ['rfm.groups[0].name', 'rfm.groups.0.name'],
  ])('scoring path %s is the form field %s', (path, field) => {
    expect(scoringField(path)).toBe(field);
  });

  it('names each refused field once, in Russian, and keeps a message per field for beside it', () => {
    const { notice, fields } = formErrors(
      ru,
      [
        { path: 'template', message: 'Too small: expected string to have >=1 characters' },
        { path: 'template', message: 'expected a template key such as order-shipped' },
        { path: 'options.daysBefore', message: 'Too small: expected number to be >=0' },
        { path: 'template', message: 'no SMS template with key "x" (every channel needs one)' },
        { path: 'options.data.shopUrl', message: 'expected an http(s) URL' },
      ],
      automationField,
      'automationField',
    );
    expect(notice.text).toBe(
      '«Шаблон»: обязательное поле; «За сколько дней до дня рождения (0 — в сам день)»: не меньше 0; «Данные шаблона (shopUrl)»: expected an http(s) URL',
    );
    expect(fields).toEqual({ template: 'обязательное поле', daysBefore: 'не меньше 0', data: 'expected an http(s) URL' });
  });

  it('refuses scoring settings through the domain schema, named by the form field', () => {
    const form = { ...scoringValues(DEFAULT_SCORING_CONFIG), 'rfm.windowDays': '0', 'abc.shares.a': '0,9', 'xyz.xBelow': '2' };
    const parsed = scoringConfigSchema.safeParse(scoringInput(form, DEFAULT_SCORING_CONFIG));
    expect(parsed.success).toBe(false);
    const { fields } = formErrors(ru, zodIssues(parsed.error!), scoringField, 'scoringField');
    expect(fields).toEqual({
      'rfm.windowDays': 'не меньше 1',
      'abc.shares': 'доли A, B и C должны в сумме давать 1',
      xyz: 'порог X не может быть больше порога Y',
    });
  });

  it('reads the unchanged settings form back as the settings', () => {
    expect(scoringConfigSchema.parse(scoringInput(scoringValues(DEFAULT_SCORING_CONFIG), DEFAULT_SCORING_CONFIG))).toEqual(
      DEFAULT_SCORING_CONFIG,
    );
  });

  it.each([
    ['triggerType', Object.values($Enums.TriggerType)],
    ['scoringRunStatus', Object.values($Enums.ScoringRunStatus)],
  ])('every %s value has a word', (group, codes) => {
    for (const code of codes) expect([code, hasKey(`${group}.${code}`)]).toEqual([code, true]);
  });
});
