import { generateApiKey, hashApiKey, looksLikeApiKey } from './api-key';

describe('api keys', () => {
  it('generates distinct keys whose stored hash is not the key', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).not.toEqual(b.key);
    expect(a.keyHash).toEqual(hashApiKey(a.key));
    expect(a.keyHash).not.toContain(a.key);
    expect(a.key.startsWith(`otk_${a.prefix}_`)).toBe(true);
  });

  it.each([
    ['otk_abcd1234_' + 'x'.repeat(32), true],
    ['otk_abcd1234_' + 'x'.repeat(31), false],
    ['Bearer otk_abcd1234_' + 'x'.repeat(32), false],
    ['', false],
  ])('recognises the key shape of %p', (value, expected) => {
    expect(looksLikeApiKey(value)).toBe(expected);
  });

  it('every generated key has the recognised shape', () => {
    for (let i = 0; i < 200; i++) expect(looksLikeApiKey(generateApiKey().key)).toBe(true);
  });
});
