import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { InboundSpool } from './inbound-spool';
import { ByteBudget } from './intake-limits';

let dir: string;
let spool: InboundSpool;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'otklik-spool-spec-'));
  spool = new InboundSpool(path.join(dir, 'spool'));
  await spool.open();
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const chunks = (...parts: string[]) => Readable.from(parts.map((p) => Buffer.from(p)));
const files = async () => readdir(spool.dir);

describe('InboundSpool', () => {
  it('writes the stream to a file and counts its bytes on the claim', async () => {
    const budget = new ByteBudget(100);
    const claim = budget.claim();
    const spooled = await spool.write(chunks('Subject: a\r\n', '\r\nhello\r\n'), 1000, claim);
    expect(spooled).toMatchObject({ stored: 21, size: 21, refused: false });
    expect(await readFile(spooled.file, 'utf8')).toBe('Subject: a\r\n\r\nhello\r\n');
    expect(budget.inUse).toBe(21);
    const read: Buffer[] = [];
    for await (const chunk of spool.read(spooled.file)) read.push(chunk as Buffer);
    expect(Buffer.concat(read).toString()).toBe('Subject: a\r\n\r\nhello\r\n');
    expect(await spool.remove(spooled.file)).toBe(true);
    expect(await spool.remove(spooled.file)).toBe(false);
  });

  it('keeps the first `keep` bytes of a bigger message and reads the rest to its end', async () => {
    const spooled = await spool.write(chunks('0123456789', 'abcdefghij', 'KLMNOPQRST'), 15, new ByteBudget(100).claim());
    expect(spooled).toMatchObject({ stored: 15, size: 30, refused: false });
    expect(await readFile(spooled.file, 'utf8')).toBe('0123456789abcde');
  });

  it('refuses a message the budget cannot take: the claim is given back at once, the file removed, the stream drained', async () => {
    const budget = new ByteBudget(15);
    budget.claim().grow(5);
    const claim = budget.claim();
    const stream = chunks('0123456789', 'abcdefghij', 'KLMNOPQRST');
    const spooled = await spool.write(stream, 1000, claim);
    expect(spooled).toMatchObject({ refused: true, size: 30 });
    expect(stream.readableEnded).toBe(true);
    expect(budget.inUse).toBe(5);
    expect(await files()).toEqual([]);
  });

  it('a stream that fails part-way leaves no file and rejects', async () => {
    const stream = new PassThrough();
    const writing = spool.write(stream, 1000, new ByteBudget(100).claim());
    stream.write('half a message');
    await new Promise((resolve) => setImmediate(resolve));
    stream.destroy(new Error('client went away'));
    await expect(writing).rejects.toThrow('client went away');
    expect(await files()).toEqual([]);
  });

  it('open() removes spool files untouched for an hour, and only those', async () => {
    const stale = path.join(spool.dir, 'stale.eml');
    const fresh = path.join(spool.dir, 'fresh.eml');
    const other = path.join(spool.dir, 'notes.txt');
    for (const file of [stale, fresh, other]) await writeFile(file, 'x');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    await utimes(stale, twoHoursAgo, twoHoursAgo);
    await utimes(other, twoHoursAgo, twoHoursAgo);
    expect(await spool.open()).toBe(1);
    expect((await files()).sort()).toEqual(['fresh.eml', 'notes.txt']);
  });
});
