import { ownValue } from './own-value';

describe('ownValue', () => {
  const table: Record<string, string> = { created: 'оформлен', paid: 'оплачен' };

  it('finds the own entries', () => {
    expect(ownValue(table, 'paid')).toBe('оплачен');
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'missing', ''])(
    'finds nothing for %p',
    (key) => {
      expect(ownValue(table, key)).toBeUndefined();
    },
  );
});
