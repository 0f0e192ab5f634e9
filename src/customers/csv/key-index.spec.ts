import { KeyIndex } from './key-index';

describe('KeyIndex', () => {
  it('returns the first line that used a key', () => {
    const index = new KeyIndex(16);
    expect(index.add('e:a@x.ru', 2)).toBe(2);
    expect(index.add('p:+79123456789', 3)).toBe(3);
    expect(index.add('e:a@x.ru', 7)).toBe(2);
    expect(index.get('e:a@x.ru')).toBe(2);
    expect(index.get('e:b@x.ru')).toBeUndefined();
    expect(index.size).toBe(2);
  });

  it('keeps every key through growth and tells near-identical keys apart', () => {
    const index = new KeyIndex(16);
    const n = 200_000;
    const wrong: string[] = [];
    for (let i = 0; i < n; i++) if (index.add(`e:user${i}@example.com`, i + 1) !== i + 1) wrong.push(`add ${i}`);
    for (let i = 0; i < n; i++) if (index.get(`e:user${i}@example.com`) !== i + 1) wrong.push(`get ${i}`);
    for (let i = 0; i < n; i++) if (index.get(`e:user${i}@example.co`) !== undefined) wrong.push(`absent ${i}`);
    expect(wrong).toEqual([]);
    expect(index.size).toBe(n);
    expect(index.get('e:User0@example.com')).toBeUndefined();
  });

  it('refuses line 0 (it marks an empty slot)', () => {
    expect(() => new KeyIndex().add('x', 0)).toThrow();
  });
});

describe('KeyIndex memory', () => {
  it('stays within 32 bytes a key, and grows one shard at a time', () => {
    const index = new KeyIndex();
    for (let i = 0; i < 300_000; i++) index.add(`x:${i}`, i + 1);
    expect(index.bytes / index.size).toBeLessThanOrEqual(32);
    expect(index.bytes / index.size).toBeGreaterThanOrEqual(16); // never above 3/4 full
  });
});

describe('KeyIndex kinds', () => {
  it('keeps equal keys of different kinds apart', () => {
    const index = new KeyIndex();
    expect(index.add('12345', 2, 1)).toBe(2);
    expect(index.add('12345', 3, 3)).toBe(3);
    expect(index.add('12345', 4, 1)).toBe(2);
    expect(index.get('12345', 3)).toBe(3);
    expect(index.get('12345')).toBeUndefined();
  });
});
