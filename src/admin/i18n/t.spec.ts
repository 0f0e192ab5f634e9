import { $Enums } from '../../generated/prisma/client';
import type { BounceReason } from '../../feedback/classify/types';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { en } from './en';
import { ru } from './ru';
import { hasKey, localeOf, t, word } from './t';

describe('t: the message catalogue', () => {
  it('English has every Russian key and no other (a missing translation fails here and in typecheck)', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ru).sort());
  });

  it('each key has one home: no two files of the catalogue define it (the later would silently win)', () => {
    const homes = new Map<string, string[]>();
    for (const file of readdirSync(__dirname).filter((name) => /^ru(-[a-z]+)?\.ts$/.test(name)))
      for (const [, key] of readFileSync(join(__dirname, file), 'utf8').matchAll(/^\s+'([^']+)':/gm))
        homes.set(key, [...(homes.get(key) ?? []), file]);
    expect(homes.size).toBeGreaterThan(400);
    expect([...homes].filter(([, files]) => files.length > 1)).toEqual([]);
  });

  it.each([
    [1, 'Заказы и выручка учтены в течение 1 дня после письма.', 'one: 1'],
    [21, 'Заказы и выручка учтены в течение 21 дня после письма.', 'one: 21 ends in 1, not 11'],
    [3, 'Заказы и выручка учтены в течение 3 дней после письма.', 'few: 2–4'],
    [11, 'Заказы и выручка учтены в течение 11 дней после письма.', 'many: 11–14 are many, not one/few'],
    [7, 'Заказы и выручка учтены в течение 7 дней после письма.', 'many: 5–20'],
  ])('Russian plural for n=%p (%s)', (n, expected) => {
    expect(t('ru', 'campaign.attribution', { n })).toBe(expected);
  });

  it('English plural picks one and other', () => {
    expect(t('en', 'campaign.attribution', { n: 1 })).toBe('Orders and revenue attributed within 1 day of the message.');
    expect(t('en', 'campaign.attribution', { n: 7 })).toBe('Orders and revenue attributed within 7 days of the message.');
  });

  it('fills parameters, numbers in the locale digits; an unknown parameter stays visible', () => {
    expect(t('ru', 'campaign.title', { name: 'Зима' })).toBe('Рассылка «Зима»');
    expect(t('ru', 'form.tooLong', { max: 10000 })).toBe('не длиннее 10\u00a0000 символов');
    expect(t('en', 'form.tooLong', { max: 10000 })).toBe('must be at most 10,000 characters');
    expect(t('ru', 'campaign.title')).toBe('Рассылка «{name}»');
  });

  it('a plural message without n is a programming error', () => {
    expect(() => t('ru', 'campaign.attribution')).toThrow('needs a number n');
  });

  it('localeOf takes ru or en, anything else is Russian', () => {
    expect([localeOf('en'), localeOf('ru'), localeOf('de'), localeOf(undefined), localeOf('constructor')]).toEqual([
      'en',
      'ru',
      'ru',
      'ru',
      'ru',
    ]);
    expect(hasKey('toString')).toBe(false);
  });
});

describe('word: codes shown to people', () => {
  const groups: Array<[string, readonly string[]]> = [
    ['campaignStatus', Object.values($Enums.CampaignStatus)],
    ['runStatus', Object.values($Enums.RunStatus)],
    ['role', Object.values($Enums.Role)],
    ['consentStatus', Object.values($Enums.ConsentStatus)],
    ['suppressionReason', Object.values($Enums.SuppressionReason)],
    ['orderStatus', Object.values($Enums.OrderStatus)],
    ['messageStatus', Object.values($Enums.MessageStatus)],
    ['leadStatus', Object.values($Enums.LeadStatus)],
    ['complaintKind', Object.values($Enums.ComplaintKind)],
    ['complaintStatus', Object.values($Enums.ComplaintStatus)],
    ['inboundKind', Object.values($Enums.InboundKind)],
    ['channel', Object.values($Enums.Channel)],
    ['customerKind', Object.values($Enums.CustomerKind)],
    ['scheduleKind', Object.values($Enums.ScheduleKind)],
  ];
  it.each(groups)('every %s value has a word in both languages, never the code itself', (group, codes) => {
    for (const code of codes) {
      expect(hasKey(`${group}.${code}`)).toBe(true);
      if (code.includes('_')) expect(word('ru', group, code)).not.toContain('_');
    }
  });

  it('every bounce reason the classifier gives has a word', () => {
    // Typed as every BounceReason (classify/types.ts): a new reason fails to compile here until it is listed.
    const reasons: Record<BounceReason, true> = {
      userunknown: true,
      mailboxfull: true,
      hostunknown: true,
      hasmoved: true,
      notaccept: true,
      suspend: true,
      expired: true,
      filtered: true,
      rejected: true,
      blocked: true,
      spamdetected: true,
      policyviolation: true,
      authfailure: true,
      requireptr: true,
      badreputation: true,
      securityerror: true,
      virusdetected: true,
      contenterror: true,
      mesgtoobig: true,
      exceedlimit: true,
      systemerror: true,
      systemfull: true,
      networkerror: true,
      mailererror: true,
      norelaying: true,
      toomanyconn: true,
      speeding: true,
      onhold: true,
      syntaxerror: true,
      notcompliantrfc: true,
      undefined: true,
      feedback: true,
      vacation: true,
      delivered: true,
    };
    for (const reason of Object.keys(reasons)) expect([reason, hasKey(`bounceReason.${reason}`)]).toEqual([reason, true]);
    expect(word('ru', 'bounceReason', 'userunknown')).toBe('нет такого ящика');
    expect(word('en', 'bounceReason', 'userunknown')).toBe('no such mailbox');
  });

  it.each([
    ['ru', 'cleanupAction', 'lead_created', 'создана заявка', 'a code with an underscore'],
    ['ru', 'consentStatus', 'opted_in', 'согласие дано', 'consent'],
    ['en', 'role', 'marketer', 'marketer', 'English'],
    ['ru', 'cleanupAction', 'brand_new_action', 'brand_new_action', 'an unknown code is shown as it is, never hidden'],
    ['ru', 'campaignStatus', '', '—', 'nothing is a dash'],
  ] as const)('word(%p, %p, %p) is %p (%s)', (locale, group, code, expected, _why) => {
    expect(word(locale, group, code)).toBe(expected);
  });
});
