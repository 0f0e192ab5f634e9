import { attributeKey, attributeKeys } from './attribute-key';

describe('attributeKey', () => {
  it.each<[string, string, string]>([
    ['the issue’s example: transliterated, snake_case', 'Любимый цвет', 'lyubimyy_tsvet'],
    ['«Город» has the conventional key', 'Город', 'city'],
    ['so has City in English', 'City', 'city'],
    ['letters with two-letter sounds', 'Щука Жёлтая Хвостатая', 'shchuka_zheltaya_khvostataya'],
    ['hard and soft signs vanish', 'Объём Мебели', 'obem_mebeli'],
    ['punctuation and spaces become one underscore', '  Размер (обуви), EU  ', 'razmer_obuvi_eu'],
    ['digits stay', 'Карта №2', 'karta_2'],
    ['an English header is only lower-cased', 'Loyalty Level', 'loyalty_level'],
    ['a header with nothing to transliterate keeps its text', '会员', '会员'],
  ])('%s: %s', (_why, header, key) => {
    expect(attributeKey(header)).toBe(key);
  });

  it('keys usable in a segment rule (attributes.<key>)', () => {
    for (const header of ['Любимый цвет', 'Город', 'x'.repeat(100), 'Дата последнего визита в магазин на Тверской улице города Москвы']) {
      expect(attributeKey(header)).toMatch(/^[A-Za-z0-9_]{1,64}$/);
    }
  });

  it('numbers a second header that lands on the same key', () => {
    expect(attributeKeys(['Цвет!', 'Цвет?', 'Размер', 'цвет.'])).toEqual(['tsvet', 'tsvet_2', 'razmer', 'tsvet_3']);
  });
});
