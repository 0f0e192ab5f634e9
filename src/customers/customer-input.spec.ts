import { normaliseCustomerFields, withPhoneExtension } from './customer-input';

const opts = { region: 'RU' as const, today: new Date('2026-11-23T00:00:00Z') };

describe('normaliseCustomerFields', () => {
  it('normalises every contact field and leaves absent ones undefined', () => {
    expect(
      normaliseCustomerFields(
        {
          email: ' Ivan@ПОЧТА.РФ ',
          phone: '8 (912) 345-67-89 доб. 7',
          birthday: '29.02.2024',
          timeZone: 'мск',
          locale: 'en-GB',
          tags: ['VIP', 'vip', 'b2b'],
          firstName: 'Иван',
        },
        opts,
      ),
    ).toEqual({
      ok: true,
      value: {
        email: 'ivan@xn--80a1acny.xn--p1ai',
        phone: '+79123456789',
        phoneExtension: '7',
        birthday: new Date('2024-02-29T00:00:00Z'),
        timeZone: 'Europe/Moscow',
        locale: 'en',
        tags: ['vip', 'b2b'],
        firstName: 'Иван',
      },
    });
  });

  it.each([
    [{ email: null }, { email: null }],
    [{ email: '  ' }, { email: null }],
    [{ phone: null }, { phone: null, phoneExtension: null }],
    [{ birthday: '' }, { birthday: null }],
    [{ registeredAt: '2024-03-01T10:00:00+03:00' }, { registeredAt: new Date('2024-03-01T07:00:00Z') }],
    [{ phone: '+1 202 555 0143' }, { phone: '+12025550143', phoneExtension: null }],
  ])('%p → %p', (input, value) => {
    expect(normaliseCustomerFields(input, opts)).toEqual({ ok: true, value });
  });

  it('reads national numbers in the configured region', () => {
    expect(normaliseCustomerFields({ phone: '(202) 555-0143' }, { ...opts, region: 'US' })).toEqual({
      ok: true,
      value: { phone: '+12025550143', phoneExtension: null },
    });
  });

  it('names every bad field with its reason', () => {
    expect(
      normaliseCustomerFields({ email: 'a@@b.ru', phone: 'звонить', birthday: '1990-5-17', timeZone: '+03:00', locale: 'xx' }, opts),
    ).toEqual({
      ok: false,
      issues: [
        { path: 'email', message: 'invalid email: more than one @ sign' },
        { path: 'phone', message: 'invalid phone: contains letters or symbols' },
        { path: 'birthday', message: 'invalid birthday: expected DD.MM.YYYY or YYYY-MM-DD' },
        { path: 'timeZone', message: 'invalid time zone: expected an IANA name such as Europe/Moscow' },
        { path: 'locale', message: 'invalid locale: expected a language code such as ru or en' },
      ],
    });
  });
});

describe('withPhoneExtension', () => {
  it.each([
    [{ city: 'Омск' }, {}, { city: 'Омск' }],
    [{ city: 'Омск' }, { phoneExtension: '12' }, { city: 'Омск', phoneExtension: '12' }],
    [{ city: 'Омск', phoneExtension: '12' }, { phoneExtension: null }, { city: 'Омск' }],
  ])('%p with %p → %p', (attributes, fields, expected) => {
    expect(withPhoneExtension(attributes, fields)).toEqual(expected);
  });
});
