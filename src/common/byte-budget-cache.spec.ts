import { ByteBudgetCache } from './byte-budget-cache';

const cacheOf = (maxBytes: number) => new ByteBudgetCache<Buffer>(maxBytes, (b) => b.length);

describe('ByteBudgetCache', () => {
  it('loads a key once, also for callers asking at the same time', async () => {
    const cache = cacheOf(100);
    const load = jest.fn(() => Promise.resolve(Buffer.alloc(10)));
    const [a, b] = await Promise.all([cache.get('a', load), cache.get('a', load)]);
    expect(await cache.get('a', load)).toBe(a);
    expect(b).toBe(a);
    expect(load).toHaveBeenCalledTimes(1);
    expect(cache.bytes).toBe(10);
  });

  it('drops the least recently used past its budget', async () => {
    const cache = cacheOf(25);
    await cache.get('a', () => Promise.resolve(Buffer.alloc(10)));
    await cache.get('b', () => Promise.resolve(Buffer.alloc(10)));
    await cache.get('a', () => Promise.reject(new Error('a is kept'))); // a is now the most recent
    await cache.get('c', () => Promise.resolve(Buffer.alloc(10)));
    expect(cache.bytes).toBe(20);
    const reload = jest.fn(() => Promise.resolve(Buffer.alloc(10)));
    await cache.get('b', reload);
    expect(reload).toHaveBeenCalledTimes(1); // b was dropped
  });

  it('hands out but does not keep a value bigger than the budget, nor a failed load', async () => {
    const cache = cacheOf(5);
    expect((await cache.get('big', () => Promise.resolve(Buffer.alloc(6)))).length).toBe(6);
    expect(cache.size).toBe(0);
    await expect(cache.get('bad', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });
});
