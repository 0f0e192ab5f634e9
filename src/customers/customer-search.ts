// What a search box query (GET /customers?q=) means, decided without the database: the words a
// name must contain, and the phone forms to compare with the stored E.164 phone. Pure: the
// repository turns it into one query. Matching (any of):
//   - every word is found (ignoring case) in the first name, last name, patronymic or company
//     name (the customer's own, or for a contact the name of its company), in any order:
//     «Иван Петров», «Петров Иван» and «Петров Иван Сергеевич» all find him;
//   - the whole query is part of the email (ignoring case);
//   - the whole query is the external id, as written;
//   - a query written like a phone («+7 (912) 345-67-89», «89123456789», «9123456789») is
//     normalised as stored phones are (the configured region) and compared exactly; its digits
//     (5 or more) are also looked for inside the stored phone, so «345-67-89» finds it too.
import type { CountryCode } from 'libphonenumber-js';
import { cleanText, normalisePhone } from './contact-normalise';

export interface CustomerSearch {
  /** The query as written (cleaned, inner whitespace collapsed). */
  text: string;
  /** Words each name field must match one of; empty for a query written like a phone. */
  words: string[];
  /** The query as a stored (E.164) phone, when it is a valid phone number. */
  phone?: string;
  /** Digit runs to find inside the stored phone (the query's digits, and without a trunk 8). */
  phoneDigits: string[];
}

/** More words than a name has add nothing but cost: the rest are ignored. */
export const MAX_SEARCH_WORDS = 5;
const MIN_PHONE_DIGITS = 5;
const PHONE_WRITING = /^[\d\s()+\-.]+$/;

export function customerSearch(query: string, region: CountryCode): CustomerSearch {
  const text = cleanText(query).replace(/\s+/g, ' ').trim();
  const search: CustomerSearch = { text, words: [], phoneDigits: [] };
  if (PHONE_WRITING.test(text)) {
    const digits = text.replace(/\D/g, '');
    const phone = normalisePhone(text, region);
    if (phone.ok) search.phone = phone.value.e164;
    if (digits.length >= MIN_PHONE_DIGITS) {
      search.phoneDigits.push(digits);
      // «8 912 345…» is written with the Russian trunk prefix, stored as +7 912 345…
      if (digits.startsWith('8') && digits.length - 1 >= MIN_PHONE_DIGITS) search.phoneDigits.push(digits.slice(1));
    }
    return search;
  }
  search.words = text
    .split(' ')
    .filter((word) => word !== '')
    .slice(0, MAX_SEARCH_WORDS);
  return search;
}
