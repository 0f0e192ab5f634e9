import { bigRowCursorText, bigRowIdText, INT4_MAX, rowCursorText, rowId, rowIdOf, rowIdText } from './ids';

describe('row ids', () => {
  it.each([
    ['1', 1],
    ['17', 17],
    [String(INT4_MAX), INT4_MAX],
  ])('rowIdText reads %p as %p', (text, id) => {
    expect(rowIdText.parse(text)).toBe(id);
    expect(rowIdOf(text)).toBe(id);
  });

  it.each([
    ['just above int4', '2147483648'],
    ['far above int4', '99999999999'],
    ['above int8', '99999999999999999999'],
    ['negative', '-1'],
    ['zero', '0'],
    ['a leading zero', '017'],
    ['a plus sign', '+17'],
    ['a fraction', '1.5'],
    ['an exponent', '1e3'],
    ['a space', ' 1'],
    ['letters', 'abc'],
    ['empty', ''],
  ])('rowIdText refuses %s (%p) with a message that gives the range', (_what, text) => {
    const result = rowIdText.safeParse(text);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toBe('expected an id: a whole number from 1 to 2147483647');
    expect(rowIdOf(text)).toBeNull();
  });

  it('rowIdText refuses what a query string can hold besides text', () => {
    for (const value of [['1', '2'], undefined, 1]) expect(rowIdText.safeParse(value).success).toBe(false);
  });

  it.each([
    [1, true],
    [INT4_MAX, true],
    [INT4_MAX + 1, false],
    [1e20, false],
    [0, false],
    [-1, false],
    [1.5, false],
    ['1', false],
    [Number.NaN, false],
  ])('rowId (a JSON body field) takes %p: %p', (value, ok) => {
    expect(rowId.safeParse(value).success).toBe(ok);
  });

  it('rowCursorText also takes 0, "from the start"', () => {
    expect(rowCursorText.parse('0')).toBe(0);
    expect(rowCursorText.parse('2147483647')).toBe(2147483647);
    for (const bad of ['-1', '2147483648', '00', 'abc']) expect(rowCursorText.safeParse(bad).success).toBe(false);
  });

  it('bigRowIdText reads int8 ids as bigints and refuses anything beyond the column', () => {
    expect(bigRowIdText.parse('2147483648')).toBe(2147483648n);
    expect(bigRowIdText.parse('9223372036854775807')).toBe(9223372036854775807n);
    for (const bad of ['9223372036854775808', '9999999999999999999', '99999999999999999999', '0', '-1', '1.5', 'abc', '01']) {
      expect(bigRowIdText.safeParse(bad).success).toBe(false);
    }
    expect(bigRowCursorText.parse('0')).toBe(0n);
    expect(bigRowCursorText.parse('12')).toBe(12n);
    expect(bigRowCursorText.safeParse('-1').success).toBe(false);
  });
});
