// Bulk loading through PostgreSQL's COPY FROM STDIN (text format), with backpressure, so a
// million rows stream in with flat memory. Used by the demo generator and bulk imports, and
// for one row with a large bytea value (an inbound message streamed from its spool file).
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient, Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export type CopyValue = string | number | boolean | Date | null | undefined | string[] | Record<string, unknown>;

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const NEEDS_ESCAPE = /[\\\t\n\r]/;

function escapeText(text: string): string {
  // Most values need no escaping; testing first spares a replace per value (bulk imports format millions).
  return NEEDS_ESCAPE.test(text) ? text.replace(/[\\\t\n\r]/g, (ch) => ESCAPES[ch]) : text;
}

function arrayLiteral(items: string[]): string {
  return `{${items.map((item) => `"${item.replace(/["\\]/g, (ch) => `\\${ch}`)}"`).join(',')}}`;
}

/** One value in COPY text format (`\N` is NULL). */
export function copyField(value: CopyValue): string {
  if (typeof value === 'string') return escapeText(value);
  if (value === null || value === undefined) return '\\N';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return escapeText(arrayLiteral(value));
  if (typeof value === 'object') return escapeText(JSON.stringify(value));
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return escapeText(String(value));
}

const FLUSH_AT = 256 * 1024;

/** Streams rows into `table (columns)`; resolves with the row count once PostgreSQL has them. */
export async function copyRows(client: Client | PoolClient, table: string, columns: string[], rows: Iterable<CopyValue[]>): Promise<number> {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN`));
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  let buffer = '';
  let count = 0;
  for (const row of rows) {
    let line = copyField(row[0]);
    for (let i = 1; i < row.length; i++) line += '\t' + copyField(row[i]);
    buffer += line + '\n';
    count++;
    if (buffer.length >= FLUSH_AT) {
      const ok = stream.write(buffer);
      buffer = '';
      if (!ok) await Promise.race([once(stream, 'drain'), finished]);
    }
  }
  stream.end(buffer);
  await finished;
  return count;
}

/**
 * Streams one row into `table (columns)`, its last column a bytea read from `bytes` and sent
 * hex-encoded chunk by chunk (`\\x…` in COPY text), so a value of tens of megabytes never sits
 * whole in this process: memory stays at a chunk or two. COPY is one statement: if `bytes`
 * fails part-way (or the connection drops), nothing of the row is stored.
 */
export async function copyRowWithBytes(client: Client | PoolClient, table: string, columns: string[], values: CopyValue[], bytes: AsyncIterable<Buffer>): Promise<void> {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN`));
  async function* line(): AsyncGenerator<string> {
    yield values.map(copyField).join('\t') + (values.length ? '\t' : '') + '\\\\x';
    for await (const chunk of bytes) yield chunk.toString('hex');
    yield '\n';
  }
  await pipeline(Readable.from(line()), stream);
}
