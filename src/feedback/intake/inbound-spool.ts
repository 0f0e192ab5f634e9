// The inbound SMTP spool: a message's DATA is written to a file as it arrives (backpressure
// from the file to the socket), never gathered in memory; the intake then streams the file
// into the database and the file is removed. Plain Node, no Nest.
//
// Store, then acknowledge: the sender gets 250 only after the row is committed, so a spool
// file is never the only copy of a message someone was told we have. A process that dies
// mid-way leaves files whose senders got no 250 (they retry), and open() removes them.
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BudgetClaim } from './intake-limits';

/**
 * A spool file untouched this long belongs to no live process: one being received is written
 * at least every socket timeout (a minute), one being stored is read within seconds. Files of
 * other live processes sharing the directory (replicas, parallel test runs) are left alone.
 */
const STALE_MS = 60 * 60_000;
const READ_CHUNK = 256 * 1024;

export interface Spooled {
  file: string;
  /** Bytes in the file: the message's first `keep` bytes. */
  stored: number;
  /** Bytes as received. */
  size: number;
  /** The budget ran out part-way: the file is already gone, nothing is stored, the sender gets a 4xx. */
  refused: boolean;
}

export class InboundSpool {
  constructor(readonly dir: string) {}

  /** Creates the directory (private to this user) and removes stale files; returns how many. */
  async open(now = Date.now()): Promise<number> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    let removed = 0;
    for (const name of await readdir(this.dir)) {
      if (!name.endsWith('.eml')) continue;
      const file = path.join(this.dir, name);
      const info = await stat(file).catch(() => null);
      if (info && now - info.mtimeMs > STALE_MS && (await this.remove(file))) removed++;
    }
    return removed;
  }

  /**
   * Writes `stream` to a new spool file, keeping its first `keep` bytes (the rest is read and
   * dropped), each kept byte counted on `claim` as it arrives. When the claim cannot grow, the
   * message is refused on the spot: its claim is given back (so the messages still arriving
   * can use it), its file removed, and the rest of the stream drained. Rejects, with the file
   * removed, when the stream fails (the client went away) or, once the stream is read to its
   * end, when the disk failed.
   */
  async write(stream: Readable, keep: number, claim: BudgetClaim): Promise<Spooled> {
    // An error before the pipeline below listens (while the file opens) is its to report, not an uncaught one.
    stream.on('error', () => undefined);
    const file = path.join(this.dir, `${randomUUID()}.eml`);
    const handle = await open(file, 'wx', 0o600);
    let closed: Promise<void> | null = null;
    const close = () => (closed ??= handle.close());
    let stored = 0;
    let size = 0;
    let refused = false;
    // A disk error is remembered, not thrown into the pipeline: the client is still sending,
    // and its message must be read to the end before the 4xx can be answered.
    let failed = null as Error | null;
    const drop = (reason: 'refused' | Error) => {
      if (reason === 'refused') refused = true;
      else failed = reason;
      claim.release();
      return close().then(() => this.remove(file));
    };
    const sink = new Writable({
      highWaterMark: 64 * 1024,
      write(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (refused || failed || stored >= keep) return done();
        const part = stored + chunk.length > keep ? chunk.subarray(0, keep - stored) : chunk;
        if (!claim.grow(part.length)) {
          drop('refused').then(
            () => done(),
            () => done(),
          );
          return;
        }
        stored += part.length;
        writeAll(handle, part).then(
          () => done(),
          (error: unknown) =>
            drop(error instanceof Error ? error : new Error(String(error))).then(
              () => done(),
              () => done(),
            ),
        );
      },
      final(done) {
        close().then(() => done(), done);
      },
      destroy(error, done) {
        close().then(
          () => done(error),
          () => done(error),
        );
      },
    });
    try {
      await pipeline(stream, sink);
    } catch (error) {
      await close().catch(() => undefined);
      await this.remove(file);
      throw error;
    }
    if (failed) {
      await this.remove(file);
      throw failed;
    }
    return { file, stored, size, refused };
  }

  /** The file's bytes, in chunks. */
  read(file: string): Readable {
    return createReadStream(file, { highWaterMark: READ_CHUNK });
  }

  /** Removes a spool file; true if it was there. */
  async remove(file: string): Promise<boolean> {
    try {
      await unlink(file);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }
}

async function writeAll(handle: Awaited<ReturnType<typeof open>>, bytes: Buffer): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) offset += (await handle.write(bytes, offset)).bytesWritten;
}
