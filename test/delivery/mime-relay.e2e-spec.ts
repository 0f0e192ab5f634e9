// Well-formed MIME through a strict relay (issue 19): a relay that refuses any line over 998
// octets (RFC 5322 §2.1.1) and any bare CR or LF (SMTP smuggling) takes a campaign whose
// attachment has a 200-character Cyrillic name, a 200-character Cyrillic campaign name (List-Id)
// and subject; the name reads back exactly in Python's email package and in mailparser; bulk
// mail carries List-Id, automated mail Auto-Submitted.
import { execFile } from 'node:child_process';
import { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { PrismaService } from '../../src/database/prisma.service';
import { buildRawEmail, prepareAttachment } from '../../src/delivery/mime/raw-email';
import { segmentByTag, templateId } from '../campaigns/campaign-fixtures';
import { apiCaller } from '../support/api-call';
import { FUZZ_SEED } from '../support/fuzz';
import { waitFor } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';

interface Relayed {
  to: string[];
  raw: Buffer;
}

/** An SMTP relay that answers `500 Line too long` past 998 octets and refuses bare CR/LF, as strict MTAs do. */
async function startStrictRelay(): Promise<{
  url: string;
  accepted: Relayed[];
  refused: string[];
  ehloNames: string[];
  close(): Promise<void>;
}> {
  const accepted: Relayed[] = [];
  const refused: string[] = [];
  const ehloNames: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onMailFrom(_address, session, callback) {
      ehloNames.push(session.hostNameAppearsAs);
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const text = raw.toString('latin1');
        const long = text.split('\r\n').find((line) => line.length > 998);
        const bare = /\r(?!\n)|(?<!\r)\n/.exec(text);
        const problem = long ? `500 Line too long (${long.length} octets)` : bare ? `550 bare CR or LF at ${bare.index}` : null;
        if (problem) {
          refused.push(problem);
          const error = new Error(problem.slice(4)) as Error & { responseCode: number };
          error.responseCode = Number(problem.slice(0, 3));
          return callback(error);
        }
        accepted.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    accepted,
    refused,
    ehloNames,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What Python's email package (policy.default) reads in a message: attachment names, subject, some headers. */
function readWithPython(
  raw: Buffer,
): Promise<{ filenames: string[]; subject: string; listId: string | null; autoSubmitted: string | null }> {
  const script = [
    'import sys, json, email, email.policy',
    'm = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)',
    'print(json.dumps({"filenames": [p.get_filename() for p in m.iter_attachments()], "subject": str(m["subject"]),',
    '  "listId": str(m["list-id"]) if m["list-id"] else None, "autoSubmitted": str(m["auto-submitted"]) if m["auto-submitted"] else None}))',
  ].join('\n');
  return new Promise((resolve, reject) => {
    const child = execFile('/usr/bin/python3', ['-c', script], (error, stdout, stderr) =>
      error ? reject(new Error(stderr || error.message)) : resolve(JSON.parse(stdout)),
    );
    child.stdin!.end(raw);
  });
}

describe('MIME through a strict relay', () => {
  let t: TestApp;
  let relay: Awaited<ReturnType<typeof startStrictRelay>>;
  let call: ReturnType<typeof apiCaller<'admin'>>;

  beforeAll(async () => {
    relay = await startStrictRelay();
    t = await startTestApp({
      SMTP_URL: relay.url,
      MAIL_FROM: 'news@shop.example',
      MAIL_FROM_NAME: 'Магазин «Ромашка»',
      SMTP_EHLO_NAME: 'mta1.shop.example',
    });
    call = apiCaller(t, { admin: await t.key('admin') });
  });

  afterAll(async () => {
    await t?.close();
    await relay?.close();
  });

  it('takes a campaign with a 200-character Cyrillic attachment name, which reads back exactly in Python and mailparser', async () => {
    const filename = `${'Прайс-лист «Осень» на товары для дома и сада, '.repeat(5)}`.slice(0, 196) + '.pdf';
    expect(filename).toHaveLength(200);
    const campaignName = 'Осенняя распродажа: '.repeat(10).trim();
    const firstName = 'Длинноеимя'.repeat(20);
    const prisma = t.app.get(PrismaService);
    const customer = await prisma.customer.create({
      data: { firstName, email: 'strict@example.com', tags: ['strict'], locale: 'ru', timeZone: 'Europe/Moscow' },
    });
    await prisma.consent.create({ data: { customerId: customer.id, channel: 'email', status: 'opted_in', source: 'test' } });
    const attachment = await call('POST', '/attachments', 'admin', {
      filename,
      contentType: 'application/pdf',
      contentBase64: Buffer.from('%PDF-1.4 осенний прайс').toString('base64'),
    });
    expect(attachment.status).toBe(201);
    const campaign = await call('POST', '/campaigns', 'admin', {
      name: campaignName,
      templateId: await templateId(prisma, 'welcome'),
      segmentId: await segmentByTag(prisma, 'strict'),
      attachmentIds: [attachment.body.id],
      schedule: { kind: 'now' },
    });
    expect(campaign.status).toBe(201);
    expect((await call('POST', `/campaigns/${campaign.body.id}/schedule`, 'admin')).status).toBe(201);
    const message = await waitFor(
      () => relay.accepted.find((m) => m.to.includes('strict@example.com')) ?? (relay.refused.length ? relay.refused : null),
      60_000,
      'the campaign message at the strict relay',
    );
    expect(relay.refused).toEqual([]);
    const raw = (message as Relayed).raw;
    // Not only within 998: within 78 wherever a fold is possible (every header here).
    const head = raw.toString('latin1').split('\r\n\r\n')[0];
    expect(head.split('\r\n').filter((line) => line.length > 78)).toEqual([]);

    const python = await readWithPython(raw);
    expect(python.filenames).toEqual([filename]);
    expect(python.subject).toContain(firstName);
    expect(python.listId).toBe(`${campaign.body.name} <campaign-${campaign.body.id}.shop.example>`);
    expect(python.autoSubmitted).toBeNull();

    const parsed = await simpleParser(raw);
    expect(parsed.attachments.map((a) => a.filename)).toEqual([filename]);
    expect(parsed.attachments[0].content.toString()).toBe('%PDF-1.4 осенний прайс');
    expect(parsed.subject).toContain(firstName);
    expect(parsed.from?.value[0]).toEqual({ address: 'news@shop.example', name: 'Магазин «Ромашка»' });
  });

  it('marks transactional mail Auto-Submitted: auto-generated, without List-Id', async () => {
    const customer = await call('POST', '/customers', 'admin', { email: 'auto@example.com', firstName: 'Олег' });
    expect((await call('POST', '/messages', 'admin', { template: 'welcome', customerId: customer.body.id })).status).toBe(201);
    const message = await waitFor(() => relay.accepted.find((m) => m.to.includes('auto@example.com')), 30_000, 'the transactional message');
    const python = await readWithPython(message.raw);
    expect(python.autoSubmitted).toBe('auto-generated');
    expect(python.listId).toBeNull();
    // SMTP_EHLO_NAME names Otklik in EHLO on every connection.
    expect(new Set(relay.ehloNames)).toEqual(new Set(['mta1.shop.example']));
  });

  it('reads back, in Python, the exact file name, subject and display name of arbitrary Unicode (property, one Python run)', async () => {
    const text = (maxLength: number) =>
      fc
        .string({
          unit: fc.oneof(
            fc.constantFrom(' ', 'ё', '😀', '=?', '"', ';', '%', "'", '\\'),
            fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
          ),
          maxLength,
        })
        .map((value) => value.replace(/[\r\n\u0000]/g, 'x'));
    // Python's policy.default strips a display name's surrounding spaces and reads an empty one as none: names have a letter at each end.
    const samples = fc.sample(
      fc.tuple(
        text(250).map((name) => `a${name}.pdf`),
        text(200),
        text(80).map((name) => `N${name}N`),
      ),
      { seed: FUZZ_SEED, numRuns: 150 },
    );
    const raws = samples.map(([filename, subject, name]) =>
      buildRawEmail({
        from: { address: 'a@shop.example', name },
        to: 'b@example.com',
        subject,
        text: 'x',
        messageId: 'm@shop.example',
        attachments: [prepareAttachment({ filename, contentType: 'application/pdf', content: Buffer.from('%PDF') })],
      }),
    );
    for (const raw of raws)
      expect(
        raw
          .toString('latin1')
          .split('\r\n')
          .filter((line) => line.length > 78),
      ).toEqual([]);
    const script = [
      'import sys, json, base64, email, email.policy',
      'out = []',
      'for b in json.load(sys.stdin):',
      '    m = email.message_from_bytes(base64.b64decode(b), policy=email.policy.default)',
      '    out.append([[p.get_filename() for p in m.iter_attachments()][0], str(m["subject"]), m["from"].addresses[0].display_name])',
      'print(json.dumps(out))',
    ].join('\n');
    const read: Array<[string, string, string]> = await new Promise((resolve, reject) => {
      const child = execFile('/usr/bin/python3', ['-c', script], { maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
        error ? reject(new Error(stderr || error.message)) : resolve(JSON.parse(stdout)),
      );
      child.stdin!.end(JSON.stringify(raws.map((raw) => raw.toString('base64'))));
    });
    const differing = samples.filter((sample, i) => JSON.stringify(sample) !== JSON.stringify(read[i]));
    expect(differing.slice(0, 3).map((sample) => [sample, read[samples.indexOf(sample)]])).toEqual([]);
  });
});
