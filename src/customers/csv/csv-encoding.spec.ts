import * as iconv from 'iconv-lite';
import { createDecoder, detectEncoding } from './csv-encoding';

const RUSSIAN = 'Фамилия;Имя;Телефон\r\nЁжиков;Фёдор;+7 912 345-67-89\r\nЩукина;Юлия «Юля»;№ 5 — тест\r\n';

describe('detectEncoding', () => {
  it.each([
    [
      'UTF-8 with BOM',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(RUSSIAN)]),
      { encoding: 'utf-8', bomLength: 3, basis: 'bom' },
    ],
    ['UTF-8 without BOM', Buffer.from(RUSSIAN), { encoding: 'utf-8', bomLength: 0, basis: 'valid-utf8' }],
    ['plain ASCII', Buffer.from('email,phone\na@x.ru,1\n'), { encoding: 'utf-8', bomLength: 0, basis: 'ascii-only' }],
    ['Windows-1251', iconv.encode(RUSSIAN, 'win1251'), { encoding: 'windows-1251', bomLength: 0, basis: 'cp1251-letters' }],
    [
      'UTF-16LE with BOM',
      Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(RUSSIAN, 'utf16le')]),
      { encoding: 'utf-16le', bomLength: 2, basis: 'bom' },
    ],
    [
      'UTF-16BE with BOM',
      Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(RUSSIAN, 'utf16be')]),
      { encoding: 'utf-16be', bomLength: 2, basis: 'bom' },
    ],
    // Invalid UTF-8 that is not Cyrillic either (binary junk): stay with UTF-8, replacement characters will show.
    [
      'invalid UTF-8 that is not Russian',
      Buffer.from([0x61, 0x80, 0x81, 0x82, 0x83, 0x62, 0x90, 0x91]),
      { encoding: 'utf-8', bomLength: 0, basis: 'invalid-utf8' },
    ],
  ])('%s', (_name, bytes, expected) => {
    expect(detectEncoding(bytes, true)).toEqual(expected);
  });

  it('does not take a UTF-8 letter cut at the end of a partial sample for an error', () => {
    const bytes = Buffer.from('Имя;Фамилия\n');
    const cut = bytes.subarray(0, 3); // "И" and the first byte of "м"
    expect(detectEncoding(cut, false).encoding).toBe('utf-8');
    expect(detectEncoding(cut, true).basis).not.toBe('valid-utf8');
  });

  it('tells Windows-1251 from UTF-8 on short cells too', () => {
    for (const word of ['Иванов', 'ёж', 'Москва', 'ООО «Ромашка»']) {
      expect(detectEncoding(iconv.encode(word, 'win1251'), true).encoding).toBe('windows-1251');
      expect(detectEncoding(Buffer.from(word), true).encoding).toBe('utf-8');
    }
  });
});

describe('createDecoder', () => {
  it('keeps a character split between two chunks', () => {
    const bytes = Buffer.from('Ёжик');
    const decoder = createDecoder('utf-8');
    const text =
      decoder.write(bytes.subarray(0, 1)) + decoder.write(bytes.subarray(1, 3)) + decoder.write(bytes.subarray(3)) + decoder.end();
    expect(text).toBe('Ёжик');
  });

  it('strips the BOM', () => {
    const decoder = createDecoder('utf-8');
    expect(decoder.write(Buffer.from('\uFEFFa')) + decoder.end()).toBe('a');
  });

  it('refuses an unknown encoding', () => {
    expect(() => createDecoder('klingon-8')).toThrow(/unsupported/);
  });
});
