import { csvCell, csvRow, toCsv } from './csv';

describe('CSV cells', () => {
  it.each<[string, unknown, string]>([
    ['plain text as it is', 'plain', 'plain'],
    ['a comma quoted', 'a,b', '"a,b"'],
    ['a semicolon quoted (Russian Excel splits on it)', 'a;b', '"a;b"'],
    ['quotes doubled', 'say "hi"', '"say ""hi"""'],
    ['a line break quoted', 'строка\nвторая', '"строка\nвторая"'],
    ['a CR quoted', 'a\rb', '"a\rb"'],
    ['a formula defused and quoted', '=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['= defused', '=1+2', "'=1+2"],
    ['+ defused', '+7 912 000', "'+7 912 000"],
    ['- defused', '-5', "'-5"],
    ['@ defused', '@SUM(A1)', "'@SUM(A1)"],
    ['a leading tab defused', '\t=1', "'\t=1"],
    ['a leading CR defused and quoted', '\r=1', `"'\r=1"`],
    ['a leading LF defused and quoted', '\n=1', `"'\n=1"`],
    ['a formula with a semicolon', "=cmd|' /C calc'!A0;x", `"'=cmd|' /C calc'!A0;x"`],
    ['an = inside is no formula', 'a=b', 'a=b'],
    ['a negative number stays a number', -5, '-5'],
    ['a number', 12.5, '12.5'],
    ['null is empty', null, ''],
    ['undefined is empty', undefined, ''],
    ['a date as ISO', new Date('2026-11-23T10:00:00Z'), '2026-11-23T10:00:00.000Z'],
  ])('%s: csvCell(%p)', (_what, value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('quotes a cell holding the export delimiter, whatever it is', () => {
    expect(csvCell('a\tb', '\t')).toBe('"a\tb"');
    expect(csvCell('a|b', '|')).toBe('"a|b"');
    expect(csvCell('a,b', ';')).toBe('"a,b"');
  });

  it('writes rows with the delimiter and CRLF, and a file with a BOM and a header', () => {
    expect(csvRow([1, 'a;b', null])).toBe('1,"a;b",\r\n');
    expect(csvRow([1, 'a;b', '=x'], ';')).toBe('1;"a;b";\'=x\r\n');
    expect(
      toCsv(
        ['a', 'b'],
        [
          [1, 'x'],
          [2, null],
        ],
      ),
    ).toBe('\uFEFFa,b\r\n1,x\r\n2,\r\n');
  });
});
