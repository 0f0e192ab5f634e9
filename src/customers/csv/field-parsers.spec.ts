import fc from 'fast-check';
import {
  parseConsent,
  parseCurrency,
  parseDateTime,
  parseKind,
  parseMoney,
  parseOrderStatus,
  parseQuantity,
  parseTags,
} from './field-parsers';

describe('parseConsent', () => {
  it.each([
    ['да', 'opted_in'],
    ['Да', 'opted_in'],
    ['1', 'opted_in'],
    ['yes', 'opted_in'],
    ['TRUE', 'opted_in'],
    ['подписан', 'opted_in'],
    ['нет', 'opted_out'],
    ['0', 'opted_out'],
    ['no', 'opted_out'],
    ['Отписан', 'opted_out'],
    ['pending', 'pending'],
    ['не подтверждён', 'pending'],
  ])('%p → %s', (text, value) => expect(parseConsent(text)).toEqual({ ok: true, value }));

  it.each([['может быть'], ['2'], ['y e s']])('rejects %p', (text) =>
    expect(parseConsent(text)).toEqual({ ok: false, reason: 'unknown_value' }),
  );
});

describe('parseKind', () => {
  it.each([
    ['физ. лицо', 'person'],
    ['Физлицо', 'person'],
    ['person', 'person'],
    ['юр.лицо', 'company'],
    ['Юридическое лицо', 'company'],
    ['B2B', 'company'],
  ])('%p → %s', (text, value) => expect(parseKind(text)).toEqual({ ok: true, value }));
  it('rejects an unknown type', () => expect(parseKind('робот').ok).toBe(false));
});

describe('parseTags', () => {
  it.each([
    ['VIP, опт; b2b|VIP', ['vip', 'опт', 'b2b']],
    [' , ;', []],
    ['один', ['один']],
  ])('%p → %p', (text, tags) => expect(parseTags(text)).toEqual({ ok: true, value: tags }));

  it('gives each call its own array', () => {
    const a = parseTags('x, y');
    const b = parseTags('x, y');
    if (!a.ok || !b.ok) throw new Error('expected tags');
    a.value.push('z');
    expect(b.value).toEqual(['x', 'y']);
  });

  it('rejects a tag over 64 characters', () => expect(parseTags(`ok, ${'t'.repeat(65)}`)).toEqual({ ok: false, reason: 'tag_too_long' }));
});

describe('parseMoney', () => {
  it.each([
    ['1234', '1234.00'],
    ['1234.5', '1234.50'],
    ['1234,50', '1234.50'],
    ['1 234,50', '1234.50'],
    ['1\u00A0234,5', '1234.50'],
    ['1,234.50', '1234.50'],
    ['990 ₽', '990.00'],
    ['1 500 руб.', '1500.00'],
    ['0', '0.00'],
    ['12.3000', '12.30'],
    ['0,05', '0.05'],
  ])('%p → %p', (text, value) => expect(parseMoney(text)).toEqual({ ok: true, value }));

  it.each([
    ['', 'format'],
    ['abc', 'format'],
    ['1.2.3', 'format'],
    ['-5', 'negative'],
    ['1,234', 'too_many_decimals'],
    ['0.005', 'too_many_decimals'],
    ['1000000000000000', 'too_large'],
  ])('rejects %p: %s', (text, reason) => expect(parseMoney(text)).toEqual({ ok: false, reason }));

  it('reads plain amounts (the fast path) as the general rules do', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 999_999_999_999n }),
        fc.constantFrom('', '5', '05', '50', '99'),
        fc.constantFrom('.', ','),
        (units, cents, sep) => {
          const text = cents === '' ? String(units) : `${units}${sep}${cents}`;
          const minor = units * 100n + BigInt((cents + '00').slice(0, 2));
          expect(parseMoney(text)).toEqual({ ok: true, value: `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}` });
        },
      ),
    );
  });
});

describe('parseQuantity', () => {
  it.each([
    ['3', 3],
    ['2,0', 2],
    ['5 шт', 5],
    [' 10 ', 10],
  ])('%p → %p', (text, value) => expect(parseQuantity(text)).toEqual({ ok: true, value }));
  it.each([
    ['1.5', 'not_whole'],
    ['0', 'not_positive'],
    ['-2', 'not_positive'],
    ['много', 'format'],
    ['2000000', 'too_large'],
  ])('rejects %p: %s', (text, reason) => expect(parseQuantity(text)).toEqual({ ok: false, reason }));
});

describe('parseDateTime', () => {
  it.each([
    ['2024-03-01', '2024-02-29T21:00:00.000Z'],
    ['01.03.2024', '2024-02-29T21:00:00.000Z'],
    ['01.03.2024 10:30', '2024-03-01T07:30:00.000Z'],
    ['2024-03-01 10:30:15', '2024-03-01T07:30:15.000Z'],
    ['2024-03-01T10:30:00Z', '2024-03-01T10:30:00.000Z'],
    ['2024-03-01T10:30:00+05:00', '2024-03-01T05:30:00.000Z'],
    ['2024-03-01T10:30:00.25-0100', '2024-03-01T11:30:00.250Z'],
  ])('%p in Europe/Moscow → %s', (text, iso) => {
    const r = parseDateTime(text, 'Europe/Moscow');
    expect(r.ok && r.value.toISOString()).toBe(iso);
  });

  it('reads a naive time in the zone given, daylight saving included', () => {
    const r = parseDateTime('2024-07-01 12:00', 'Europe/Berlin');
    expect(r.ok && r.value.toISOString()).toBe('2024-07-01T10:00:00.000Z');
  });

  it.each([
    ['01/03/2024', 'format'],
    ['вчера', 'format'],
    ['30.02.2024', 'impossible_date'],
    ['2024-03-01 25:00', 'impossible_date'],
  ])('rejects %p: %s', (text, reason) => expect(parseDateTime(text, 'Europe/Moscow')).toEqual({ ok: false, reason }));
});

describe('parseOrderStatus and parseCurrency', () => {
  it.each([
    ['Оплачен', 'paid'],
    ['отменён', 'cancelled'],
    ['canceled', 'cancelled'],
    ['в пути', 'shipped'],
    ['Выполнен', 'delivered'],
    ['new', 'created'],
  ])('status %p → %s', (text, value) => expect(parseOrderStatus(text)).toEqual({ ok: true, value }));
  it('rejects an unknown status', () => expect(parseOrderStatus('потерян').ok).toBe(false));

  it.each([
    ['руб.', 'RUB'],
    ['₽', 'RUB'],
    ['rub', 'RUB'],
    ['usd', 'USD'],
    ['€', 'EUR'],
    ['KZT', 'KZT'],
  ])('currency %p → %s', (text, value) => expect(parseCurrency(text)).toEqual({ ok: true, value }));
  it('rejects an unknown currency', () => expect(parseCurrency('рубли РФ').ok).toBe(false));
});

describe('cells named like what every object inherits', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])(
    '%p is no consent, kind, order status or currency',
    (cell) => {
      expect(parseConsent(cell)).toEqual({ ok: false, reason: 'unknown_value' });
      expect(parseKind(cell)).toEqual({ ok: false, reason: 'unknown_value' });
      expect(parseOrderStatus(cell)).toEqual({ ok: false, reason: 'unknown_value' });
      expect(parseCurrency(cell)).toEqual({ ok: false, reason: 'unknown_value' });
    },
  );
});
