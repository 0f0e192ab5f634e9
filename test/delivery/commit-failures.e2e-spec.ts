// The database failing at the commit point (docs/architecture.md: exactly one message per
// recipient). The final dot is written in the commit step of the commit batch, just before its
// COMMIT: when the COMMIT is lost after the dots, the rows must still read `committing` and each
// message's outcome is the relay's answer (never an abort and a second copy); when the commit
// point fails before any dot, the prepared messages are aborted and sent once on their retry.
import { CampaignsService } from '../../src/campaigns/campaigns.service';
import { PrismaService } from '../../src/database/prisma.service';
import { MessagesRepository, type MessageClaim, type PendingCommit } from '../../src/delivery/messages.repository';
import { makeCustomers, receivedAt, segmentByTag, templateId, type FixtureCustomer } from '../campaigns/campaign-fixtures';
import { startSmtpSink, waitFor, type SmtpSink } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let sink: SmtpSink;
let prisma: PrismaService;

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await startTestApp({ SMTP_URL: sink.url, FREQUENCY_CAP_PER_WEEK: '0', SMTP_MAX_CONNECTIONS: '2' });
  prisma = t.app.get(PrismaService);
});

afterAll(async () => {
  await t?.close();
  await sink?.close();
});

async function startCampaign(tag: string, count: number): Promise<{ campaignId: number; customers: FixtureCustomer[] }> {
  const customers = await makeCustomers(prisma, tag, count);
  const campaigns = t.app.get(CampaignsService);
  const campaign = await campaigns.create({
    name: tag,
    channel: 'email',
    templateId: await templateId(prisma, 'b2c-promo'),
    segmentId: await segmentByTag(prisma, tag),
    schedule: { kind: 'now' },
  });
  await campaigns.schedule(campaign.id);
  return { campaignId: campaign.id, customers };
}

/**
 * Replaces the commit point of the first commit batch carrying messages of `campaignId` with
 * `instead` (given the real beginCommit); every other batch runs as usual.
 */
function atFirstCommitOf(
  campaignId: number,
  instead: (claims: MessageClaim[], begin: (claims: MessageClaim[]) => Promise<PendingCommit>) => Promise<PendingCommit>,
) {
  const messages = t.app.get(MessagesRepository);
  const original = messages.beginCommit.bind(messages);
  const seen: bigint[] = [];
  let taken = false; // set before any await: two batches beginning together must not both be taken
  messages.beginCommit = async (claims) => {
    if (!taken) {
      taken = true;
      const mine = await prisma.message.findMany({ where: { id: { in: claims.map((c) => c.id) }, campaignId }, select: { id: true } });
      if (mine.length) {
        seen.push(...mine.map((m) => m.id));
        return instead(claims, original);
      }
      taken = false;
    }
    return original(claims);
  };
  return { seen, restore: () => (messages.beginCommit = original) };
}

/** Every message of the campaign sent, each recipient received exactly once. */
async function expectEachOnce(campaignId: number, customers: FixtureCustomer[]) {
  await waitFor(
    async () => (await prisma.campaignRun.findFirst({ where: { campaignId, status: 'completed' } })) !== null,
    60_000,
    `campaign ${campaignId}'s run completed`,
  );
  const rows = await prisma.message.findMany({ where: { campaignId }, select: { id: true, status: true, attempts: true } });
  expect(rows.map((row) => row.status)).toEqual(customers.map(() => 'sent'));
  const received = await receivedAt(prisma, sink, { campaignId });
  expect(received.map((m) => m.to[0]).sort()).toEqual(customers.map((c) => c.email).sort());
  return rows;
}

describe('the database failing at the commit point', () => {
  it('a COMMIT whose connection is killed after the dots: the rows are recorded committing again, each message goes once', async () => {
    const { campaignId, customers } = await startCampaign('commit-killed', 4);
    const statusesAfterCommit: string[] = [];
    const killed: number[] = [];
    const hook = atFirstCommitOf(campaignId, async (claims, begin) => {
      const pending = await begin(claims);
      return {
        verdicts: pending.verdicts,
        // Called by the commit step after the dots: the transaction's backend is terminated
        // before its COMMIT reaches it, as when PostgreSQL drops the connection.
        commit: async () => {
          const backends = await prisma.$queryRaw<Array<{ pid: number }>>`
            SELECT pid FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()
               AND state = 'idle in transaction' AND query LIKE '%SET status = ''committing''%'`;
          const pids = backends.map((b) => b.pid);
          killed.push(pids.length);
          await prisma.$queryRaw`SELECT pg_terminate_backend(pid) FROM unnest(${pids}::int[]) AS pid`;
          await waitFor(
            async () => (await prisma.$queryRaw<unknown[]>`SELECT 1 FROM pg_stat_activity WHERE pid = ANY(${pids}::int[])`).length === 0,
            10_000,
            'the commit transaction’s backend gone',
          );
          await pending.commit();
          const granted = claims.filter((claim) => pending.verdicts.get(claim) === 'commit').map((claim) => claim.id);
          const rows = await prisma.message.findMany({ where: { id: { in: granted } }, select: { status: true } });
          statusesAfterCommit.push(...rows.map((row) => row.status));
        },
      };
    });
    try {
      const rows = await expectEachOnce(campaignId, customers);
      expect(hook.seen.length).toBeGreaterThan(0);
      // This batch's transaction, and any other batch's caught between its statements.
      expect(killed).toHaveLength(1);
      expect(killed[0]).toBeGreaterThan(0);
      // Before the outcomes, the rows whose dots went out read committing (or already sent), never sending.
      expect(statusesAfterCommit.length).toBeGreaterThan(0);
      expect(statusesAfterCommit.filter((status) => status === 'sending')).toEqual([]);
      for (const id of hook.seen) expect(rows.find((row) => row.id === id)?.attempts).toBe(1);
    } finally {
      hook.restore();
    }
  });

  it('a commit record that fails after the dots: the relay’s answer decides, nothing is aborted or sent again', async () => {
    const { campaignId, customers } = await startCampaign('commit-unrecorded', 4);
    const hook = atFirstCommitOf(campaignId, async (claims, begin) => {
      const pending = await begin(claims);
      return {
        verdicts: pending.verdicts,
        commit: async () => {
          await pending.commit();
          throw new Error('recording final dots failed 6 times: the database is gone (test)');
        },
      };
    });
    try {
      const rows = await expectEachOnce(campaignId, customers);
      expect(hook.seen.length).toBeGreaterThan(0);
      // Not retried: a retry would have claimed the row again (attempt 2) and sent a second copy.
      for (const id of hook.seen) expect(rows.find((row) => row.id === id)?.attempts).toBe(1);
    } finally {
      hook.restore();
    }
  });

  it('a commit point lost before any dot: the prepared messages are aborted, and each is sent once on its retry', async () => {
    const { campaignId, customers } = await startCampaign('commit-lost', 4);
    const hook = atFirstCommitOf(campaignId, () => Promise.reject(new Error('Connection terminated unexpectedly (test)')));
    try {
      const rows = await expectEachOnce(campaignId, customers);
      expect(hook.seen.length).toBeGreaterThan(0);
      // Those were tried twice: aborted at the first commit point, sent on the retry.
      for (const id of hook.seen) expect(rows.find((row) => row.id === id)?.attempts).toBe(2);
    } finally {
      hook.restore();
    }
  });
});
