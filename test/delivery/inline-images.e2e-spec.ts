// A template's embedImages, end to end through a real SMTP server: with it, every one of
// Otklik's own images in the HTML goes as an inline part (its Content-ID, its exact bytes,
// once however often the HTML shows it) and the HTML names it by cid: instead of the public
// URL; other hosts' images keep their links. Without it, the public URLs stay and nothing is
// attached. Read back by an independent parser (mailparser), for a campaign run and a test send.
import { createHash } from 'node:crypto';
import { simpleParser, type ParsedMail } from 'mailparser';
import { PrismaService } from '../../src/database/prisma.service';
import { keyedApi, type KeyedApi } from '../support/api-call';
import { GIF_1X1, pngImage } from '../support/images';
import { startSmtpSink, waitFor, type SmtpSink } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';
import { makeCustomers, receivedAt, segmentByTag } from '../campaigns/campaign-fixtures';

const PUBLIC_URL = 'https://mail.shop.example';
const CDN_IMAGE = 'https://cdn.example/images/banner.png';

let t: TestApp;
let api: KeyedApi;
let sink: SmtpSink;
let prisma: PrismaService;

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await startTestApp({
    SMTP_URL: sink.url,
    PUBLIC_URL,
    MAIL_FROM: 'news@shop.example',
    FREQUENCY_CAP_PER_WEEK: '0',
  });
  prisma = t.app.get(PrismaService);
  api = keyedApi(t, await t.key('marketer'));
}, 60_000);

afterAll(async () => {
  await t?.close();
  await sink?.close();
});

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function upload(filename: string, data: Buffer): Promise<string> {
  const stored = await api('POST', '/images', { filename, contentBase64: data.toString('base64') });
  expect(stored.status).toBe(201);
  return stored.body.url as string;
}

/** An email template showing the logo twice, a GIF once and a CDN image. */
async function template(key: string, logo: string, gif: string): Promise<number> {
  const body = `<mjml><mj-body><mj-section><mj-column>
    <mj-image src="${logo}" alt="logo" />
    <mj-text>Здравствуйте, {{firstName}}!</mj-text>
    <mj-image src="${gif}" alt="gif" />
    <mj-image src="${CDN_IMAGE}" alt="banner" />
    <mj-image src="${logo}" alt="logo again" />
  </mj-column></mj-section></mj-body></mjml>`;
  const created = await api('POST', '/templates', { key, name: key, channel: 'email', subject: 'Картинки', body });
  expect(created.status).toBe(201);
  return created.body.id;
}

async function sendCampaign(templateId: number, tag: string): Promise<ParsedMail[]> {
  const customers = await makeCustomers(prisma, tag, 2);
  const created = await api('POST', '/campaigns', {
    name: `campaign ${tag}`,
    templateId,
    segmentId: await segmentByTag(prisma, tag),
    schedule: { kind: 'now' },
  });
  expect(created.status).toBe(201);
  expect((await api('POST', `/campaigns/${created.body.id}/schedule`)).status).toBe(201);
  const mails = await waitFor(
    async () => {
      const received = await receivedAt(prisma, sink, { campaignId: created.body.id });
      return received.length === customers.length ? received : null;
    },
    60_000,
    `the ${customers.length} messages of campaign ${tag}`,
  );
  return Promise.all(mails.map((m) => simpleParser(m.raw)));
}

describe('embedImages', () => {
  const logo = pngImage(64, 32, 77);
  let logoUrl: string;
  let gifUrl: string;

  beforeAll(async () => {
    logoUrl = await upload('logo.png', logo);
    gifUrl = await upload('anim.gif', GIF_1X1);
    expect(logoUrl).toBe(`${PUBLIC_URL}/images/${sha(logo)}.png`);
  });

  function expectEmbedded(mail: ParsedMail): void {
    expect(mail.attachments.map((a) => [a.contentId, a.contentType, a.contentDisposition, a.related])).toEqual([
      [`<${sha(logo)}@otklik>`, 'image/png', 'inline', true],
      [`<${sha(GIF_1X1)}@otklik>`, 'image/gif', 'inline', true],
    ]);
    expect(mail.attachments[0].content.equals(logo)).toBe(true);
    expect(mail.attachments[1].content.equals(GIF_1X1)).toBe(true);
    // mailparser swaps the cid: references of .html for data: URLs of the parts (htmlAsSent reads the HTML as sent).
    const html = String(mail.html);
    expect(html).not.toContain(`${PUBLIC_URL}/images/`);
    expect(html).toContain(CDN_IMAGE);
  }

  it('a campaign whose template asks: own images inline by cid, each once, the CDN image linked', async () => {
    const id = await template('with-images', logoUrl, gifUrl);
    const changed = await api('PATCH', `/templates/${id}`, { embedImages: true });
    expect(changed.status).toBe(200);
    expect(changed.body.embedImages).toBe(true);
    expect((await api('GET', `/templates/${id}`)).body.embedImages).toBe(true);

    const mails = await sendCampaign(id, 'embedded');
    for (const mail of mails) expectEmbedded(mail);
    // The HTML as sent (before any parser touched it) names the parts by cid:, the logo twice.
    const campaign = await prisma.campaign.findFirstOrThrow({ where: { templateId: id } });
    const [sent] = await receivedAt(prisma, sink, { campaignId: campaign.id });
    const sentHtml = htmlAsSent(sent.raw);
    expect(sentHtml.match(new RegExp(`src="cid:${sha(logo)}@otklik"`, 'g'))).toHaveLength(2);
    expect(sentHtml).toContain(`src="cid:${sha(GIF_1X1)}@otklik"`);
    expect(sentHtml).not.toContain(logoUrl);

    // A test send of the same campaign embeds them too.
    const test = await api('POST', `/campaigns/${campaign.id}/test-send`, { to: 'qa@shop.example' });
    expect(test.status).toBe(200);
    const testMail = await waitFor(() => sink.messages.find((m) => m.to.includes('qa@shop.example')), 30_000, 'the test send');
    expectEmbedded(await simpleParser(testMail.raw));
  });

  it('a campaign whose template does not ask: the public URLs stay and nothing is attached', async () => {
    const id = await template('links-only', logoUrl, gifUrl);
    expect((await api('GET', `/templates/${id}`)).body.embedImages).toBe(false);
    const mails = await sendCampaign(id, 'linked');
    for (const mail of mails) {
      expect(mail.attachments).toEqual([]);
      const html = String(mail.html);
      expect(html).toContain(`src="${logoUrl}"`);
      expect(html).toContain(`src="${gifUrl}"`);
      expect(html).not.toContain('cid:');
    }
  });
});

/** The text/html part exactly as sent (mailparser's .html has cid: swapped for data: URLs). */
function htmlAsSent(raw: Buffer): string {
  const text = raw.toString('latin1');
  const start = text.indexOf('Content-Type: text/html');
  expect(start).toBeGreaterThan(0);
  const body = text.slice(text.indexOf('\r\n\r\n', start) + 4, text.indexOf('\r\n--', start));
  return Buffer.from(body.replace(/\r\n/g, ''), 'base64').toString('utf8');
}
