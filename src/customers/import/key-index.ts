// Remembers which line first used a key (an email, a phone, an external id) for in-file
// de-duplication in 12 bytes a slot (16–32 bytes a key) instead of ~100 for a Map of strings,
// and without keeping the strings (and the chunks they may be sliced from) alive. A key is
// stored as two independent 32-bit hashes, so an unrelated key is taken for a seen one with
// probability about n²/2⁶⁵ over a file of n keys (1 in 4 million files of 3 million keys);
// even then only that one row is reported as a duplicate, naming the other line.

const STRIDE = 3; // [hashA, hashB, line] per slot; line 0 = empty

export class KeyIndex {
  private table: Int32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1 << 12) {
    let capacity = 16;
    while (capacity < initialCapacity) capacity <<= 1;
    this.table = new Int32Array(capacity * STRIDE);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The line that used `key` first, or undefined. */
  get(key: string): number | undefined {
    hash2(key);
    const slot = this.find(hashOut[0], hashOut[1]);
    const line = this.table[slot * STRIDE + 2];
    return line === 0 ? undefined : line;
  }

  /** Records `key` for `line` (≥ 1) unless already there; returns the line that holds it. */
  add(key: string, line: number): number {
    if (!(line >= 1)) throw new Error('line must be ≥ 1');
    hash2(key);
    const a = hashOut[0];
    const b = hashOut[1];
    const at = this.find(a, b) * STRIDE;
    const existing = this.table[at + 2];
    if (existing !== 0) return existing;
    this.table[at] = a;
    this.table[at + 1] = b;
    this.table[at + 2] = line;
    this.count++;
    if (this.count * 4 > (this.mask + 1) * 3) this.grow();
    return line;
  }

  /** Slot holding (a, b), or the empty slot where it would go (linear probing). */
  private find(a: number, b: number): number {
    const table = this.table;
    let slot = a & this.mask;
    for (;;) {
      const at = slot * STRIDE;
      if (table[at + 2] === 0 || (table[at] === a && table[at + 1] === b)) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.table;
    const capacity = (this.mask + 1) * 2;
    this.table = new Int32Array(capacity * STRIDE);
    this.mask = capacity - 1;
    for (let at = 0; at < old.length; at += STRIDE) {
      if (old[at + 2] === 0) continue;
      const to = this.find(old[at], old[at + 1]) * STRIDE;
      this.table[to] = old[at];
      this.table[to + 1] = old[at + 1];
      this.table[to + 2] = old[at + 2];
    }
  }
}

const hashOut = new Int32Array(2);

/** Two 32-bit hashes of a string in one pass (FNV-1a and a multiply-xorshift lane), finalised. */
function hash2(key: string): void {
  let a = 0x811c9dc5 | 0;
  let b = 0x9747b28c | 0;
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
