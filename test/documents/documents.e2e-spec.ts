// Documents with versions, end to end against a real SMTP server: the monthly price list. A
// recurring campaign run in December and again in January (the scheduler's clock frozen at
// each) attaches the version that was the latest when each run started, and records it; the
// `wait` policy holds a run until a new version arrives; names survive in any script, read back
// by an independent parser (mailparser).
import { simpleParser } from 'mailparser';
import { CampaignsService } from '../../src/campaigns/campaigns.service';
import { PrismaService } from '../../src/database/prisma.service';
import { apiCaller } from '../support/api-call';
import { startSmtpSink, waitFor, type SmtpSink } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';
import { makeCustomers, receivedAt, segmentByTag, templateId } from '../campaigns/campaign-fixtures';

let t: TestApp;
let sink: SmtpSink;
let prisma: PrismaService;
let campaigns: CampaignsService;
let call: ReturnType<typeof apiCaller<'marketer'>>;

const api = (method: string, path: string, body?: unknown) => call(method, path, 'marketer', body);

const DECEMBER_NAME = 'Прайс-лист декабрь 2026 — ООО «Ромашка».xlsx';
const JANUARY_NAME = 'Прайс-лист январь 2027 — ООО «Ромашка».xlsx';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function file(filename: string, text: string, contentType = XLSX) {
  return { filename, contentType, contentBase64: Buffer.from(text).toString('base64') };
}

interface RunView {
  id: number;
  status: string;
  statusReason: string | null;
  messages: Record<string, number>;
  documents: Array<{ documentId: number; name: string; version: number; filename: string; warning: string | null }>;
}

async function runsOf(campaignId: number): Promise<RunView[]> {
  const { status, body } = await api('GET', `/campaigns/${campaignId}/runs`);
  expect(status).toBe(200);
  return body;
}

async function waitForRuns(campaignId: number, statuses: string[], what: string): Promise<RunView[]> {
  return waitFor(
    async () => {
      const runs = await runsOf(campaignId);
      return runs.length === statuses.length && runs.every((r, i) => r.status === statuses[i]) ? runs : null;
    },
    60_000,
    `${what}: runs of campaign ${campaignId} ${statuses.join(', ')}`,
  );
}

/** The attachments (name and text) of every message a run's recipients got. */
async function attachmentsOfRun(runId: number): Promise<Array<{ filename: string | undefined; text: string }>> {
  const mails = await receivedAt(prisma, sink, { runId });
  expect(mails.length).toBe(await prisma.message.count({ where: { runId } }));
  const parsed = await Promise.all(mails.map((m) => simpleParser(m.raw)));
  return parsed.flatMap((mail) => mail.attachments.map((a) => ({ filename: a.filename, text: a.content.toString() })));
}

/** A recurring B2B campaign on the first Monday of the month, scheduled from late November. */
async function monthlyCampaign(tag: string, documents: Record<string, unknown>): Promise<number> {
  await makeCustomers(prisma, tag, 3);
  const created = await api('POST', '/campaigns', {
    name: `B2B monthly ${tag}`,
    templateId: await templateId(prisma, 'b2b-monthly'),
    segmentId: await segmentByTag(prisma, tag),
    schedule: { kind: 'recurring', cron: '0 10 * * 1#1', timeZone: 'Europe/Moscow' },
    // What b2b-monthly requires; the month comes from each run ({{run.month}}).
    data: { priceListName: 'Прайс-лист', catalogUrl: 'https://shop.example/b2b/catalog' },
    ...documents,
  });
  expect(created.status).toBe(201);
  await campaigns.schedule(created.body.id, new Date('2026-11-23T00:00:00Z'));
  return created.body.id;
}

const DECEMBER = new Date('2026-12-07T07:00:30Z');
const JANUARY = new Date('2027-01-04T07:00:30Z');

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await startTestApp({ SMTP_URL: sink.url, FREQUENCY_CAP_PER_WEEK: '0', MAIL_FROM: 'b2b@shop.example' });
  prisma = t.app.get(PrismaService);
  campaigns = t.app.get(CampaignsService);
  call = apiCaller(t, { marketer: await t.key('marketer') });
});

afterAll(async () => {
  await t?.close();
  await sink?.close();
});

