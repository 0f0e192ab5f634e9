import { copyField } from './copy-writer';

describe('copyField', () => {
  it.each([
    [null, '\\N'],
    [undefined, '\\N'],
    ['plain', 'plain'],
    ['tab\there', 'tab\\there'],
    ['line\nbreak\r', 'line\\nbreak\\r'],
    ['back\\slash', 'back\\\\slash'],
    [42, '42'],
    [true, 't'],
    [false, 'f'],
    [new Date('2026-01-02T03:04:05.678Z'), '2026-01-02T03:04:05.678Z'],
    [['vip', 'b2b'], '{"vip","b2b"}'],
    [['with "quote"'], '{"with \\\\"quote\\\\""}'],
    [{ city: 'Москва', note: 'a\tb' }, '{"city":"Москва","note":"a\\\\tb"}'],
  ])('%p → %p', (value, expected) => {
    expect(copyField(value as never)).toBe(expected);
  });
});
