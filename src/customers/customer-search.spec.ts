import { customerSearch } from './customer-search';

describe('customerSearch', () => {
  it.each<[string, string, { words?: string[]; phone?: string; phoneDigits?: string[] }]>([
    ['a name is one word', 'Петров', { words: ['Петров'], phoneDigits: [] }],
    ['«Имя Фамилия»: each word must match a name field', 'Иван  Петров', { words: ['Иван', 'Петров'], phoneDigits: [] }],
    ['an email is one word', 'Ivan@Mail.RU', { words: ['Ivan@Mail.RU'], phoneDigits: [] }],
    ['an international phone', '+7 (912) 345-67-89', { words: [], phone: '+79123456789', phoneDigits: ['79123456789'] }],
    ['a phone with the trunk 8', '89123456789', { words: [], phone: '+79123456789', phoneDigits: ['89123456789', '9123456789'] }],
    ['ten digits in the default region', '9123456789', { words: [], phone: '+79123456789', phoneDigits: ['9123456789'] }],
    ['a part of a phone: digits only, no valid number', '345-67-89', { words: [], phoneDigits: ['3456789'] }],
    ['too few digits to look for inside phones', '12-3', { words: [], phoneDigits: [] }],
    ['a word with digits is a name or an id, not a phone', 'CRM-1001', { words: ['CRM-1001'], phoneDigits: [] }],
  ])('%s', (_why, query, expected) => {
    const search = customerSearch(query, 'RU');
    expect({ words: search.words, phone: search.phone, phoneDigits: search.phoneDigits }).toEqual({
      words: expected.words ?? [],
      phone: expected.phone,
      phoneDigits: expected.phoneDigits ?? [],
    });
  });

  it('keeps at most five words', () => {
    expect(customerSearch('a b c d e f g', 'RU').words).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
