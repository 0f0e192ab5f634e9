// Compiled templates by template version id, least recently used dropped first.
// A version never changes once saved, so an entry never goes stale; the bound only
// keeps memory flat when many versions are in use.

export class CompiledTemplateCache<T> {
  private readonly entries = new Map<string | number, Promise<T>>();

  constructor(readonly maxEntries = 500) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be a whole number ≥ 1');
  }

  get size(): number {
    return this.entries.size;
  }

  has(versionId: string | number): boolean {
    return this.entries.has(versionId);
  }

  /**
   * The compiled template for a version, compiling it at most once even when many
   * callers ask at the same time. A failed compile is not kept, so a later call retries.
   */
  get(versionId: string | number, compile: () => T | Promise<T>): Promise<T> {
    const hit = this.entries.get(versionId);
    if (hit) {
      this.entries.delete(versionId); // move to the most recent end
      this.entries.set(versionId, hit);
      return hit;
    }
    const pending = Promise.resolve().then(compile);
    this.entries.set(versionId, pending);
    pending.catch(() => {
      if (this.entries.get(versionId) === pending) this.entries.delete(versionId);
    });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string | number;
      this.entries.delete(oldest);
    }
    return pending;
  }

  delete(versionId: string | number): boolean {
    return this.entries.delete(versionId);
  }

  clear(): void {
    this.entries.clear();
  }
}
