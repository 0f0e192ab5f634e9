import { CompiledTemplateCache } from './template-cache';

describe('CompiledTemplateCache', () => {
  it('compiles each version once, even for concurrent callers', async () => {
    const cache = new CompiledTemplateCache<string>(10);
    let compiles = 0;
    const compile = async (): Promise<string> => {
      compiles++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return 'compiled';
    };
    const results = await Promise.all([cache.get(7, compile), cache.get(7, compile), cache.get(7, compile)]);
    expect(results).toEqual(['compiled', 'compiled', 'compiled']);
    expect(await cache.get(7, compile)).toBe('compiled');
    expect(compiles).toBe(1);
  });

  it('drops the least recently used version past its bound', async () => {
    const cache = new CompiledTemplateCache<number>(2);
    await cache.get(1, () => 1);
    await cache.get(2, () => 2);
    await cache.get(1, () => -1); // touch 1
    await cache.get(3, () => 3); // evicts 2
    expect(cache.size).toBe(2);
    expect(cache.has(1)).toBe(true);
    expect(cache.has(2)).toBe(false);
    expect(await cache.get(2, () => 22)).toBe(22);
  });

  it('does not keep a failed compile', async () => {
    const cache = new CompiledTemplateCache<number>();
    await expect(cache.get('v1', () => Promise.reject(new Error('bad MJML')))).rejects.toThrow('bad MJML');
    expect(cache.has('v1')).toBe(false);
    expect(await cache.get('v1', () => 5)).toBe(5);
    expect(() => new CompiledTemplateCache(0)).toThrow(RangeError);
  });
});
