import { preferGsm7, segmentWarning, smsLength } from './sms-length';

const gsm = (n: number): string => 'a'.repeat(n);
const ucs = (n: number): string => 'ж'.repeat(n);

describe('smsLength', () => {
  it.each([
    ['empty', '', 'GSM-7', 0, 0],
    ['160 GSM chars', gsm(160), 'GSM-7', 160, 1],
    ['161 GSM chars', gsm(161), 'GSM-7', 161, 2],
    ['306 GSM chars', gsm(306), 'GSM-7', 306, 2],
    ['307 GSM chars', gsm(307), 'GSM-7', 307, 3],
    ['459 GSM chars', gsm(459), 'GSM-7', 459, 3],
    ['460 GSM chars', gsm(460), 'GSM-7', 460, 4],
    ['70 UCS-2 chars', ucs(70), 'UCS-2', 70, 1],
    ['71 UCS-2 chars', ucs(71), 'UCS-2', 71, 2],
    ['134 UCS-2 chars', ucs(134), 'UCS-2', 134, 2],
    ['135 UCS-2 chars', ucs(135), 'UCS-2', 135, 3],
    ['one Cyrillic letter in Latin text', gsm(100) + 'ё', 'UCS-2', 101, 2],
    ['GSM basic specials', '@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!"#¤%&\'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà', 'GSM-7', 62, 1],
    ['80 euro signs (extension: 2 septets each)', '€'.repeat(80), 'GSM-7', 160, 1],
    ['81 euro signs', '€'.repeat(81), 'GSM-7', 162, 2],
    ['extension chars ^{}\\[~]|', '^{}\\[~]|', 'GSM-7', 16, 1],
    ['159 chars + one extension char', gsm(159) + '[', 'GSM-7', 161, 2],
    // an escape pair is never split: 152 + € cannot end part one, so part two starts with €
    ['escape pair at a part boundary', gsm(152) + '€' + gsm(152), 'GSM-7', 306, 3],
    ['emoji counts two UTF-16 units', '😀'.repeat(35), 'UCS-2', 70, 1],
    ['surrogate pair is never split', 'ж'.repeat(66) + '😀' + 'ж'.repeat(66), 'UCS-2', 134, 3],
    ['curly quote forces UCS-2', 'Don’t', 'UCS-2', 5, 1],
  ])('%s', (_name, text, encoding, units, segments) => {
    const report = smsLength(text);
    expect(report.encoding).toBe(encoding);
    expect(report.units).toBe(units);
    expect(report.segments).toBe(segments);
  });

  it('reports per-segment size, remaining room and the characters that forced UCS-2', () => {
    expect(smsLength(gsm(150))).toMatchObject({ perSegment: 160, remaining: 10, characters: 150 });
    expect(smsLength(gsm(200))).toMatchObject({ perSegment: 153, remaining: 106 });
    expect(smsLength('Привет!')).toMatchObject({ perSegment: 70, remaining: 63, characters: 7 });
    expect(smsLength('Hi Пётр').nonGsmCharacters).toEqual(['П', 'ё', 'т', 'р']);
    expect(smsLength('😀').characters).toBe(1);
  });

  it('warns only above the segment limit', () => {
    expect(segmentWarning(smsLength(ucs(134)), 2)).toBeUndefined();
    expect(segmentWarning(smsLength(ucs(135)), 2)).toMatch(/3 segments, limit is 2.*UCS-2 because of "ж"/);
    expect(segmentWarning(smsLength(gsm(161)), 1)).toMatch(/2 segments, limit is 1/);
  });
});

describe('preferGsm7', () => {
  it.each([
    ['Delivery 12–14 March', 'Delivery 12-14 March'],
    ['“Quoted” … done', '"Quoted" ... done'],
    ['£1\u00a0234', '£1 234'],
    ['Доставка 12–14 марта', 'Доставка 12–14 марта'], // Cyrillic stays UCS-2: typography kept
    ['plain', 'plain'],
  ])('%p → %p', (input, expected) => {
    expect(preferGsm7(input)).toBe(expected);
  });
});
