// A batch of rows rendered once in COPY text format straight into byte buffers, then streamed
// to one table or more (an import's consents go to `consents` and to `consent_events`). Each
// value is encoded into a 256 KB chunk where it lands, instead of being concatenated into a
// large string and encoded again when it is written: the import formats several million values
// a minute, and this halves what that costs in CPU and garbage. Values are rendered by the
// shared copyField, so escaping is the same as copyRows'.
import { once } from 'node:events';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyField, type CopyValue } from '../../database/copy-writer';

const CHUNK_BYTES = 256 * 1024;
const TAB = 9;
const NEWLINE = 10;

export interface CopyBatch {
  chunks: Buffer[];
  rows: number;
}

export function renderCopyRows(rows: Iterable<CopyValue[]>): CopyBatch {
  const chunks: Buffer[] = [];
  let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let at = 0;
  let count = 0;
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      const text = copyField(row[i]);
      if (at + text.length * 3 + 1 > chunk.length) {
        // A UTF-16 unit takes at most three bytes in UTF-8: a value never straddles two chunks.
        chunks.push(chunk.subarray(0, at));
        chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, text.length * 3 + 1));
        at = 0;
      }
      at += chunk.write(text, at);
      chunk[at++] = i === row.length - 1 ? NEWLINE : TAB;
    }
    count++;
  }
  if (at > 0) chunks.push(chunk.subarray(0, at));
  return { chunks, rows: count };
}

/** Streams a rendered batch into `table (columns)`; resolves once PostgreSQL has every row. */
export async function copyBatch(client: Client, table: string, columns: string[], batch: CopyBatch): Promise<number> {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN`));
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  for (const chunk of batch.chunks) {
    if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), finished]);
  }
  stream.end();
  await finished;
  return batch.rows;
}

/** Renders and streams in one go. */
export function copyValues(client: Client, table: string, columns: string[], rows: Iterable<CopyValue[]>): Promise<number> {
  return copyBatch(client, table, columns, renderCopyRows(rows));
}
