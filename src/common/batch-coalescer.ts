// Many concurrent jobs each need one small database write (claim a message, mark it sent).
// Instead of one round trip each, calls made while a batch is in flight (or within the same
// tick) are gathered and run as one statement; every caller still gets its own answer.

export type BatchFn<K, R> = (keys: K[]) => Promise<Map<K, R>>;

export class BatchCoalescer<K, R> {
  private pending: Array<{ key: K; resolve: (value: R | undefined) => void; reject: (error: unknown) => void }> = [];
  private inFlight = 0;
  private scheduled = false;
  /** Batches run and keys they carried since the counters were last read (stats). */
  private batchesRun = 0;
  private keysRun = 0;

  /**
   * @param run one statement for many keys; keys missing from its map resolve to undefined
   * @param maxBatch the largest batch handed to `run`
   * @param maxInFlight batches running at once; further calls wait and join the next batch
   */
  constructor(
    private readonly run: BatchFn<K, R>,
    private readonly maxBatch = 500,
    private readonly maxInFlight = 2,
  ) {}

  /** For the logs: calls waiting for a batch, batches running, and the mean batch size since the last call. */
  stats(): { pending: number; inFlight: number; meanBatch: number } {
    const meanBatch = this.batchesRun ? this.keysRun / this.batchesRun : 0;
    this.batchesRun = 0;
    this.keysRun = 0;
    return { pending: this.pending.length, inFlight: this.inFlight, meanBatch };
  }

  load(key: K): Promise<R | undefined> {
    return new Promise((resolve, reject) => {
      this.pending.push({ key, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || !this.pending.length) return;
    this.scheduled = true;
    // setImmediate, not a timer: calls made by the jobs of this event-loop turn join the batch
    // without adding latency when the system is idle.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.maxInFlight && this.pending.length) {
      const batch = this.pending.splice(0, this.maxBatch);
      this.inFlight++;
      const keys = [...new Set(batch.map((item) => item.key))];
      this.batchesRun++;
      this.keysRun += keys.length;
      this.run(keys)
        .then((results) => batch.forEach((item) => item.resolve(results.get(item.key))))
        .catch((error: unknown) => batch.forEach((item) => item.reject(error)))
        .finally(() => {
          this.inFlight--;
          this.schedule();
        });
    }
  }
}
