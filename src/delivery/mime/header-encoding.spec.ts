import { simpleParser } from 'mailparser';
import { foldHeader, normaliseLineBreaks, parameterTokens, plainHeader, textTokens } from './header-encoding';
import { buildRawEmail } from './raw-email';

describe('header encoding', () => {
  it.each([
    ['a 1,500-character word with no space (nothing to fold at: encoded words are)', 'x'.repeat(1500)],
    ['a Cyrillic subject of 200 characters', 'Скидки недели: '.repeat(14)],
    ['text that looks like an encoded word stays text', 'price =?UTF-8?B?eA==?= today'],
    ['double and trailing spaces are kept', 'a  b '],
  ])('a subject: %s, every line within 78, read back exactly', async (_why, subject) => {
    const raw = buildRawEmail({
      from: { address: 'a@shop.example' },
      to: 'b@example.com',
      subject,
      text: 'x',
      messageId: 'm@shop.example',
    });
    const head = raw.toString('latin1').split('\r\n\r\n')[0];
    expect(Math.max(...head.split('\r\n').map((line) => line.length))).toBeLessThanOrEqual(78);
    expect((await simpleParser(raw)).subject).toBe(subject);
  });

  it('plain ASCII stays readable', () => {
    expect(textTokens('Weekly news')).toEqual(['Weekly', 'news']);
  });

  it.each([
    ['a short token', 'price.pdf', ['filename=price.pdf']],
    ['a short name with a space: quoted', 'price list.pdf', ['filename="price list.pdf"']],
    ['non-ASCII: an extended value, never quoted', 'Прайс.pdf', ["filename*0*=utf-8''%D0%9F%D1%80%D0%B0%D0%B9%D1%81.pdf"]],
  ])('a file name parameter: %s', (_why, name, expected) => {
    expect(parameterTokens('filename', name)).toEqual(expected);
  });

  it('splits a long name into numbered continuations, the first with the charset, no percent-escape cut', () => {
    const tokens = parameterTokens('filename', 'Ж'.repeat(100));
    expect(tokens[0].startsWith("filename*0*=utf-8''%D0%96")).toBe(true);
    tokens.forEach((token, i) => {
      expect(token).toMatch(new RegExp(`^filename\\*${i}\\*=(utf-8'')?(%[0-9A-F]{2})+$`));
      expect(token.length + 2).toBeLessThanOrEqual(78);
    });
  });

  it('refuses what cannot be written: a line break, a part over 998, a bad field name', () => {
    expect(() => plainHeader('X-A', 'a\r\nBcc: x@example.com')).toThrow(/line break/);
    expect(() => plainHeader('X-A', 'x'.repeat(1000))).toThrow(/998/);
    expect(() => plainHeader('X A', 'x')).toThrow(/field name/);
  });

  it('folds at spaces before 78', () => {
    const folded = foldHeader('List-Unsubscribe', ['<https://mail.shop.example/u/' + 'a'.repeat(20) + '>,', '<mailto:u@shop.example>']);
    expect(folded.split('\r\n').every((line) => line.length <= 78)).toBe(true);
    expect(folded).toContain('\r\n <mailto:');
  });

  it.each([
    ['bare LF', 'a\nb', 'a\r\nb'],
    ['bare CR', 'a\rb', 'a\r\nb'],
    ['CRLF kept', 'a\r\nb', 'a\r\nb'],
    ['a mix, LF CR is two breaks', 'a\n\rb\r\n', 'a\r\n\r\nb\r\n'],
  ])('normalises line breaks: %s', (_why, input, expected) => {
    expect(normaliseLineBreaks(input)).toBe(expected);
  });
});
