// Fuzz: headers built from arbitrary Unicode subjects, display names and attachment file names
// keep every line within 998 octets (and within 78 where a fold is possible), use CRLF only,
// and read back exactly in a real parser (mailparser; test/delivery/mime-relay.e2e-spec.ts does
// the same through Python's email package).
import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { announceSeed, fuzzParameters } from '../../../test/support/fuzz';
import { buildRawEmail, prepareAttachment } from './raw-email';

announceSeed('mime headers');

/** Any Unicode text a user might type, without line breaks (those become spaces by design) or NUL. */
const text = (maxLength: number) =>
  fc
    .string({
      unit: fc.oneof(
        fc.constantFrom(' ', 'я', '😀', '=?', '"', ';', '%', "'", '\t'),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      ),
      maxLength,
    })
    .map((s) => s.replace(/[\r\n\u0000]/g, 'x'));

function lines(raw: Buffer): string[] {
  const head = raw.toString('latin1');
  expect(head.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  return head.split('\r\n');
}

describe('MIME headers for any Unicode', () => {
  it('a subject and a display name read back exactly, every header line within the limits', async () => {
    await fc.assert(
      fc.asyncProperty(text(300), text(120), async (subject, name) => {
        const raw = buildRawEmail({
          from: { address: 'a@shop.example', name },
          to: 'b@example.com',
          subject,
          text: 'x',
          messageId: 'id@shop.example',
        });
        const head = raw.toString('latin1').split('\r\n\r\n')[0];
        for (const line of lines(Buffer.from(head, 'latin1'))) {
          expect(line.length).toBeLessThanOrEqual(78);
          expect(line.trim()).not.toBe('');
        }
        const parsed = await simpleParser(raw);
        expect(parsed.subject ?? '').toBe(subject);
        if (name.trim()) expect(parsed.from?.value[0]?.name).toBe(name);
      }),
      fuzzParameters(300),
    );
  });

  it('an attachment name of any length reads back exactly, no line over 78', async () => {
    await fc.assert(
      fc.asyncProperty(
        text(400).filter((s) => s.length > 0),
        async (filename) => {
          const attachment = prepareAttachment({ filename, contentType: 'application/pdf', content: Buffer.from('%PDF') });
          const head = attachment.part.toString('latin1').split('\r\n\r\n')[0];
          for (const line of head.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
          const raw = buildRawEmail({
            from: { address: 'a@shop.example' },
            to: 'b@example.com',
            subject: 's',
            text: 'x',
            messageId: 'id@shop.example',
            attachments: [attachment],
          });
          const parsed = await simpleParser(raw);
          expect(parsed.attachments[0]?.filename).toBe(filename);
        },
      ),
      fuzzParameters(300),
    );
  });
});
