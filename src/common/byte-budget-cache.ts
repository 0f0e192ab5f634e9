// Values by key within a budget of bytes, least recently used dropped first; a value is loaded
// at most once however many callers ask at the same time, and a failed load is not kept.
// A value bigger than the whole budget is handed out but not kept.

export class ByteBudgetCache<T> {
  private readonly entries = new Map<string, { value: Promise<T>; bytes: number }>();
  private used = 0;

  constructor(
    readonly maxBytes: number,
    private readonly sizeOf: (value: T) => number,
  ) {
    if (!Number.isInteger(maxBytes) || maxBytes < 1) throw new RangeError('maxBytes must be a whole number ≥ 1');
  }

  /** Bytes held by the values kept (loads in flight count 0). */
  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key); // to the most recent end
      this.entries.set(key, hit);
      return hit.value;
    }
    const entry = { value: Promise.resolve().then(load), bytes: 0 };
    this.entries.set(key, entry);
    entry.value.then(
      (value) => {
        if (this.entries.get(key) !== entry) return;
        entry.bytes = this.sizeOf(value);
        this.used += entry.bytes;
        if (entry.bytes > this.maxBytes) this.drop(key);
        this.evict();
      },
      () => {
        if (this.entries.get(key) === entry) this.drop(key);
      },
    );
    return entry.value;
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.used -= entry.bytes;
    this.entries.delete(key);
  }

  private evict(): void {
    for (const key of this.entries.keys()) {
      if (this.used <= this.maxBytes) return;
      this.drop(key);
    }
  }
}
