import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { CsvRecordTooLongError, CsvTokenizer, type CsvRecord } from './csv-tokenizer';

function tokenize(text: string, delimiter = ',', chunkSizes: number[] = [text.length || 1]): CsvRecord[] {
  const tokenizer = new CsvTokenizer({ delimiter });
  const out: CsvRecord[] = [];
  let pos = 0;
  let k = 0;
  while (pos < text.length) {
    const size = Math.max(1, chunkSizes[k++ % chunkSizes.length]);
    tokenizer.push(text.slice(pos, pos + size), out);
    pos += size;
  }
  tokenizer.end(out);
  return out;
}

describe('CsvTokenizer', () => {
  it.each([
    [
      'plain',
      'a,b\n1,2\n',
      [
        [1, ['a', 'b']],
        [2, ['1', '2']],
      ],
    ],
    [
      'no final line break',
      'a,b\n1,2',
      [
        [1, ['a', 'b']],
        [2, ['1', '2']],
      ],
    ],
    [
      'CRLF',
      'a,b\r\n1,2\r\n',
      [
        [1, ['a', 'b']],
        [2, ['1', '2']],
      ],
    ],
    [
      'lone CR',
      'a,b\r1,2\r',
      [
        [1, ['a', 'b']],
        [2, ['1', '2']],
      ],
    ],
    ['empty fields', ',,\n', [[1, ['', '', '']]]],
    [
      'blank line kept as one empty field',
      'a\n\nb\n',
      [
        [1, ['a']],
        [2, ['']],
        [3, ['b']],
      ],
    ],
    ['quoted delimiter', '"a,b",c\n', [[1, ['a,b', 'c']]]],
    ['escaped quote', '"say ""hi""",x\n', [[1, ['say "hi"', 'x']]]],
    ['empty quoted', '"",x\n', [[1, ['', 'x']]]],
    ['quote inside unquoted field is literal', 'ab"c,d\n', [[1, ['ab"c', 'd']]]],
    ['spaces after closing quote', '"a"  ,b\n', [[1, ['a', 'b']]]],
    [
      'quoted LF moves the next line number',
      'h1,h2\n"line one\nline two",x\nnext,y\n',
      [
        [1, ['h1', 'h2']],
        [2, ['line one\nline two', 'x']],
        [4, ['next', 'y']],
      ],
    ],
    [
      'quoted CRLF counts as one line',
      'h\r\n"a\r\nb\r\nc"\r\nz\r\n',
      [
        [1, ['h']],
        [2, ['a\r\nb\r\nc']],
        [5, ['z']],
      ],
    ],
  ] as const)('%s', (_name, text, expected) => {
    const records = tokenize(text);
    expect(records.map((r) => [r.line, r.fields])).toEqual(expected);
    expect(records.every((r) => r.error === undefined)).toBe(true);
  });

  it('uses the delimiter it is given', () => {
    expect(tokenize('a;b,c\tz\n', ';').map((r) => r.fields)).toEqual([['a', 'b,c\tz']]);
    expect(tokenize('a;b,c\tz\n', '\t').map((r) => r.fields)).toEqual([['a;b,c', 'z']]);
  });

  it('flags text after a closing quote and goes on with the next line', () => {
    const records = tokenize('"ab"cd,e\nf,g\n');
    expect(records[0]).toEqual({ line: 1, fields: ['abcd', 'e'], error: { column: 0, reason: 'text_after_closing_quote' } });
    expect(records[1]).toEqual({ line: 2, fields: ['f', 'g'] });
  });

  it('flags a quote left open at the end of input, on the line where it opened', () => {
    const records = tokenize('a,b\nc,"open\nrest\n');
    expect(records[1]).toEqual({ line: 2, fields: ['c', 'open\nrest\n'], error: { column: 1, reason: 'unclosed_quote' } });
  });

  it('aborts on a record longer than the limit (an unclosed quote in a big file)', () => {
    const tokenizer = new CsvTokenizer({ delimiter: ',', maxRecordChars: 100 });
    tokenizer.push('a\nb\n');
    expect(() => {
      for (let i = 0; i < 10; i++) tokenizer.push(i === 0 ? '"' + 'x'.repeat(30) : 'x'.repeat(30));
    }).toThrow(CsvRecordTooLongError);
  });

  it.each([['"'], ['\n'], ['ab']])('refuses the delimiter %p', (delimiter) => {
    expect(() => new CsvTokenizer({ delimiter })).toThrow();
  });

  // Random CSV built from awkward cells, compared with csv-parse (the reference) on the
  // fields, and with itself on how the text is cut into chunks.
  const cell = fc.oneof(
    fc.constantFrom('', 'a', 'Иван', ' spaced ', '1,5', 'x;y', 'tab\there', '😀'),
    fc.string({ unit: fc.constantFrom('a', 'б', ',', ';', '"', '\n', '\r\n', ' ', '\t'), maxLength: 12 }),
  );
  const quoteCell = (value: string, delimiter: string) =>
    value === '' || /[",;\t\r\n]/.test(value) || value.includes(delimiter) ? `"${value.replace(/"/g, '""')}"` : value;
  const csvArb = fc
    .record({
      delimiter: fc.constantFrom(',', ';', '\t'),
      eol: fc.constantFrom('\n', '\r\n'),
      width: fc.integer({ min: 1, max: 5 }),
      rows: fc.array(fc.array(cell, { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 8 }),
      finalEol: fc.boolean(),
    })
    .map(({ delimiter, eol, width, rows, finalEol }) => {
      const table = rows.map((r) => r.slice(0, width));
      const text = table.map((r) => r.map((v) => quoteCell(v, delimiter)).join(delimiter)).join(eol) + (finalEol ? eol : '');
      return { delimiter, table, text };
    });

  it('reads what csv-parse reads, whatever the chunking', () => {
    fc.assert(
      fc.property(
        csvArb,
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }),
        ({ delimiter, table, text }, chunks) => {
          const reference = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: false }) as string[][];
          const whole = tokenize(text, delimiter);
          expect(whole.map((r) => r.fields)).toEqual(reference);
          expect(whole.map((r) => r.fields)).toEqual(table);
          expect(tokenize(text, delimiter, chunks)).toEqual(whole);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('numbers each record by the physical line it starts on', () => {
    fc.assert(
      fc.property(csvArb, ({ delimiter, text }) => {
        const records = tokenize(text, delimiter);
        expect(records[0].line).toBe(1);
        // The next record starts right after the previous one's last physical line.
        for (let i = 1; i < records.length; i++) {
          const previous = records[i - 1];
          const span = previous.fields.join('').split(/\r\n|\r|\n/).length - 1;
          expect(records[i].line).toBe(previous.line + 1 + span);
        }
        // …and the last one ends on the file's last line.
        const last = records[records.length - 1];
        const breaks = (text.match(/\r\n|\r|\n/g) ?? []).length;
        const lines = /[\r\n]$/.test(text) ? breaks : breaks + 1;
        expect(last.line + last.fields.join('').split(/\r\n|\r|\n/).length - 1).toBe(lines);
      }),
      { numRuns: 500 },
    );
  });
});
