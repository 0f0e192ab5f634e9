import { cutText, findUnstorable, MAX_JSON_DEPTH, storableDeep, storableText, unstorableReason } from './storable-text';

describe('storable text', () => {
  it.each([
    ['plain', 'Иван 😀', null],
    ['NUL', 'a\u0000b', /NUL character/],
    ['lone high surrogate', 'a\ud83d', /unpaired UTF-16 surrogate/],
    ['lone low surrogate', '\ude00a', /unpaired UTF-16 surrogate/],
    ['reversed pair', '\ude00\ud83d', /unpaired/],
  ] as const)('%s', (_name, text, reason) => {
    if (reason === null) expect(unstorableReason(text)).toBeNull();
    else expect(unstorableReason(text)).toMatch(reason);
    expect(unstorableReason(storableText(text))).toBeNull();
  });

  it('cleans: NULs go, lone surrogates become U+FFFD, pairs stay', () => {
    expect(storableText('a\u0000b\ud83d😀\ude00')).toBe('ab\uFFFD😀\uFFFD');
    const clean = { a: ['x', { b: 'y' }] };
    expect(storableDeep(clean)).toBe(clean);
    expect(storableDeep({ 'k\u0000': ['v\u0000', 1, null] })).toEqual({ k: ['v', 1, null] });
  });

  it('cuts without splitting a surrogate pair', () => {
    expect(cutText('ab😀', 3)).toBe('ab');
    expect(cutText('ab😀', 4)).toBe('ab😀');
    expect(cutText('abc', 2)).toBe('ab');
  });

  it('finds the first unstorable string, key or too deep value, by path, iteratively', () => {
    expect(findUnstorable({ a: 'ok', b: ['x', 'y\u0000'] })).toEqual({ path: 'b[1]', message: expect.stringMatching(/NUL/) });
    expect(findUnstorable({ attributes: { 'k\ud800': 1 } })).toEqual({
      path: 'attributes.k\ud800',
      message: expect.stringMatching(/^key .*surrogate/),
    });
    expect(findUnstorable({ s: 'a' }, 'query')).toBeNull();
    expect(findUnstorable('x\u0000')).toEqual({ path: '(body)', message: expect.stringMatching(/NUL/) });
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { a: [deep] };
    expect(findUnstorable({ attributes: deep })?.message).toBe(`nested more than ${MAX_JSON_DEPTH} levels deep`);
    let fine: unknown = 1;
    for (let i = 0; i < MAX_JSON_DEPTH - 1; i++) fine = [fine];
    expect(findUnstorable(fine)).toBeNull();
  });
});

describe('storableDeep and a "__proto__" key', () => {
  it('keeps the key as data and never sets the prototype', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "text": "a\\u0000b"}') as Record<string, unknown>;
    const out = storableDeep<Record<string, unknown>>(value);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect((out as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.keys(out)).toEqual(['__proto__', 'text']);
    expect(JSON.stringify(out)).toBe(
      JSON.stringify({ ...JSON.parse('{"__proto__": {"polluted": true}}'), text: storableText('a\u0000b') }),
    );
  });
});
