import { copyField, type CopyValue } from '../../database/copy-writer';
import { renderCopyRows } from './copy-batch';

const expected = (rows: CopyValue[][]) => rows.map((r) => r.map(copyField).join('\t') + '\n').join('');

describe('renderCopyRows', () => {
  it('renders rows as COPY text lines, escapes and NULLs included', () => {
    const rows: CopyValue[][] = [
      [1, 'Иван', null, ['vip', 'b2b'], { city: 'Москва' }],
      [2, 'tab\there\nand line', true, new Date('2026-01-02T03:04:05.678Z'), undefined],
    ];
    const batch = renderCopyRows(rows);
    expect(batch.rows).toBe(2);
    expect(Buffer.concat(batch.chunks).toString('utf8')).toBe(expected(rows));
  });

  it('splits into chunks between values, never inside a multi-byte character', () => {
    const rows: CopyValue[][] = Array.from({ length: 20_000 }, (_, i) => [i, 'Ёлкина-Юлия-'.repeat(1 + (i % 7)), `user${i}@почта.рф`]);
    rows.push([0, 'x'.repeat(600_000)]); // larger than a chunk
    const batch = renderCopyRows(rows);
    expect(batch.chunks.length).toBeGreaterThan(2);
    expect(Buffer.concat(batch.chunks).toString('utf8')).toBe(expected(rows));
  });

  it('renders nothing for no rows', () => {
    expect(renderCopyRows([])).toEqual({ chunks: [], rows: 0 });
  });
});
