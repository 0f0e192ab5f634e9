// TLS policy per relay (issue 19): a provider row's `tls` (opportunistic or required),
// `tlsVerify` and `tlsCa`, and SMTP_TLS* for SMTP_URL. Against a real STARTTLS relay with a
// self-signed certificate (made here with openssl): with verification off mail flows over TLS;
// with it on the run pauses with a clear reason and no message is spent (given the CA, the
// resumed run delivers each once); `required` against a relay without STARTTLS pauses the lane
// with a clear reason and spends no attempt; nor does a relay that cannot be reached.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PrismaService } from '../../src/database/prisma.service';
import { TransactionalService } from '../../src/delivery/transactional.service';
import { messageJobId, QueueName } from '../../src/queue/job-catalogue';
import { JobQueue } from '../../src/queue/job-queue';
import { makeCustomers, segmentByTag, templateId } from '../campaigns/campaign-fixtures';
import { apiCaller } from '../support/api-call';
import { startSmtpSink, waitFor, type SmtpSink } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';

/** A self-signed certificate for 127.0.0.1 and localhost. */
function selfSigned(): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'otklik-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('TLS policy per provider', () => {
  let t: TestApp;
  let tlsRelay: SmtpSink;
  let plainRelay: SmtpSink;
  let prisma: PrismaService;
  let call: ReturnType<typeof apiCaller<'admin'>>;
  const pem = selfSigned();

  beforeAll(async () => {
    tlsRelay = await startSmtpSink({ tls: pem });
    plainRelay = await startSmtpSink();
    t = await startTestApp({ FREQUENCY_CAP_PER_WEEK: '0' });
    prisma = t.app.get(PrismaService);
    call = apiCaller(t, { admin: await t.key('admin') });
  });

  afterAll(async () => {
    await t?.close();
    await tlsRelay?.close();
    await plainRelay?.close();
  });

  /** A sender on a new provider with this config; a campaign of `count` new customers through it, started. */
  async function campaignThrough(tag: string, config: Record<string, unknown>, count = 2) {
    const provider = await call('POST', '/providers', 'admin', { name: tag, kind: 'smtp', config });
    expect(provider.status).toBe(201);
    const sender = await call('POST', '/senders', 'admin', { name: tag, fromAddress: `${tag}@shop.example`, providerId: provider.body.id });
    expect(sender.status).toBe(201);
    const customers = await makeCustomers(prisma, tag, count);
    const campaign = await call('POST', '/campaigns', 'admin', {
      name: tag,
      channel: 'email',
      templateId: await templateId(prisma, 'welcome'),
      segmentId: await segmentByTag(prisma, tag),
      senderId: sender.body.id,
      schedule: { kind: 'now' },
    });
    expect(campaign.status).toBe(201);
    expect((await call('POST', `/campaigns/${campaign.body.id}/schedule`, 'admin')).status).toBe(201);
    return { providerId: provider.body.id as number, campaignId: campaign.body.id as number, customers };
  }

  async function pausedRun(campaignId: number) {
    return waitFor(
      async () => {
        const run = await prisma.campaignRun.findFirst({ where: { campaignId } });
        if (run?.status !== 'paused') return null;
        const busy = await prisma.message.count({ where: { campaignId, status: { in: ['sending', 'committing'] } } });
        return busy === 0 ? run : null;
      },
      30_000,
      `campaign ${campaignId}'s run to pause`,
    );
  }

  it('with verification off, mail flows over STARTTLS', async () => {
    const { campaignId, customers } = await campaignThrough('tls-noverify', { url: tlsRelay.url, tlsVerify: false });
    await waitFor(
      async () => (await prisma.campaignRun.findFirst({ where: { campaignId, status: 'completed' } })) !== null,
      60_000,
      'the run to complete',
    );
    const mine = tlsRelay.messages.filter((m) => customers.some((c) => m.to.includes(c.email)));
    expect(mine).toHaveLength(2);
    expect(tlsRelay.tlsMessages).toBeGreaterThanOrEqual(2);
  });

  it('with verification on, the run pauses naming the certificate and spends no message; given the CA, the resumed run delivers each once', async () => {
    const before = tlsRelay.messages.length;
    const { providerId, campaignId, customers } = await campaignThrough('tls-verify', { url: tlsRelay.url });
    const run = await pausedRun(campaignId);
    expect(run.statusReason).toMatch(/STARTTLS.*the relay's certificate does not verify \(self[- ]signed certificate\)/);
    const rows = await prisma.message.findMany({ where: { campaignId }, select: { status: true, deferrals: true } });
    expect(rows.map((r) => r.status)).toEqual(['queued', 'queued']);
    expect(tlsRelay.messages.length).toBe(before);

    // Trust the relay's own certificate (verification stays on) and resume.
    const edited = await call('PATCH', `/providers/${providerId}`, 'admin', { config: { url: tlsRelay.url, tlsCa: pem.cert } });
    expect(edited.status).toBe(200);
    expect(edited.body.config).toMatchObject({ tlsCa: pem.cert });
    expect((await call('POST', `/campaigns/${campaignId}/resume`, 'admin')).status).toBeLessThan(300);
    await waitFor(
      async () => (await prisma.campaignRun.findFirst({ where: { campaignId, status: 'completed' } })) !== null,
      60_000,
      'the resumed run to complete',
    );
    const mine = tlsRelay.messages.filter((m) => customers.some((c) => m.to.includes(c.email)));
    expect(mine.map((m) => m.to[0]).sort()).toEqual(customers.map((c) => c.email).sort());
  });

  it('"required" against a relay without STARTTLS pauses with a clear reason and sends nothing in plain text', async () => {
    const { campaignId } = await campaignThrough('tls-required', { url: plainRelay.url, tls: 'required' }, 1);
    const run = await pausedRun(campaignId);
    expect(run.statusReason).toContain('TLS is required but the relay does not offer STARTTLS');
    expect(await prisma.message.count({ where: { campaignId, status: 'queued' } })).toBe(1);
    expect(plainRelay.messages).toHaveLength(0);
  });

  it('refuses a TLS setting it cannot use, naming the field', async () => {
    const bad = await call('POST', '/providers', 'admin', { name: 'bad tls', kind: 'smtp', config: { url: tlsRelay.url, tls: 'always' } });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path)).toEqual(['config.tls']);
    const ca = await call('POST', '/providers', 'admin', { name: 'bad ca', kind: 'smtp', config: { url: tlsRelay.url, tlsCa: 'hello' } });
    expect(ca.body.issues.map((i: { path: string }) => i.path)).toEqual(['config.tlsCa']);
  });
});

