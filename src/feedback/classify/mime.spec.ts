import { decodeHeaderValue, decodeIso2022Jp, decodeBytes } from './charset';
import { decodeQuotedPrintable, leaves, parseContentType, parseMime, partText, splitHeaders, splitMultipart } from './mime';
import * as iconv from 'iconv-lite';

describe('splitHeaders', () => {
  it.each([
    ['unfolds continuation lines', 'Subject: a\n b\n\tc\nFrom: x@y.z\n\nbody', { subject: 'a b c', from: 'x@y.z' }, 'body'],
    ['skips an mbox From_ line', 'From MAILER-DAEMON Sun Sep  7 21:40:07 2008\nSubject: s\n\nb', { subject: 's' }, 'b'],
    ['accepts CRLF', 'Subject: s\r\nTo: t@u.v\r\n\r\nb', { subject: 's', to: 't@u.v' }, 'b'],
    ['ends headers at a body line without a blank line', 'Subject: s\nthis is body text\n', { subject: 's' }, 'this is body text\n'],
    ['gives an empty body when there is none', 'Subject: s\n', { subject: 's' }, ''],
  ])('%s', (_name, text, headers, body) => {
    const parsed = splitHeaders(text);
    for (const [k, v] of Object.entries(headers)) expect(parsed.headers.raw(k)).toBe(v);
    expect(parsed.body).toBe(body);
  });
});

describe('parseContentType', () => {
  it.each([
    [
      'multipart/report; report-type=delivery-status; boundary="b1/x"',
      'multipart/report',
      { 'report-type': 'delivery-status', boundary: 'b1/x' },
    ],
    ['TEXT/Plain; Charset=UTF-8', 'text/plain', { charset: 'UTF-8' }],
    ['text/plain; name*0="a"; name*1="b"', 'text/plain', { name: 'ab' }],
    ['garbage', 'text/plain', {}],
    [undefined, 'text/plain', {}],
  ])('%s', (value, type, params) => {
    const parsed = parseContentType(value);
    expect(parsed.type).toBe(type);
    expect(parsed.params).toMatchObject(params);
  });
});

describe('splitMultipart', () => {
  it('splits parts and stops at the closing boundary', () => {
    expect(splitMultipart('pre\n--b\nA\n--b\nB\n--b--\nepilogue', 'b')).toEqual(['A', 'B']);
  });
  it('keeps the last part of a truncated multipart', () => {
    expect(splitMultipart('--b\nA\n--b\nB is cut sh', 'b')).toEqual(['A', 'B is cut sh']);
  });
  it('ignores the boundary string inside a line', () => {
    expect(splitMultipart('--b\nsee --b here\n--b--', 'b')).toEqual(['see --b here']);
  });
});

describe('parseMime', () => {
  it('guesses the boundary when the header one does not match the body', () => {
    const root = parseMime('Content-Type: multipart/mixed; boundary="wrong"\n\n--right\nContent-Type: text/plain\n\nhello\n--right--\n');
    expect(root.children).toHaveLength(1);
    expect(partText(root.children[0])).toBe('hello');
  });
  it('parses an attached message and marks its leaves', () => {
    const root = parseMime(
      'Content-Type: multipart/mixed; boundary=z\n\n--z\nContent-Type: text/plain\n\nnotice\n--z\nContent-Type: message/rfc822\n\nMessage-ID: <a@b>\nSubject: orig\n\nbody\n--z--\n',
    );
    const all = leaves(root);
    expect(all.map((l) => [l.part.type, l.inMessage])).toEqual([
      ['text/plain', false],
      ['message/rfc822', false],
      ['text/plain', true],
    ]);
    expect(root.children[1].message?.headers.raw('message-id')).toBe('<a@b>');
  });
  it('decodes base64 windows-1251 text', () => {
    const body = iconv.encode('Пришлите счёт', 'windows-1251').toString('base64');
    const root = parseMime(`Content-Type: text/plain; charset=windows-1251\nContent-Transfer-Encoding: base64\n\n${body}\n`);
    expect(partText(root).trim()).toBe('Пришлите счёт');
  });
  it('stops recursing at its depth limit', () => {
    const nested = 'Content-Type: multipart/mixed; boundary=a\n\n' + '--a\nContent-Type: multipart/mixed; boundary=a\n\n'.repeat(500);
    expect(() => parseMime(nested)).not.toThrow();
  });
});

describe('charset helpers', () => {
  it.each([
    ['=?UTF-8?B?0J3QtdC00L7RgdGC0LDQstC70LXQvdC90L4=?=', 'Недоставленно'],
    ['=?utf-8?Q?Caf=C3=A9_au_lait?=', 'Café au lait'],
    ['=?UTF-8?B?0J3Q?= =?UTF-8?B?tQ==?=', 'Не'],
    ['Re: =?koi8-r?B?8NLJ28zJ1MU=?= now', 'Re: Пришлите now'],
    ['plain text', 'plain text'],
  ])('decodes header %s', (raw, text) => {
    expect(decodeHeaderValue(raw)).toBe(text);
  });
  it('decodes ISO-2022-JP, which iconv-lite lacks', () => {
    const jis = Buffer.from('\x1b$B%f!<%6!<\x1b(B ok', 'latin1');
    expect(decodeIso2022Jp(jis)).toBe('ユーザー ok');
  });
  it('guesses UTF-8, then Windows-1251, for unlabelled 8-bit text', () => {
    expect(decodeBytes(Buffer.from('привет', 'utf8'))).toBe('привет');
    expect(decodeBytes(iconv.encode('привет', 'windows-1251'))).toBe('привет');
  });
  it('removes quoted-printable soft breaks', () => {
    expect(decodeQuotedPrintable('a=3Db=\nc')).toBe('a=bc');
  });
});

describe('names from the mail never reach what objects inherit', () => {
  it('a charset named "constructor" or "__proto__" decodes like an unknown one', () => {
    const bytes = Buffer.from('Привет', 'utf8');
    for (const charset of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) expect(decodeBytes(bytes, charset)).toBe('Привет');
  });

  it('content-type parameters are only the ones the header names', () => {
    const { params } = parseContentType('text/plain; constructor*0=a; constructor*1=b; charset=utf-8');
    expect(params.constructor).toBe('ab');
    expect(params.charset).toBe('utf-8');
    expect('toString' in parseContentType('text/plain').params).toBe(false);
  });
});
