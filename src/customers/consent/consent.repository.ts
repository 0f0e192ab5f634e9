import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service';
import type { Prisma } from '../../generated/prisma/client';
import type { Channel, ConsentStatus } from '../../generated/prisma/enums';

export interface ConsentChange {
  status: ConsentStatus;
  source: string | null;
  proofIp: string | null;
  proofForm: string | null;
  proofFile?: string | null;
}

@Injectable()
export class ConsentRepository {
  constructor(private readonly prisma: PrismaService) {}

  list(customerId: number) {
    return this.prisma.consent.findMany({ where: { customerId }, orderBy: { channel: 'asc' }, omit: { customerId: true } });
  }

  find(customerId: number, channel: Channel) {
    return this.prisma.consent.findUnique({ where: { customerId_channel: { customerId, channel } } });
  }

  /** Newest first. */
  history(customerId: number, limit = 500) {
    return this.prisma.consentEvent.findMany({
      where: { customerId },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: limit,
      omit: { customerId: true },
    });
  }

  /** The current consent and its history event, in one transaction. Returns the event id. */
  async record(customerId: number, channel: Channel, change: ConsentChange, at: Date): Promise<number> {
    const data = {
      status: change.status,
      source: change.source,
      proofIp: change.proofIp,
      proofForm: change.proofForm,
      proofFile: change.proofFile ?? null,
      at,
    };
    const [, event] = await this.prisma.$transaction([
      this.prisma.consent.upsert({
        where: { customerId_channel: { customerId, channel } },
        create: { customerId, channel, ...data },
        update: data,
      }),
      this.prisma.consentEvent.create({ data: { customerId, channel, ...data }, select: { id: true } }),
    ]);
    return event.id;
  }

  // ── writes inside another module's transaction (the feedback loop): the caller passes its `tx` ──

  /** Current consents of these customers on these channels, by `customerId:channel`. */
  async currentIn(
    tx: Prisma.TransactionClient,
    keys: Array<{ customerId: number; channel: Channel }>,
  ): Promise<Map<string, { status: ConsentStatus; source: string | null }>> {
    if (!keys.length) return new Map();
    const rows = await tx.$queryRaw<Array<{ customer_id: number; channel: Channel; status: ConsentStatus; source: string | null }>>`
      SELECT c.customer_id, c.channel::text AS channel, c.status::text AS status, c.source FROM consents c
        JOIN unnest(${keys.map((k) => k.customerId)}::int[], ${keys.map((k) => k.channel)}::text[]) AS k(id, ch) ON c.customer_id = k.id AND c.channel::text = k.ch`;
    return new Map(rows.map((r) => [`${r.customer_id}:${r.channel}`, { status: r.status, source: r.source }]));
  }

  /** Consent changes (no proof) with their history events. */
  async setManyIn(
    tx: Prisma.TransactionClient,
    changes: Array<{ customerId: number; channel: Channel; status: ConsentStatus; source: string }>,
  ): Promise<void> {
    if (!changes.length) return;
    const at = new Date();
    const ids = changes.map((c) => c.customerId);
    const channels = changes.map((c) => c.channel);
    const statuses = changes.map((c) => c.status);
    const sources = changes.map((c) => c.source);
    await tx.$executeRaw`
      INSERT INTO consents (customer_id, channel, status, source, at)
      SELECT DISTINCT ON (i, c) i, c::"Channel", s::"ConsentStatus", so, ${at} FROM unnest(${ids}::int[], ${channels}::text[], ${statuses}::text[], ${sources}::text[]) AS t(i, c, s, so)
      ON CONFLICT (customer_id, channel) DO UPDATE SET status = excluded.status, source = excluded.source, at = excluded.at, proof_ip = NULL, proof_form = NULL`;
    await tx.consentEvent.createMany({
      data: changes.map((c) => ({ customerId: c.customerId, channel: c.channel, status: c.status, source: c.source, at })),
    });
  }

  /** One consent (no proof) and its history event. */
  async setIn(tx: Prisma.TransactionClient, customerId: number, channel: Channel, status: ConsentStatus, source: string): Promise<void> {
    const data = { status, source, at: new Date(), proofIp: null, proofForm: null };
    await tx.consent.upsert({
      where: { customerId_channel: { customerId, channel } },
      create: { customerId, channel, ...data },
      update: data,
    });
    await tx.consentEvent.create({ data: { customerId, channel, ...data } });
  }

  async deleteIn(tx: Prisma.TransactionClient, customerId: number, channel: Channel): Promise<void> {
    await tx.consent.deleteMany({ where: { customerId, channel } });
  }
}
