import { BatchCoalescer } from './batch-coalescer';

describe('BatchCoalescer', () => {
  it('runs calls made in the same tick as one batch and answers each caller', async () => {
    const batches: number[][] = [];
    const coalescer = new BatchCoalescer<number, string>(async (keys) => {
      batches.push(keys);
      return new Map(keys.filter((k) => k !== 3).map((k) => [k, `v${k}`]));
    });
    const answers = await Promise.all([1, 2, 3, 2].map((k) => coalescer.load(k)));
    expect(answers).toEqual(['v1', 'v2', undefined, 'v2']);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('gathers calls made while batches are in flight into the next batch', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const coalescer = new BatchCoalescer<number, number>(
      async (keys) => {
        batches.push(keys);
        if (batches.length === 1) await gate;
        return new Map(keys.map((k) => [k, k * 10]));
      },
      100,
      1,
    );
    const first = coalescer.load(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [coalescer.load(2), coalescer.load(3)];
    release();
    expect(await Promise.all([first, ...later])).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('splits at maxBatch and rejects every caller of a failed batch', async () => {
    const sizes: number[] = [];
    const coalescer = new BatchCoalescer<number, number>(
      async (keys) => {
        sizes.push(keys.length);
        if (keys.includes(5)) throw new Error('boom');
        return new Map(keys.map((k) => [k, k]));
      },
      2,
      4,
    );
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((k) => coalescer.load(k)));
    expect(sizes).toEqual([2, 2, 1]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
  });
});