describe('a living price list', () => {
  it('sends December’s version in December and the version uploaded since in January, each run recording its own', async () => {
    const created = await api('POST', '/documents', { name: 'Прайс-лист', ...file(DECEMBER_NAME, 'prices: December') });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'attachment', name: 'Прайс-лист', latestVersion: 1, filename: DECEMBER_NAME });
    const priceList = created.body.id;
    const campaignId = await monthlyCampaign('pricelist', { attachmentIds: [priceList] });
    expect((await api('GET', `/campaigns/${campaignId}`)).body.attachments).toEqual([
      {
        ifUnchanged: 'send',
        attachment: expect.objectContaining({ id: priceList, name: 'Прайс-лист', latestVersion: 1, filename: DECEMBER_NAME }),
      },
    ]);

    await campaigns.tick(DECEMBER);
    const [december] = await waitForRuns(campaignId, ['completed'], 'the December run');
    expect(december.documents).toEqual([
      {
        documentId: priceList,
        name: 'Прайс-лист',
        version: 1,
        filename: DECEMBER_NAME,
        size: 16,
        sha256: expect.any(String),
        warning: null,
      },
    ]);
    const decemberFiles = await attachmentsOfRun(december.id);
    expect(decemberFiles).toHaveLength(3);
    // The full Cyrillic name, dash and guillemets included, as an independent parser reads it.
    for (const attached of decemberFiles) expect(attached).toEqual({ filename: DECEMBER_NAME, text: 'prices: December' });

    // Between the runs: January's price list, uploaded as a new version of the same document.
    const added = await api('POST', `/documents/${priceList}/versions`, file(JANUARY_NAME, 'prices: January'));
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ documentId: priceList, created: true, version: { number: 2, filename: JANUARY_NAME } });

    await campaigns.tick(JANUARY);
    const runs = await waitForRuns(campaignId, ['completed', 'completed'], 'the January run');
    expect(runs.map((r) => r.documents.map((d) => [d.version, d.filename]))).toEqual([[[1, DECEMBER_NAME]], [[2, JANUARY_NAME]]]);
    const januaryFiles = await attachmentsOfRun(runs[1].id);
    expect(januaryFiles).toHaveLength(3);
    for (const attached of januaryFiles) expect(attached).toEqual({ filename: JANUARY_NAME, text: 'prices: January' });
    // The campaign itself was not touched: it still names the document, now at version 2.
    expect((await api('GET', `/campaigns/${campaignId}`)).body.attachments[0].attachment).toMatchObject({
      latestVersion: 2,
      filename: JANUARY_NAME,
    });
  });

  it('keeps a run on the version it started with when a new one is uploaded mid-run', async () => {
    const created = await api('POST', '/documents', file('Каталог.pdf', 'catalogue v1', 'application/pdf'));
    const campaignId = await monthlyCampaign('midrun', { attachmentIds: [created.body.id] });
    sink.delayMs = 300;
    try {
      await campaigns.tick(DECEMBER);
      const run = await waitFor(async () => (await runsOf(campaignId)).find((r) => r.status === 'sending'), 30_000, 'the run sending');
      const uploadedAt = Date.now();
      await api('POST', `/documents/${created.body.id}/versions`, file('Каталог.pdf', 'catalogue v2', 'application/pdf'));
      await waitForRuns(campaignId, ['completed'], 'the run');
      expect((await runsOf(campaignId))[0].documents.map((d) => d.version)).toEqual([1]);
      // Messages the sink took after the upload still carry the version the run started with.
      const ids = new Set((await prisma.message.findMany({ where: { runId: run.id }, select: { id: true } })).map((m) => String(m.id)));
      expect(sink.messages.filter((m) => m.otklikId !== null && ids.has(m.otklikId) && m.at > uploadedAt).length).toBeGreaterThan(0);
      for (const attached of await attachmentsOfRun(run.id)) expect(attached).toEqual({ filename: 'Каталог.pdf', text: 'catalogue v1' });
    } finally {
      sink.delayMs = 0;
    }
  });

  it('holds a run with policy wait until a new version is uploaded, then sends it', async () => {
    const created = await api('POST', '/documents', { name: 'Прайс-лист опт', ...file('Прайс-лист опт.xlsx', 'wholesale v1') });
    const documentId = created.body.id;
    const campaignId = await monthlyCampaign('waiting', { attachments: [{ documentId, ifUnchanged: 'wait' }] });
    expect((await api('GET', `/campaigns/${campaignId}`)).body.attachments[0].ifUnchanged).toBe('wait');

    // December: the first run has nothing to compare with and sends version 1.
    await campaigns.tick(DECEMBER);
    await waitForRuns(campaignId, ['completed'], 'the December run');

    // January: nobody uploaded a new price list, so the run waits and says for what.
    await campaigns.tick(JANUARY);
    const [, waiting] = await waitForRuns(campaignId, ['completed', 'waiting'], 'the January run waiting');
    expect(waiting.statusReason).toBe(
      `waiting for a new version of «Прайс-лист опт» (document ${documentId}): version 1 was sent by run ${(await runsOf(campaignId))[0].id}`,
    );
    expect(waiting.documents).toEqual([]);
    expect(await prisma.message.count({ where: { runId: waiting.id } })).toBe(0);
    expect((await api('GET', `/campaigns/${campaignId}`)).body).toMatchObject({ status: 'running', statusReason: waiting.statusReason });
    // The scheduler looks again: still nothing new, still waiting.
    await campaigns.tick(new Date('2027-01-04T07:05:00Z'));
    expect((await runsOf(campaignId))[1].status).toBe('waiting');
    // The very same file again is not a new version.
    const again = await api('POST', `/documents/${documentId}/versions`, file('Прайс-лист опт.xlsx', 'wholesale v1'));
    expect(again.body).toMatchObject({ created: false, version: { number: 1 } });
    await campaigns.tick(new Date('2027-01-04T07:06:00Z'));
    expect((await runsOf(campaignId))[1].status).toBe('waiting');

    // The new price list arrives; the next look lets the run go, with version 2.
    await api('POST', `/documents/${documentId}/versions`, file('Прайс-лист опт январь.xlsx', 'wholesale v2'));
    await campaigns.tick(new Date('2027-01-04T09:00:00Z'));
    const runs = await waitForRuns(campaignId, ['completed', 'completed'], 'the January run sent after the upload');
    expect(runs[1].documents.map((d) => [d.version, d.filename])).toEqual([[2, 'Прайс-лист опт январь.xlsx']]);
    expect(runs[1].statusReason).toBeNull();
    expect(runs[1].messages.sent).toBe(3);
    for (const attached of await attachmentsOfRun(runs[1].id))
      expect(attached).toEqual({ filename: 'Прайс-лист опт январь.xlsx', text: 'wholesale v2' });
    expect((await api('GET', `/campaigns/${campaignId}`)).body).toMatchObject({ status: 'scheduled', statusReason: null });
  });

  it('sends an unchanged document under warn and records the warning on the run', async () => {
    const created = await api('POST', '/documents', file('Условия.pdf', 'terms', 'application/pdf'));
    const campaignId = await monthlyCampaign('warning', { attachments: [{ documentId: created.body.id, ifUnchanged: 'warn' }] });
    await campaigns.tick(DECEMBER);
    await waitForRuns(campaignId, ['completed'], 'the December run');
    await campaigns.tick(JANUARY);
    const runs = await waitForRuns(campaignId, ['completed', 'completed'], 'the January run');
    expect(runs[0].documents[0].warning).toBeNull();
    expect(runs[1].documents[0]).toMatchObject({ version: 1, warning: expect.stringContaining('«Условия.pdf»') });
    expect(runs[1].statusReason).toBe(runs[1].documents[0].warning);
    expect(runs[1].messages.sent).toBe(3);
  });

  it('stores the same bytes once, and keeps the name they were last uploaded under', async () => {
    const bytes = 'the same bytes';
    const first = await api('POST', '/attachments', file('first name.pdf', bytes, 'application/pdf'));
    const second = await api('POST', '/attachments', file('second name.pdf', bytes, 'application/pdf'));
    expect(first.status).toBe(201);
    // Before documents the first name won; now each upload keeps its own.
    expect(first.body).toMatchObject({ filename: 'first name.pdf', sha256: second.body.sha256 });
    expect(second.body).toMatchObject({ filename: 'second name.pdf' });
    expect(second.body.id).not.toBe(first.body.id);

    const renamed = await api('POST', `/documents/${first.body.id}/versions`, file('renamed.pdf', bytes, 'application/pdf'));
    expect(renamed.body).toMatchObject({ created: true, version: { number: 2, filename: 'renamed.pdf', sha256: first.body.sha256 } });
    const document = await api('GET', `/documents/${first.body.id}`);
    expect(document.body).toMatchObject({ latestVersion: 2, filename: 'renamed.pdf', name: 'first name.pdf' });
    expect(document.body.versions.map((v: { filename: string }) => v.filename)).toEqual(['first name.pdf', 'renamed.pdf']);
    expect(await prisma.documentContent.count({ where: { sha256: first.body.sha256 } })).toBe(1);

    // Each version downloads under its own name.
    const download = await fetch(`${t.url}/documents/${first.body.id}/versions/1/content`, {
      headers: { authorization: `Bearer ${await t.key('viewer')}` },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toContain(`filename*=UTF-8''first%20name.pdf`);
    expect(await download.text()).toBe(bytes);
    expect((await api('GET', `/documents/${first.body.id}/versions/3/content`)).status).toBe(404);
    expect((await api('GET', '/documents?kind=attachment&limit=500')).body.map((d: { id: number }) => d.id)).toContain(second.body.id);
  });

  it('still takes POST /attachments and attachmentIds: an attachment is a document with one version', async () => {
    const stored = await api('POST', '/attachments', file('Прайс-лист.pdf', '%PDF-1.4 old way', 'application/pdf'));
    expect(Object.keys(stored.body).sort()).toEqual(['contentType', 'filename', 'id', 'sha256', 'size']);
    const document = await api('GET', `/documents/${stored.body.id}`);
    expect(document.body).toMatchObject({ kind: 'attachment', name: 'Прайс-лист.pdf', latestVersion: 1, versions: [{ number: 1 }] });
    await makeCustomers(prisma, 'oldway', 2);
    const created = await api('POST', '/campaigns', {
      name: 'old way',
      templateId: await templateId(prisma, 'b2c-promo'),
      segmentId: await segmentByTag(prisma, 'oldway'),
      attachmentIds: [stored.body.id],
    });
    expect(created.status).toBe(201);
    await api('POST', `/campaigns/${created.body.id}/schedule`);
    const [run] = await waitForRuns(created.body.id, ['completed'], 'the one-off run');
    expect(run.documents.map((d) => d.version)).toEqual([1]);
    for (const attached of await attachmentsOfRun(run.id))
      expect(attached).toEqual({ filename: 'Прайс-лист.pdf', text: '%PDF-1.4 old way' });
  });

  it('refuses bad input with the field named', async () => {
    const image = await api('POST', '/documents', { kind: 'image', ...file('logo.png', 'png', 'image/png') });
    expect(image.status).toBe(201);
    const attachment = await api('POST', '/documents', file('ok.pdf', 'ok', 'application/pdf'));
    const base = { name: 'bad', templateId: await templateId(prisma, 'b2c-promo'), segmentId: await segmentByTag(prisma, 'nobody') };
    const issues = async (body: unknown, method = 'POST', path = '/campaigns') => {
      const response = await api(method, path, body);
      expect(response.status).toBe(400);
      return response.body.issues as Array<{ path: string; message: string }>;
    };

    expect(await issues({ ...base, attachmentIds: [attachment.body.id, 999_999] })).toEqual([
      { path: 'attachmentIds[1]', message: 'document 999999 not found' },
    ]);
    expect(await issues({ ...base, attachmentIds: [image.body.id] })).toEqual([
      { path: 'attachmentIds[0]', message: `document ${image.body.id} («logo.png») is an image, not an attachment` },
    ]);
    expect(
      await issues({ ...base, attachments: [{ documentId: attachment.body.id }, { documentId: image.body.id, ifUnchanged: 'wait' }] }),
    ).toEqual([{ path: 'attachments[1].documentId', message: expect.stringContaining('is an image, not an attachment') }]);
    expect((await issues({ ...base, attachments: [{ documentId: attachment.body.id, ifUnchanged: 'maybe' }] })).map((i) => i.path)).toEqual(
      ['attachments[0].ifUnchanged'],
    );
    expect(await issues({ ...base, attachmentIds: [attachment.body.id, attachment.body.id] })).toEqual([
      { path: 'attachmentIds[1]', message: `document ${attachment.body.id} is attached twice` },
    ]);
    expect(
      (await issues({ ...base, attachmentIds: [attachment.body.id], attachments: [{ documentId: attachment.body.id }] })).map(
        (i) => i.path,
      ),
    ).toEqual(['attachments']);

    expect((await issues({ kind: 'image', ...file('logo.pdf', 'x', 'application/pdf') }, 'POST', '/documents')).map((i) => i.path)).toEqual(
      ['contentType'],
    );
    expect((await issues({ kind: 'poster', ...file('x.pdf', 'x') }, 'POST', '/documents')).map((i) => i.path)).toEqual(['kind']);
    expect((await issues(file('../x.pdf', 'x'), 'POST', `/documents/${attachment.body.id}/versions`)).map((i) => i.path)).toEqual([
      'filename',
    ]);
    expect((await api('POST', '/documents/999999/versions', file('x.pdf', 'x'))).status).toBe(404);
    expect((await api('GET', `/documents/${attachment.body.id}/versions/first/content`)).status).toBe(400);
  });
});