describe('SMTP_TLS=required for SMTP_URL', () => {
  let t: TestApp;
  let plainRelay: SmtpSink;

  beforeAll(async () => {
    plainRelay = await startSmtpSink();
    t = await startTestApp({ SMTP_URL: plainRelay.url, SMTP_TLS: 'required' });
  });

  afterAll(async () => {
    await t?.close();
    await plainRelay?.close();
  });

  it('a transactional message waits behind the paused lane with the reason, its job with no attempt spent', async () => {
    const prisma = t.app.get(PrismaService);
    const [customer] = await makeCustomers(prisma, 'tx-required', 1, { consent: null });
    const message = await t.app
      .get(TransactionalService)
      .send({ template: 'order-created', channel: 'email', customerId: customer.id, data: { orderNumber: 'T-1' } });
    const row = await waitFor(
      async () => {
        const found = await prisma.message.findUnique({ where: { id: message.id } });
        // Between pauses the message is claimed again (briefly `sending`, the reason kept): wait
        // for it to be back waiting.
        return found?.statusReason?.includes('STARTTLS') && found.status === 'queued' ? found : null;
      },
      30_000,
      'the message to wait with its reason',
    );
    expect(row.status).toBe('queued');
    expect(row.statusReason).toContain('TLS is required but the relay does not offer STARTTLS');
    // Tried (the relay saw a connection) and tried again after the pause, the job never charged.
    const job = await t.app.get(JobQueue).queue(QueueName.Transactional).getJob(messageJobId(message.id));
    expect(job?.attemptsMade).toBe(0);
    expect(plainRelay.messages).toHaveLength(0);
  });
});

describe('a relay that cannot be reached', () => {
  let t: TestApp;
  let relay: SmtpSink | undefined;
  let port: number;

  beforeAll(async () => {
    // A port nothing listens on, until the test starts the relay there.
    const probe = await startSmtpSink();
    port = probe.port;
    await probe.close();
    t = await startTestApp({ SMTP_URL: `smtp://127.0.0.1:${port}` });
  });

  afterAll(async () => {
    await t?.close();
    await relay?.close();
  });

  it('keeps the message waiting with the reason, spends no attempt, and sends it once the relay is back', async () => {
    const prisma = t.app.get(PrismaService);
    const [customer] = await makeCustomers(prisma, 'tx-unreachable', 1, { consent: null });
    const message = await t.app
      .get(TransactionalService)
      .send({ template: 'order-created', channel: 'email', customerId: customer.id, data: { orderNumber: 'U-1' } });
    // Tried twice (claimed twice) while the relay is down.
    const row = await waitFor(
      async () => {
        const found = await prisma.message.findUnique({ where: { id: message.id } });
        return found && found.attempts >= 2 && found.status === 'queued' ? found : null;
      },
      40_000,
      'the message to be tried twice',
    );
    expect(row.statusReason).toMatch(
      /^waiting: the relay cannot be reached: .*ECONNREFUSED|^waiting: the relay cannot be reached: .*connect/,
    );
    const job = await t.app.get(JobQueue).queue(QueueName.Transactional).getJob(messageJobId(message.id));
    expect(job?.attemptsMade).toBe(0);

    relay = await startSmtpSink({ port });
    const sent = await waitFor(
      async () => {
        const found = await prisma.message.findUnique({ where: { id: message.id } });
        return found?.status === 'sent' ? found : null;
      },
      60_000,
      'the message to be sent once the relay is back',
    );
    expect(sent.statusReason).toBeNull();
    expect(relay.messages.map((m) => m.otklikId)).toEqual([message.id.toString()]);
  }, 120_000);
});
