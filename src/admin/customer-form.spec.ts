// The customer card's form: posted text into the customers service's body, and back.
import { attributeValue, customerBody, formValuesOf, postedValues } from './customer-form';

const stored = {
  kind: 'person',
  firstName: 'Иван',
  patronymic: null,
  lastName: 'Петров',
  companyName: null,
  companyId: 7,
  position: null,
  email: 'ivan@example.com',
  phone: '+79161234567',
  birthday: new Date('1985-03-12T00:00:00Z'),
  timeZone: 'Europe/Moscow',
  locale: 'ru',
  tags: ['vip', 'опт'],
  externalId: null,
  attributes: { city: 'Москва', ltv: 5, vip: true, address: { street: 'Тверская' } },
};

describe('customer form', () => {
  it('shows a stored customer as text: the phone grouped, the birthday as a date field, tags joined', () => {
    const values = formValuesOf(stored);
    expect(values.fields).toMatchObject({
      phone: '+7 916 123 45 67',
      birthday: '1985-03-12',
      tags: 'vip, опт',
      companyId: '7',
      patronymic: '',
    });
    expect(values.attributes).toEqual([
      ['city', 'Москва'],
      ['ltv', '5'],
      ['vip', 'true'],
      ['address', '{"street":"Тверская"}'],
    ]);
  });

  it('reads the posted rows (one or many) and keeps them as typed', () => {
    expect(postedValues({ lastName: ' Петров ', attrKey: 'city', attrValue: 'Москва' }, 'person').attributes).toEqual([['city', 'Москва']]);
    const many = postedValues({ attrKey: ['a', '', 'c'], attrValue: ['1', '', 'x'] }, 'person');
    expect(many.attributes).toEqual([
      ['a', '1'],
      ['', ''],
      ['c', 'x'],
    ]);
    expect(postedValues({ companyName: 'ООО', firstName: 'ignored' }, 'company').fields).not.toHaveProperty('firstName');
  });

  it('turns the form into the service body: empty clears, tags split, the company by number, blank rows dropped', () => {
    const result = customerBody(
      {
        fields: { ...formValuesOf(stored).fields, patronymic: '', companyId: '', tags: 'VIP, Опт ,, ' },
        attributes: [
          ['city', 'Москва'],
          ['ltv', '7'],
          ['', ''],
        ],
      },
      'person',
      stored.attributes,
    );
    expect(result).toEqual({
      ok: true,
      body: expect.objectContaining({ patronymic: '', companyId: null, tags: ['VIP', 'Опт'], attributes: { city: 'Москва', ltv: 7 } }),
    });
  });

  it.each<[string, Array<[string, string]>, string, string]>([
    ['a value without a name', [['', 'x']], 'attributes.1', 'a value needs a name'],
    [
      'a name twice',
      [
        ['a', '1'],
        ['a', '2'],
      ],
      'attributes.a',
      'named twice',
    ],
  ])('refuses %s, naming the row', (_why, attributes, path, message) => {
    expect(customerBody({ fields: {}, attributes }, 'person', {})).toEqual({ ok: false, issues: [{ path, message }] });
  });

  it('refuses a company that is not a card number', () => {
    expect(customerBody({ fields: { companyId: 'Вектор' }, attributes: [] }, 'person', {})).toEqual({
      ok: false,
      issues: [{ path: 'companyId', message: 'expected the number of a company card' }],
    });
  });

  it.each<[string, unknown, string, unknown]>([
    ['an untouched number stays a number', 5, '5', 5],
    ['a changed number that is still a number', 5, '6,5', 6.5],
    ['a number changed into words becomes text', 5, 'много', 'много'],
    ['a boolean stays a boolean', true, 'false', false],
    ['an object edited as JSON stays an object', { a: 1 }, '{"a":2}', { a: 2 }],
    ['an object edited into text becomes text', { a: 1 }, 'нет', 'нет'],
    ['a new attribute is text', undefined, '42', '42'],
  ])('%s', (_why, before, typed, after) => {
    expect(attributeValue(before, typed)).toEqual(after);
  });
});
