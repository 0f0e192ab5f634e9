// Inbound messages: stored raw before anything reads them (docs/architecture.md: nothing inbound is lost), then
// marked with what the classifier made of them. Listing for the admin API.
// Raw bytes never travel whole through this process when they can be large: a message from the
// SMTP spool is streamed in with COPY (insertStreamed), and processing reads only the prefix
// the classifier looks at, a bounded number of bytes per batch (loadMany).
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Pool } from 'pg';
import type { AppConfig } from '../config/config.module';
import { copyRowWithBytes } from '../database/copy-writer';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import type { InboundKind, InboundSource, InboundStatus } from '../generated/prisma/enums';

export interface NewInbound {
  source: InboundSource;
  raw: Buffer;
  /** Size as received; more than raw.length when truncated. */
  rawSize: number;
  truncated: boolean;
  envelopeFrom: string | null;
  envelopeTo: string | null;
  /** `unclassified` with an error for a message stored only for review (truncated). */
  status: 'received' | 'unclassified';
  error: string | null;
}

/** A row streamed in: its raw bytes come from an iterable (a spool file). */
export type NewStreamedInbound = Omit<NewInbound, 'raw'>;

/** How much of the raw bytes processing loads (see loadMany). */
export interface RawWindow {
  /** Bytes of an email's raw message loaded at most (the classifier reads no more). */
  prefixBytes: number;
  /** Raw bytes one loadMany returns at most; rows past it come back without raw (load them with rawOf). */
  batchBytes: number;
}

/** Sources whose raw bytes are an email (only a prefix is read); the others are JSON bodies of at most BODY_LIMIT, read whole. */
const EMAIL_SOURCES: InboundSource[] = ['smtp', 'imap', 'api'];

export interface InboundListFilter {
  status?: InboundStatus;
  kind?: InboundKind;
  campaignId?: number;
  before?: bigint;
  limit: number;
}

/** Everything but the raw bytes. */
const INBOUND_VIEW = {
  id: true,
  source: true,
  status: true,
  kind: true,
  rawSize: true,
  truncated: true,
  envelopeFrom: true,
  envelopeTo: true,
  fromAddress: true,
  subject: true,
  error: true,
  messageId: true,
  customerId: true,
  campaignId: true,
  receivedAt: true,
  processedAt: true,
} as const;

/** Columns of a streamed insert, raw last (copyRowWithBytes streams the last one). */
const STREAMED_COLUMNS = ['id', 'source', 'status', 'raw_size', 'truncated', 'envelope_from', 'envelope_to', 'error', 'raw'];
/** COPY connections: the SMTP intake stores this many messages at once; the others wait here, spooled on disk. */
const STREAM_CONNECTIONS = 4;

@Injectable()
export class InboundRepository implements OnModuleDestroy {
  private readonly logger = new Logger(InboundRepository.name);
  private streamPool: Pool | null = null;

