// The commit point belongs to one claim. When a claim's lease runs out and a second job claims
// the message again, the first claimant must not commit (docs/architecture.md: exactly one message per recipient).
import { PrismaService } from '../../src/database/prisma.service';
import { MessagesRepository } from '../../src/delivery/messages.repository';
import { startTestApp, type TestApp } from '../support/test-app';
import { makeCustomers } from '../campaigns/campaign-fixtures';

describe('commit ownership', () => {
  let t: TestApp;
  let prisma: PrismaService;
  let messages: MessagesRepository;

  beforeAll(async () => {
    t = await startTestApp({ OTKLIK_ROLE: 'api' });
    prisma = t.app.get(PrismaService);
    messages = t.app.get(MessagesRepository);
  });
  afterAll(() => t.close());

  async function queuedMessage(tag: string): Promise<bigint> {
    const [customer] = await makeCustomers(prisma, tag, 1);
    const row = await prisma.message.create({
      data: { customerId: customer.id, channel: 'email', lane: 'transactional', status: 'queued' },
    });
    return row.id;
  }

  it('refuses the commit of a claim that was taken over, and grants the new claim', async () => {
    const id = await queuedMessage('takeover');
    const first = (await messages.claim([id], 30)).get(id);
    expect(first?.outcome).toBe('claimed');
    const firstAttempt = first?.outcome === 'claimed' ? first.message.attempts : -1;

    // While the lease holds, nobody else may claim it.
    expect((await messages.claim([id], 30)).get(id)?.outcome).toBe('busy');

    // The lease runs out (the first claimant is slow or dead) and a duplicate job claims it again.
    await prisma.$executeRaw`UPDATE messages SET sending_at = now() - interval '2 minutes' WHERE id = ${id}`;
    const second = (await messages.claim([id], 30)).get(id);
    expect(second?.outcome).toBe('claimed');
    const secondAttempt = second?.outcome === 'claimed' ? second.message.attempts : -1;
    expect(secondAttempt).toBe(firstAttempt + 1);

    const stale = { id, attempt: firstAttempt };
    const current = { id, attempt: secondAttempt };
    const pending = await messages.beginCommit([stale, current]);
    expect(pending.verdicts.get(stale)).toBe('lost');
    expect(pending.verdicts.get(current)).toBe('commit');
    await pending.commit();
    expect((await prisma.message.findUniqueOrThrow({ where: { id } })).status).toBe('committing');
  });

  it('commits a claim that still holds the row', async () => {
    const id = await queuedMessage('holder');
    const claimed = (await messages.claim([id], 30)).get(id);
    const attempt = claimed?.outcome === 'claimed' ? claimed.message.attempts : -1;
    const claim = { id, attempt };
    const pending = await messages.beginCommit([claim]);
    expect(pending.verdicts.get(claim)).toBe('commit');
    await pending.commit();
    expect((await prisma.message.findUniqueOrThrow({ where: { id } })).status).toBe('committing');
  });
});
