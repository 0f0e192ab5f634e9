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
export async function copyRows(
  client: Client | PoolClient,
  table: string,
  columns: string[],
  rows: Iterable<CopyValue[]>,
): Promise<number> {
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

/** A value of COPY's binary format, by its column type (an enum is sent as `text`, its label). */
export type BinaryValue = { int8: bigint } | { int4: number } | { bool: boolean } | { text: string | null };

const BINARY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

function binaryField(value: BinaryValue): Buffer {
  if ('int8' in value) {
    const b = Buffer.alloc(12);
    b.writeInt32BE(8);
    b.writeBigInt64BE(value.int8, 4);
    return b;
  }
  if ('int4' in value) return Buffer.concat([int32(4), int32(value.int4)]);
  if ('bool' in value) return Buffer.from([0, 0, 0, 1, value.bool ? 1 : 0]);
  if (value.text === null) return int32(-1);
  const text = Buffer.from(value.text, 'utf8');
  return Buffer.concat([int32(text.length), text]);
}

/**
 * Streams one row into `table (columns)` in COPY's binary format, its last column a bytea of
 * `length` bytes read from `bytes` (a file stream) and passed through as they come: a value of
 * tens of megabytes never sits whole in this process, nor is it re-encoded (the text format
 * would double it into hex strings). COPY is one statement: if `bytes` fails or yields another
 * length (or the connection drops), nothing of the row is stored.
 */
export async function copyRowWithBytes(
  client: Client | PoolClient,
  table: string,
  columns: string[],
  values: BinaryValue[],
  bytes: AsyncIterable<Buffer>,
  length: number,
): Promise<void> {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN (FORMAT binary)`));
  async function* row(): AsyncGenerator<Buffer> {
    const fieldCount = Buffer.alloc(2);
    fieldCount.writeInt16BE(values.length + 1);
    // Signature, flags, header extension length; then the one tuple: its field count, fields, and the bytea's length.
    yield Buffer.concat([BINARY_SIGNATURE, int32(0), int32(0), fieldCount, ...values.map(binaryField), int32(length)]);
    let sent = 0;
    for await (const chunk of bytes) {
      sent += chunk.length;
      if (sent > length) break;
      yield chunk;
    }
    if (sent !== length) throw new Error(`expected ${length} bytes to copy, got ${sent > length ? 'more' : sent}`);
    // The trailer: a field count of -1.
    yield Buffer.from([0xff, 0xff]);
  }
  // One chunk waits at a time (Readable.from would otherwise buffer 16 of them).
  await pipeline(Readable.from(row(), { highWaterMark: 1 }), stream);
}
