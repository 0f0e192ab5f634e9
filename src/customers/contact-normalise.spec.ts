import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import {
  cleanText,
  hashAddress,
  normaliseAddress,
  normaliseEmail,
  normaliseLocale,
  normalisePhone,
  normaliseTimeZone,
  parseBirthday,
  phoneForDisplay,
} from './contact-normalise';

describe('normaliseEmail', () => {
  it.each([
    ['ivan@mail.ru', 'ivan@mail.ru'],
    ['  Ivan.Petrov@Mail.RU  ', 'ivan.petrov@mail.ru'],
    ['\u00A0ivan@mail.ru\u200B', 'ivan@mail.ru'],
    ['IVAN+promo@Yandex.Ru', 'ivan+promo@yandex.ru'],
    ["o'brien@example.com", "o'brien@example.com"],
    ['ivan@почта.рф', 'ivan@xn--80a1acny.xn--p1ai'],
    ['Ivan@ПОЧТА.РФ', 'ivan@xn--80a1acny.xn--p1ai'],
    ['a@bücher.de', 'a@xn--bcher-kva.de'],
    ['a@xn--80a1acny.xn--p1ai', 'a@xn--80a1acny.xn--p1ai'],
    ['user@sub.domain.co.uk', 'user@sub.domain.co.uk'],
    [`${'a'.repeat(64)}@x.ru`, `${'a'.repeat(64)}@x.ru`],
  ])('%p → %p', (input, expected) => {
    expect(normaliseEmail(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['ivan.mail.ru', 'no_at'],
    ['ivan@@mail.ru', 'multiple_at'],
    ['a@x.ru, b@y.ru', 'multiple_addresses'],
    ['a@x.ru; b@y.ru', 'multiple_addresses'],
    ['iv an@mail.ru', 'whitespace'],
    ['ivan@mail.ru\nx', 'whitespace'],
    ['@mail.ru', 'local_part_empty'],
    [`${'a'.repeat(65)}@x.ru`, 'local_part_too_long'],
    ['.ivan@mail.ru', 'local_part_invalid'],
    ['ivan.@mail.ru', 'local_part_invalid'],
    ['iv..an@mail.ru', 'local_part_invalid'],
    ['iv(an)@mail.ru', 'local_part_invalid'],
    ['"ivan"@mail.ru', 'local_part_invalid'],
    ['иван@почта.рф', 'local_part_non_ascii'],
    ['ivan@', 'domain_empty'],
    ['ivan@[192.0.2.1]', 'domain_literal'],
    ['ivan@localhost', 'domain_no_dot'],
    ['ivan@mail..ru', 'domain_invalid'],
    ['ivan@-mail.ru', 'domain_invalid'],
    ['ivan@mail-.ru', 'domain_invalid'],
    ['ivan@mail_box.ru', 'domain_invalid'],
    ['ivan@mail.ru.', 'domain_invalid'],
    ['ivan@mail,ru', 'domain_no_dot'],
    ['ivan@mail,x.ru', 'domain_invalid'],
    ['ivan@192.168.0.1', 'domain_invalid'],
    [`ivan@${'a'.repeat(64)}.ru`, 'domain_invalid'],
    [`ivan@${Array(64).fill('abc').join('.')}.ru`, 'domain_too_long'],
    [`${'a'.repeat(64)}@${Array(47).fill('abcd').join('.')}.ru`, 'too_long'],
  ])('rejects %p: %s', (input, reason) => {
    expect(normaliseEmail(input)).toEqual({ ok: false, reason });
  });

  it('is idempotent on what it accepts', () => {
    const local = fc.stringMatching(/^[A-Za-z0-9_+-]{1,20}(\.[A-Za-z0-9_+-]{1,10}){0,2}$/);
    const domain = fc.stringMatching(/^[A-Za-z0-9]{1,15}(\.[A-Za-z]{2,6}){1,2}$/);
    fc.assert(
      fc.property(local, domain, (l, d) => {
        const first = normaliseEmail(`${l}@${d}`);
        expect(first.ok).toBe(true);
        if (first.ok) {
          expect(normaliseEmail(first.value)).toEqual(first);
          expect(first.value).toBe(first.value.toLowerCase());
        }
      }),
    );
  });
});

describe('normalisePhone', () => {
  it.each([
    ['8 (912) 345-67-89', '+79123456789'],
    ['8(912)3456789', '+79123456789'],
    ['89123456789', '+79123456789'],
    ['+7 912 345 67 89', '+79123456789'],
    ['+7-912-345-67-89', '+79123456789'],
    ['7 912 345 67 89', '+79123456789'],
    ['9123456789', '+79123456789'],
    ['  +7 (912) 345\u00A067\u00A089 ', '+79123456789'],
    ['8 (495) 123-45-67', '+74951234567'],
    ['8 800 555 35 35', '+78005553535'],
    ['+1 202 555 0143', '+12025550143'],
    ['+44 20 7946 0958', '+442079460958'],
    ['+375 29 123 45 67', '+375291234567'],
    ['+7 701 234 56 78', '+77012345678'], // Kazakhstan shares +7
  ])('%p → %p', (input, e164) => {
    expect(normalisePhone(input)).toEqual({ ok: true, value: { e164 } });
  });

  it('keeps an extension apart from the number', () => {
    expect(normalisePhone('8 (495) 123-45-67 доб. 123')).toEqual({ ok: true, value: { e164: '+74951234567', extension: '123' } });
  });

  it('reads a national number in the given region', () => {
    expect(normalisePhone('(202) 555-0143', 'US')).toEqual({ ok: true, value: { e164: '+12025550143' } });
    // With a foreign default region, "8 …" is not the Russian trunk prefix any more.
    expect(normalisePhone('89123456789', 'US').ok).toBe(false);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['нет', 'invalid_characters'],
    ['8-912-ABC-67-89', 'invalid_characters'],
    ['123', 'too_short'],
    ['+7 912 345 67 8', 'too_short'],
    ['+7 912 345 67 890 1', 'wrong_length'],
    ['+7 912 345 67 890 123 45', 'too_long'],
    ['+999 123 456 789', 'invalid_country_code'],
    ['+7 (100) 123-45-67', 'invalid'],
    ['8 (000) 000-00-00', 'invalid'],
  ])('rejects %p: %s', (input, reason) => {
    expect(normalisePhone(input)).toEqual({ ok: false, reason });
  });

  // The fast path answers +7 numbers from a per-prefix cache; it must agree with
  // libphonenumber on the number as typed, in every shape people write.
  it('agrees with libphonenumber on random Russian-shaped numbers', () => {
    const national = fc.stringMatching(/^[0-9]{10}$/);
    const shape = fc.constantFrom('+7 ', '8 ', '7', '', '+7(', '8-');
    fc.assert(
      fc.property(national, shape, (digits, prefix) => {
        const text = prefix === '+7(' ? `+7(${digits.slice(0, 3)})${digits.slice(3)}` : `${prefix}${digits}`;
        const ours = normalisePhone(text);
        const lib = parsePhoneNumberFromString(text, 'RU');
        const libValid = lib !== undefined && lib.isValid();
        expect(ours.ok).toBe(libValid);
        if (ours.ok && lib) expect(ours.value.e164).toBe(lib.number);
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with libphonenumber on every 93x mobile prefix (where validity needs six digits)', () => {
    for (let p = 930000; p < 940000; p += 7) {
      const text = `8${p}${String(p % 10000).padStart(4, '0')}`;
      const lib = parsePhoneNumberFromString(text, 'RU');
      const ours = normalisePhone(text);
      expect({ text, ok: ours.ok }).toEqual({ text, ok: lib?.isValid() === true });
    }
  });
});

describe('hashAddress', () => {
  it('is the sha256 hex of the normalised address', () => {
    const expected = createHash('sha256').update('ivan@mail.ru').digest('hex');
    expect(hashAddress('email', 'ivan@mail.ru')).toBe(expected);
    expect(hashAddress('sms', '+79123456789')).toBe(createHash('sha256').update('+79123456789').digest('hex'));
  });

  it('gives one hash for every spelling of an address once normalised', () => {
    const spellings = ['Ivan@Mail.RU', ' ivan@mail.ru ', 'IVAN@MAIL.RU'];
    const hashes = spellings.map((s) => {
      const n = normaliseEmail(s);
      if (!n.ok) throw new Error(n.reason);
      return hashAddress('email', n.value);
    });
    expect(new Set(hashes).size).toBe(1);
  });

  it.each([
    ['email', 'Ivan@mail.ru'],
    ['email', ' ivan@mail.ru'],
    ['email', 'ivan@почта.рф'],
    ['sms', '89123456789'],
    ['sms', '+7 912 345 67 89'],
  ] as const)('refuses a %s address that is not normalised: %p', (channel, address) => {
    expect(() => hashAddress(channel, address)).toThrow(/not normalised|E\.164/);
  });
});

describe('normaliseTimeZone', () => {
  it.each([
    ['Europe/Moscow', 'Europe/Moscow'],
    ['europe/moscow', 'Europe/Moscow'],
    [' Asia/Yekaterinburg ', 'Asia/Yekaterinburg'],
    ['america/new_york', 'America/New_York'],
    ['UTC', 'UTC'],
    ['MSK', 'Europe/Moscow'],
    ['мск', 'Europe/Moscow'],
  ])('%p → %p', (input, zone) => {
    expect(normaliseTimeZone(input)).toEqual({ ok: true, value: zone });
  });

  it.each([
    ['', 'empty'],
    ['+03:00', 'not_iana'],
    ['GMT+3', 'not_iana'],
    ['EST5EDT', 'not_iana'],
    ['Moscow/Russia', 'unknown'],
    ['Europe/Moskva', 'unknown'],
  ])('rejects %p: %s', (input, reason) => {
    expect(normaliseTimeZone(input)).toEqual({ ok: false, reason });
  });
});

describe('parseBirthday', () => {
  const today = new Date('2026-11-23T12:00:00Z');
  it.each([
    ['1990-05-17', '1990-05-17'],
    ['17.05.1990', '1990-05-17'],
    ['7.5.1990', '1990-05-07'],
    [' 01.01.1900 ', '1900-01-01'],
    ['29.02.2024', '2024-02-29'],
    ['2000-02-29', '2000-02-29'],
    ['23.11.2026', '2026-11-23'],
  ])('%p → %p', (input, iso) => {
    expect(parseBirthday(input, today)).toEqual({ ok: true, value: iso });
  });

  it.each([
    ['', 'empty'],
    ['17/05/1990', 'format'],
    ['1990.05.17', 'format'],
    ['17.05.90', 'format'],
    ['17.05', 'format'],
    ['1990-5-17', 'format'],
    ['29.02.2023', 'impossible_date'],
    ['1900-02-29', 'impossible_date'],
    ['2100-02-29', 'impossible_date'],
    ['31.04.1990', 'impossible_date'],
    ['00.01.1990', 'impossible_date'],
    ['15.13.1990', 'impossible_date'],
    ['31.12.1899', 'out_of_range'],
    ['24.11.2026', 'out_of_range'],
  ])('rejects %p: %s', (input, reason) => {
    expect(parseBirthday(input, today)).toEqual({ ok: false, reason });
  });
});

describe('normaliseLocale', () => {
  it.each([
    ['ru', 'ru'],
    ['RU', 'ru'],
    ['ru-RU', 'ru'],
    ['ru_RU', 'ru'],
    ['en-GB', 'en'],
    ['Русский', 'ru'],
    ['English', 'en'],
    ['de', 'de'],
  ])('%p → %p', (input, locale) => {
    expect(normaliseLocale(input)).toEqual({ ok: true, value: locale });
  });

  it.each([
    ['', 'empty'],
    ['r', 'invalid'],
    ['xx', 'invalid'],
    ['ru RU', 'invalid'],
    ['russisch', 'invalid'],
  ])('rejects %p: %s', (input, reason) => {
    expect(normaliseLocale(input)).toEqual({ ok: false, reason });
  });
});

describe('cleanText', () => {
  it.each([
    [' a ', 'a'],
    ['\u200Ba\u200B', 'a'],
    ['\uFEFF a\u00A0', 'a'],
    ['a b', 'a b'],
  ])('%p → %p', (input, out) => expect(cleanText(input)).toBe(out));
});

describe('normaliseAddress', () => {
  it.each([
    ['email', ' Ivan@Mail.RU ', { ok: true, value: 'ivan@mail.ru' }],
    ['sms', '8 (912) 345-67-89', { ok: true, value: '+79123456789' }],
    ['sms', '8 (495) 123-45-67 доб. 12', { ok: true, value: '+74951234567' }],
    ['email', 'ivan.mail.ru', { ok: false, reason: 'no_at' }],
    ['sms', '123', { ok: false, reason: 'too_short' }],
  ] as const)('%s %p → %p', (channel, input, expected) => {
    expect(normaliseAddress(channel, input)).toEqual(expected);
  });
});

describe('time zones and locales named like what every object inherits', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('%p is refused, not taken from the alias tables', (text) => {
    expect(normaliseTimeZone(text).ok).toBe(false);
    expect(normaliseLocale(text).ok).toBe(false);
  });
});

describe('phoneForDisplay', () => {
  it.each([
    ['+79161234567', '+7 916 123 45 67', 'a Russian mobile in groups'],
    ['+4915123456789', '+49 1512 3456789', 'a foreign number in its own grouping'],
    ['not a phone', 'not a phone', 'anything else is shown as it is'],
  ])('%s → %s (%s)', (stored, shown) => {
    expect(phoneForDisplay(stored)).toBe(shown);
  });
});