  constructor(
    private readonly prisma: PrismaService,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {}

  async onModuleDestroy(): Promise<void> {
    const pool = this.streamPool;
    this.streamPool = null;
    await pool?.end();
  }

  /** Its own small pg pool (COPY is not available through Prisma), made on first use: only the api role's SMTP intake needs it. */
  private pool(): Pool {
    if (!this.streamPool) {
      this.streamPool = new Pool({
        connectionString: this.config.get('DATABASE_URL', { infer: true }),
        max: STREAM_CONNECTIONS,
        lock_timeout: 30_000,
        idle_in_transaction_session_timeout: 120_000,
      });
      this.streamPool.on('error', (error) => this.logger.warn(`inbound intake connection lost: ${error.message}`));
    }
    return this.streamPool;
  }

  /**
   * Stores a row whose raw bytes (`length` of them) are streamed from `bytes` with COPY: the
   * id is taken from the sequence first (COPY returns none), then the row goes in as one
   * statement, so a failure part-way (a read error, a dropped connection) stores nothing.
   */
  async insertStreamed(row: NewStreamedInbound, bytes: AsyncIterable<Buffer>, length: number): Promise<bigint> {
    const client = await this.pool().connect();
    let failure: Error | undefined;
    try {
      const { rows } = await client.query<{ id: string }>(`SELECT nextval(pg_get_serial_sequence('inbound_messages', 'id'))::text AS id`);
      const id = BigInt(rows[0].id);
      await copyRowWithBytes(
        client,
        'inbound_messages',
        STREAMED_COLUMNS,
        [
          { int8: id },
          { text: row.source },
          { text: row.status },
          { int4: row.rawSize },
          { bool: row.truncated },
          { text: row.envelopeFrom },
          { text: row.envelopeTo },
          { text: row.error },
        ],
        bytes,
        length,
      );
      return id;
    } catch (error) {
      // The connection may be mid-COPY: it is closed rather than reused.
      failure = error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      client.release(failure);
    }
  }

  async insert(row: NewInbound): Promise<bigint> {
    const created = await this.prisma.inboundMessage.create({
      data: { ...row, raw: new Uint8Array(row.raw.buffer as ArrayBuffer, row.raw.byteOffset, row.raw.byteLength) },
      select: { id: true },
    });
    return created.id;
  }

  /**
   * The rows a batch of jobs processes (plain SQL: this is the hot path of every inbound
   * message). Of an email only its first `prefixBytes` are loaded; and only while the batch's
   * raw bytes stay within `batchBytes` (in id order): the rows past it come back with raw null,
   * for the caller to load one at a time with rawOf. So a batch of a hundred 25 MB messages
   * holds `batchBytes` + one prefix of them in memory, not 2.5 GB.
   */
  async loadMany(ids: bigint[], window: RawWindow) {
    const rows = await this.prisma.$queryRaw<
      Array<{
        id: bigint;
        status: InboundStatus;
        raw: Uint8Array | null;
        truncated: boolean;
        envelopeFrom: string | null;
        envelopeTo: string | null;
        source: InboundSource;
      }>
    >`
      SELECT id, status, truncated, "envelopeFrom", "envelopeTo", source,
             CASE WHEN sum(loaded) OVER (ORDER BY id) <= ${window.batchBytes}::bigint OR row_number() OVER (ORDER BY id) = 1
                  THEN CASE WHEN email THEN substring(raw FROM 1 FOR ${window.prefixBytes}::int) ELSE raw END END AS raw
        FROM (SELECT id, status::text AS status, raw, truncated, envelope_from AS "envelopeFrom", envelope_to AS "envelopeTo", source::text AS source,
                     source::text = ANY(${EMAIL_SOURCES}::text[]) AS email,
                     CASE WHEN source::text = ANY(${EMAIL_SOURCES}::text[]) THEN least(octet_length(raw), ${window.prefixBytes}::int) ELSE octet_length(raw) END::bigint AS loaded
                FROM inbound_messages WHERE id = ANY(${ids}::bigint[])) AS batch`;
    return new Map(rows.map((row) => [BigInt(row.id), row]));
  }

  /** The raw bytes processing reads of one row (as loadMany would): an email's first `prefixBytes`, anything else whole. */
  async rawOf(id: bigint, prefixBytes: number): Promise<Uint8Array | null> {
    const rows = await this.prisma.$queryRaw<Array<{ raw: Uint8Array }>>`
      SELECT CASE WHEN source::text = ANY(${EMAIL_SOURCES}::text[]) THEN substring(raw FROM 1 FOR ${prefixBytes}::int) ELSE raw END AS raw
        FROM inbound_messages WHERE id = ${id}`;
    return rows[0]?.raw ?? null;
  }

  async markUnclassified(id: bigint, error: string, classification: Prisma.InputJsonValue | null): Promise<void> {
    await this.prisma.inboundMessage.updateMany({
      where: { id, status: { in: ['received', 'classified'] } },
      data: {
        status: 'unclassified',
        error: error.slice(0, 2000),
        classification: classification ?? Prisma.DbNull,
        processedAt: new Date(),
      },
    });
  }

  /** True when a message polled from IMAP (named by its key) is stored already. */
  async hasImapMessage(key: string): Promise<boolean> {
    return (await this.prisma.inboundMessage.count({ where: { source: 'imap', envelopeTo: key } })) > 0;
  }

  /** Rows still `received` a while after intake: their job was lost (Redis down at intake). */
  async staleReceived(olderThan: Date, limit: number): Promise<bigint[]> {
    const rows = await this.prisma.inboundMessage.findMany({
      where: { status: 'received', receivedAt: { lt: olderThan } },
      select: { id: true },
      orderBy: { id: 'asc' },
      take: limit,
    });
    return rows.map((r) => r.id);
  }

  /** Puts an unclassified row back to `received` for another try (after a classifier fix). */
  async resetForRetry(id: bigint): Promise<boolean> {
    const result = await this.prisma.inboundMessage.updateMany({
      where: { id, status: 'unclassified', truncated: false },
      data: { status: 'received', error: null },
    });
    return result.count === 1;
  }

  list(filter: InboundListFilter) {
    return this.prisma.inboundMessage.findMany({
      where: {
        status: filter.status,
        kind: filter.kind,
        campaignId: filter.campaignId,
        id: filter.before !== undefined ? { lt: filter.before } : undefined,
      },
      orderBy: { id: 'desc' },
      take: filter.limit,
      select: INBOUND_VIEW,
    });
  }

  get(id: bigint) {
    return this.prisma.inboundMessage.findUnique({ where: { id }, select: { ...INBOUND_VIEW, classification: true } });
  }

  raw(id: bigint) {
    return this.prisma.inboundMessage.findUnique({ where: { id }, select: { raw: true } });
  }
}
