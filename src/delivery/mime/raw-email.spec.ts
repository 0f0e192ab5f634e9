import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { base64LineBytes, buildRawEmail, buildRawEmailChunks, formatAddress, prepareAttachment, prepareInlineImage } from './raw-email';

describe('buildRawEmail', () => {
  const priceList = prepareAttachment({
    filename: 'Прайс-лист ноябрь.pdf',
    contentType: 'application/pdf',
    content: Buffer.from('%PDF-1.4 price list '.repeat(200)),
  });

  it('produces MIME a real parser reads back: Cyrillic subject and name, both parts, the attachment', async () => {
    const raw = buildRawEmail({
      from: { address: 'news@shop.example', name: 'Магазин «Отклик»' },
      to: 'anna@example.com',
      subject: 'Анна, прайс-лист на ноябрь',
      html: '<p>Здравствуйте, Анна!</p>',
      text: 'Здравствуйте, Анна!',
      messageId: '42.run7@shop.example',
      headers: {
        'List-Unsubscribe': '<https://x.example/u/abc>',
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        'Feedback-ID': '7:b2b:otklik',
      },
      attachments: [priceList],
    });
    const mail = await simpleParser(raw);
    expect(mail.subject).toBe('Анна, прайс-лист на ноябрь');
    expect(mail.from?.value[0]).toEqual({ address: 'news@shop.example', name: 'Магазин «Отклик»' });
    expect(mail.messageId).toBe('<42.run7@shop.example>');
    expect(mail.html).toContain('Здравствуйте, Анна!');
    expect(mail.text?.trim()).toBe('Здравствуйте, Анна!');
    const lines = mail.headerLines.map((h) => h.line);
    expect(lines).toContain('List-Unsubscribe: <https://x.example/u/abc>');
    expect(lines).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(mail.headers.get('feedback-id')).toBe('7:b2b:otklik');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0].filename).toBe('Прайс-лист ноябрь.pdf');
    expect(mail.attachments[0].content.toString()).toBe('%PDF-1.4 price list '.repeat(200));
  });

  it('puts inline images beside the text parts in a multipart/related, with the attachment outside it', async () => {
    const logo = Buffer.from('89504e470d0a1a0a' + 'ab'.repeat(300), 'hex');
    const raw = buildRawEmail({
      from: { address: 'news@shop.example' },
      to: 'anna@example.com',
      subject: 'С картинкой',
      html: '<img src="cid:abc@otklik"><p>Привет</p>',
      text: 'Привет',
      messageId: '43@shop.example',
      attachments: [priceList],
      inline: [prepareInlineImage({ contentId: 'abc@otklik', filename: 'image-abc.png', contentType: 'image/png', content: logo })],
    });
    const text = raw.toString('utf8');
    expect(text.indexOf('multipart/mixed')).toBeLessThan(text.indexOf('multipart/related'));
    expect(text.indexOf('multipart/related')).toBeLessThan(text.indexOf('multipart/alternative'));
    const mail = await simpleParser(raw);
    expect(mail.html).toContain('Привет');
    const inline = mail.attachments.find((a) => a.contentId === '<abc@otklik>');
    expect(inline).toMatchObject({ contentDisposition: 'inline', contentType: 'image/png', filename: 'image-abc.png', related: true });
    expect(inline!.content.equals(logo)).toBe(true);
    expect(mail.attachments.map((a) => a.filename)).toEqual(['image-abc.png', 'Прайс-лист ноябрь.pdf']);
  });

  it('passes a prepared attachment on as the same bytes, every chunk made of whole lines', () => {
    const input = {
      from: { address: 'a@x.example' },
      to: 'b@y.example',
      subject: 's',
      text: 't',
      messageId: '5@x',
      attachments: [priceList, priceList],
    };
    const chunks = buildRawEmailChunks(input);
    expect(chunks.filter((chunk) => chunk === priceList.part)).toHaveLength(2);
    for (const chunk of chunks) expect(chunk.subarray(-2).toString()).toBe('\r\n');
  });

  it('keeps every line within 998 octets and uses CRLF only', () => {
    const raw = buildRawEmail({
      from: { address: 'a@x.example' },
      to: 'b@y.example',
      subject: 'x'.repeat(300),
      html: '<p>' + 'long line '.repeat(500) + '</p>',
      messageId: '1@x.example',
      attachments: [priceList],
    }).toString('latin1');
    expect(raw.split('\r\n').every((line) => line.length <= 998)).toBe(true);
    expect(/[^\r]\n/.test(raw)).toBe(false);
  });

  // File names users give: RFC 2231 continuations for anything but short plain ASCII, read back
  // exactly by an independent parser (mailparser), with no header line over 76 characters.
  it.each([
    ['the full Cyrillic name with a dash and guillemets', 'Прайс-лист декабрь 2026 — ООО «Ромашка».xlsx'],
    ['quotes, a semicolon and a backslash in ASCII', 'price "list"; a\\b.pdf'],
    ['a long ASCII name, split into plain continuations', `${'a'.repeat(120)}.pdf`],
    ['a long Cyrillic name, many continuations', `${'Прайс'.repeat(40)}.pdf`],
    ['a plain token', 'price-list.pdf'],
    ['Chinese and an emoji (4-byte UTF-8)', '价格表 😀.pdf'],
    ['a percent sign and an apostrophe', "50% off 'today'.pdf"],
  ])('keeps a file name exactly: %s', async (_why, filename) => {
    const part = prepareAttachment({ filename, contentType: 'application/vnd.ms-excel', content: Buffer.from('bytes') });
    const raw = buildRawEmail({
      from: { address: 'a@x.example' },
      to: 'b@y.example',
      subject: 's',
      text: 't',
      messageId: '9@x',
      attachments: [part],
    });
    const head = part.part.toString('utf8').split('\r\n\r\n')[0];
    expect(head.split('\r\n').every((line) => line.length <= 78)).toBe(true);
    // RFC 2231: an extended value (`name*=`, `name*0*=`) is never quoted.
    expect(head).not.toMatch(/\*="/);
    const mail = await simpleParser(raw);
    expect(mail.attachments.map((a) => a.filename)).toEqual([filename]);
    expect(mail.attachments[0].content.toString()).toBe('bytes');
  });

  it('writes a single-part message without a multipart wrapper', async () => {
    const raw = buildRawEmail({
      from: { address: 'a@x.example' },
      to: 'b@y.example',
      subject: 'hi',
      text: 'plain only',
      messageId: '2@x.example',
    });
    expect(raw.toString()).not.toContain('multipart');
    expect((await simpleParser(raw)).text?.trim()).toBe('plain only');
  });

  it('refuses header injection through a header value', () => {
    expect(() =>
      buildRawEmail({
        from: { address: 'a@x.example' },
        to: 'b@y.example',
        subject: 's',
        messageId: '3@x',
        headers: { 'X-Tag': 'a\r\nBcc: evil@x' },
      }),
    ).toThrow(/line break/);
  });

  it('quotes or encodes display names', () => {
    expect(formatAddress('a@x.example', 'Shop "Best"')).toBe('"Shop \\"Best\\"" <a@x.example>');
    expect(formatAddress('a@x.example', 'Магазин')).toMatch(/^=\?UTF-8\?B\?.+\?= <a@x\.example>$/);
    expect(formatAddress('a@x.example')).toBe('a@x.example');
  });

  it.each([0, 1, 56, 57, 58, 200, 30_000])('folds base64 at 76 characters (%i bytes)', (size) => {
    const data = Buffer.from(Array.from({ length: size }, (_, i) => (i * 7919) % 256));
    const text = base64LineBytes(data).toString('latin1');
    const lines = text.split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines.every((line, i) => line.length === (i < lines.length - 1 ? 76 : line.length) && line.length <= 76)).toBe(true);
    expect(Buffer.from(lines.join(''), 'base64').equals(data)).toBe(true);
  });

  it('encodes a string as its UTF-8 bytes, folded the same way (written in place, step by step)', () => {
    const folded = (text: string): string[] => {
      const lines = base64LineBytes(text).toString('latin1').split('\r\n');
      expect(lines.pop()).toBe('');
      return lines;
    };
    const html = '<p>Здравствуйте, Иван! Ваша скидка 15 %.</p>\n'.repeat(300);
    expect(
      folded(html)
        .slice(0, -1)
        .every((line) => line.length === 76),
    ).toBe(true);
    expect(Buffer.from(folded(html).join(''), 'base64').toString('utf8')).toBe(html);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 12_000 }), (text) => {
        const lines = folded(text);
        expect(lines.every((line, i) => (i < lines.length - 1 ? line.length === 76 : line.length <= 76 && line.length > 0))).toBe(true);
        expect(Buffer.from(lines.join(''), 'base64').toString('utf8')).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});
