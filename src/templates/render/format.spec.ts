import { formatDate, formatDateRange, formatLocale, formatMoney, formatNumber, pluralForm } from './format';

const NBSP = '\u00a0';

describe('pluralForm', () => {
  const ru = ['товар', 'товара', 'товаров'];
  it.each([
    [0, 'товаров'],
    [1, 'товар'],
    [2, 'товара'],
    [4, 'товара'],
    [5, 'товаров'],
    [11, 'товаров'],
    [12, 'товаров'],
    [14, 'товаров'],
    [21, 'товар'],
    [22, 'товара'],
    [101, 'товар'],
    [111, 'товаров'],
    [1.5, 'товара'],
    ['3', 'товара'],
  ])('Russian: %p → %s', (n, form) => {
    expect(pluralForm(n, ru)).toBe(form);
  });

  it.each([
    [0, 'items'],
    [1, 'item'],
    [2, 'items'],
    [21, 'items'],
  ])('English: %p → %s', (n, form) => {
    expect(pluralForm(n, ['item', 'items'])).toBe(form);
  });
});

describe('money and numbers', () => {
  it('formats roubles the Russian way', () => {
    expect(formatMoney(1234.5, 'ru', 'RUB')).toBe(`1${NBSP}234,50${NBSP}₽`);
    expect(formatMoney('12990.50', 'ru', 'RUB')).toBe(`12${NBSP}990,50${NBSP}₽`);
    expect(formatMoney(1990, 'ru', 'RUB')).toBe(`1${NBSP}990${NBSP}₽`);
    expect(formatMoney({ toString: () => '7.5' }, 'ru', 'rub')).toBe(`7,50${NBSP}₽`);
  });

  it('formats other locales and currencies, and keeps fixed decimals when asked', () => {
    expect(formatMoney(1234.5, 'en-GB', 'GBP')).toBe('£1,234.50');
    expect(formatMoney(1234.5, 'en', 'USD')).toBe('$1,234.50');
    expect(formatMoney(1990, 'ru', 'RUB', 2)).toBe(`1${NBSP}990,00${NBSP}₽`);
    expect(formatNumber(1234.567, 'ru')).toBe(`1${NBSP}234,57`);
  });

  it('gives an empty string for missing or non-numeric amounts, and survives an unknown currency', () => {
    expect(formatMoney(undefined, 'ru')).toBe('');
    expect(formatMoney('abc', 'ru')).toBe('');
    expect(formatMoney(5, 'ru', 'XXXX')).toBe('5');
  });
});

describe('dates', () => {
  const instant = '2026-03-09T21:30:00Z'; // 00:30 on 10 March in Moscow

  it('shows instants in the customer zone', () => {
    expect(formatDate(instant, 'ru', 'Europe/Moscow', 'long')).toBe('10 марта 2026 г.');
    expect(formatDate(instant, 'en-GB', 'Europe/London', 'long')).toBe('9 March 2026');
    expect(formatDate(new Date(instant), 'ru', 'Asia/Vladivostok', 'time')).toBe('07:30');
    expect(formatDate(instant, 'ru', 'Europe/Moscow', 'short')).toBe('10.03.2026');
  });

  it('shows a date-only value as that calendar date in every zone', () => {
    expect(formatDate('1990-05-17', 'ru', 'America/New_York', 'dayMonth')).toBe('17 мая');
    expect(formatDate('1990-05-17', 'ru', 'Asia/Kamchatka', 'dayMonth')).toBe('17 мая');
  });

  it('formats delivery windows as ranges', () => {
    expect(formatDateRange('2026-03-12T07:00:00Z', '2026-03-14T15:00:00Z', 'ru', 'Europe/Moscow')).toBe('12–14 марта');
    expect(formatDateRange('2026-03-14T07:00:00Z', '2026-03-12T07:00:00Z', 'ru', 'Europe/Moscow')).toBe('12–14 марта');
    expect(formatDateRange('2026-03-12T07:00:00Z', undefined, 'ru', 'Europe/Moscow')).toBe('12 марта');
    expect(formatDateRange(undefined, undefined, 'ru', 'Europe/Moscow')).toBe('');
  });

  it('falls back instead of throwing on a bad zone or locale, and ignores invalid dates', () => {
    expect(formatDate(instant, 'ru', 'Mars/Olympus', 'long')).toBe('10 марта 2026 г.');
    expect(formatDate(instant, '!!', 'Europe/Moscow', 'long')).toBe('10 марта 2026 г.');
    expect(formatDate('not a date', 'ru', 'Europe/Moscow')).toBe('');
  });
});

describe('formatLocale', () => {
  it.each([
    ['ru', 'ru', 'ru'],
    ['en', 'en-GB', 'en-GB'],
    ['en', 'ru', 'en'],
    ['ru', 'de', 'ru'],
    [undefined, 'de', 'de'],
    [undefined, undefined, 'ru'],
  ])('template %p, customer %p → %p', (template, customer, expected) => {
    expect(formatLocale(template, customer)).toBe(expected);
  });
});
