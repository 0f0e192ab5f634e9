// Remembers which line first used a key (an email, a phone, an external id) for in-file
// de-duplication in 12 bytes a slot (16–32 bytes a key) instead of ~100 for a Map of strings,
// and without keeping the strings (and the chunks they may be sliced from) alive. A key is
// stored as two independent 32-bit hashes, so an unrelated key is taken for a seen one with
// probability about n²/2⁶⁵ over a file of n keys (1 in 4 million files of 3 million keys);
// even then only that one row is reported as a duplicate, naming the other line.

const STRIDE = 3; // [hashA, hashB, line] per slot; line 0 = empty
// The table is split into shards by the top bits of the hash, each growing on its own: a growth
// copies one shard (1/256 of the index), never the whole table, so memory never briefly holds
// an old and a new table of the full size (at a million rows × three keys, 48 + 96 MB).
const SHARD_BITS = 8;
const SHARDS = 1 << SHARD_BITS;
const MIN_SHARD_CAPACITY = 16;

export class KeyIndex {
  private readonly tables: Int32Array[] = [];
  private readonly masks = new Int32Array(SHARDS);
  private readonly counts = new Int32Array(SHARDS);
  private count = 0;

  constructor(initialCapacity = 1 << 12) {
    let capacity = MIN_SHARD_CAPACITY;
    while (capacity * SHARDS < initialCapacity) capacity <<= 1;
    for (let s = 0; s < SHARDS; s++) {
      this.tables.push(new Int32Array(capacity * STRIDE));
      this.masks[s] = capacity - 1;
    }
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the slots (for memory reports). */
  get bytes(): number {
    let total = 0;
    for (const table of this.tables) total += table.byteLength;
    return total;
  }

  /** The line that used `key` (of `kind`) first, or undefined. */
  get(key: string, kind = 0): number | undefined {
    hash2(key, kind);
    const shard = hashOut[0] >>> (32 - SHARD_BITS);
    const line = this.tables[shard][find(this.tables[shard], this.masks[shard], hashOut[0], hashOut[1]) * STRIDE + 2];
    return line === 0 ? undefined : line;
  }

  /**
   * Records `key` for `line` (≥ 1) unless already there; returns the line that holds it.
   * `kind` keeps keys of different kinds apart (an email and a phone that read the same)
   * without building a prefixed string per key.
   */
  add(key: string, line: number, kind = 0): number {
    if (!(line >= 1)) throw new Error('line must be ≥ 1');
    hash2(key, kind);
    const a = hashOut[0];
    const b = hashOut[1];
    const shard = a >>> (32 - SHARD_BITS);
    const table = this.tables[shard];
    const at = find(table, this.masks[shard], a, b) * STRIDE;
    const existing = table[at + 2];
    if (existing !== 0) return existing;
    table[at] = a;
    table[at + 1] = b;
    table[at + 2] = line;
    this.count++;
    if (++this.counts[shard] * 4 > (this.masks[shard] + 1) * 3) this.grow(shard);
    return line;
  }

  private grow(shard: number): void {
    const old = this.tables[shard];
    const capacity = (this.masks[shard] + 1) * 2;
    const table = new Int32Array(capacity * STRIDE);
    const mask = capacity - 1;
    for (let at = 0; at < old.length; at += STRIDE) {
      if (old[at + 2] === 0) continue;
      const to = find(table, mask, old[at], old[at + 1]) * STRIDE;
      table[to] = old[at];
      table[to + 1] = old[at + 1];
      table[to + 2] = old[at + 2];
    }
    this.tables[shard] = table;
    this.masks[shard] = mask;
  }
}

/** Slot holding (a, b), or the empty slot where it would go (linear probing). */
function find(table: Int32Array, mask: number, a: number, b: number): number {
  let slot = a & mask;
  for (;;) {
    const at = slot * STRIDE;
    if (table[at + 2] === 0 || (table[at] === a && table[at + 1] === b)) return slot;
    slot = (slot + 1) & mask;
  }
}

const hashOut = new Int32Array(2);

/** Two 32-bit hashes of a kind and a string in one pass (FNV-1a and a multiply-xorshift lane), finalised. */
function hash2(key: string, kind: number): void {
  let a = Math.imul(0x811c9dc5 ^ kind, 0x01000193);
  let b = Math.imul(0x9747b28c ^ kind, 0x5bd1e995);
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  hashOut[0] = fmix(a ^ key.length);
  hashOut[1] = fmix(b ^ Math.imul(key.length, 0x27d4eb2d));
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
