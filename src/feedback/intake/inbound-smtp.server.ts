// The inbound SMTP server (smtp-server): MX for the bounce domain and the reply-to address.
// It runs in the api role (an edge, like the HTTP webhooks; the worker role only processes),
// only when INBOUND_SMTP_PORT is set. Recipients are checked against the mailbox policy at
// RCPT TO; the message is stored raw (InboundIntakeService) before 250 is answered.
//
// Size: up to INBOUND_MAX_BYTES is stored whole. A bigger message is read to its end, its
// first INBOUND_MAX_BYTES stored and marked truncated + unclassified (never dropped, never
// guessed at). Past 4 × INBOUND_MAX_BYTES (advertised as SIZE) it is refused with 552, so a
// hostile stream cannot hold a connection forever.
//
// Memory: a message is never held whole. DATA goes to a spool file as it arrives (with
// backpressure to the socket), then is streamed into the database with a binary COPY, then the
// file is removed and 250 answered. Store, then acknowledge: a crash before the commit leaves a
// sender without 250, who retries (nothing to recover: the stale file is removed at the next
// start, InboundSpool.open). A connection holds its stream buffers (a few hundred KB), at most
// MAX_CLIENTS connections are served, 4 messages are COPYed at once (the others wait on disk)
// and processing reads at most ~9 MB of raw bytes per batch (feedback.service.ts). Bound: any
// number of concurrent maximum-size messages keeps the process under 600 MB RSS in the `all`
// role (idle ≈ 400 MB + ≤ ~200 MB for the above and not yet collected garbage); it grows with
// MAX_CLIENTS, not with the size or number of messages. Measured with npm run
// bench:inbound-memory: 20 concurrent 24 MiB messages, peak 457 MB (idle 375 MB; 11 stored,
// 9 refused with 452). Before: ~3 GB.
//
// Admission, so that what is queued stays bounded too (all answers are temporary, the sender
// retries): MAX_CLIENTS connections in all and INBOUND_MAX_CONNECTIONS_PER_CLIENT per client
// address, 421 beyond; INBOUND_BYTES_IN_FLIGHT bytes being received or stored at once, 452
// beyond — at MAIL FROM when the declared SIZE does not fit, else at the end of DATA for a
// message that ran out of budget part-way (its spool file is gone then: nothing is
// half-stored). The first 64 KB of each message are outside the budget (SMALL_MESSAGE_BYTES).
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { AppConfig } from '../../config/config.module';
import { InboundIntakeService } from './inbound-intake.service';
import { InboundSpool, type Spooled } from './inbound-spool';
import { ByteBudget, ClientConnections, clientKey, type BudgetClaim } from './intake-limits';
import { mailboxOf } from './mailbox-policy';

const MAX_RECIPIENTS = 50;
const HARD_LIMIT_FACTOR = 4;
/** Connections served at once, from all clients; more get 421. */
const MAX_CLIENTS = 50;
/**
 * The first bytes of every message are outside the bytes-in-flight budget, so bounces and
 * replies (a few KB) are stored even while a flood of big messages is being refused; with
 * MAX_CLIENTS connections they add at most 3.2 MB to what is spooled.
 */
const SMALL_MESSAGE_BYTES = 64 * 1024;

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

@Injectable()
export class InboundSmtpServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(InboundSmtpServer.name);
  private server: SMTPServer | null = null;
  private boundPort: number | null = null;
  private readonly spool: InboundSpool;
  private readonly budget: ByteBudget;
  private readonly clients: ClientConnections;
  /** Per session: the client key it is counted under (sessions refused at connect are not here). */
  private readonly counted = new Map<string, string>();
  /** Per session: the budget held by its current transaction from MAIL FROM to DATA (then the DATA handler owns it). */
  private readonly claims = new Map<string, BudgetClaim>();

  constructor(
    private readonly intake: InboundIntakeService,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {
    this.spool = new InboundSpool(config.get('INBOUND_SPOOL_DIR', { infer: true }));
    this.budget = new ByteBudget(config.get('INBOUND_BYTES_IN_FLIGHT', { infer: true }));
    this.clients = new ClientConnections(config.get('INBOUND_MAX_CONNECTIONS_PER_CLIENT', { infer: true }));
  }

  /** The port it listens on (the real one when INBOUND_SMTP_PORT=0), or null when off. */
  get port(): number | null {
    return this.boundPort;
  }

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.get('INBOUND_SMTP_PORT', { infer: true });
    const role = this.config.get('OTKLIK_ROLE', { infer: true });
    if (port === undefined || (role !== 'api' && role !== 'all')) return;
    const host = this.config.get('INBOUND_SMTP_HOST', { infer: true });
    const stale = await this.spool.open();
    if (stale) this.logger.warn(`removed ${stale} stale spool files from ${this.spool.dir} (never acknowledged: their senders retry)`);
    const server = this.create();
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, host, () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.boundPort = (server.server.address() as AddressInfo).port;
    this.logger.log(`inbound SMTP listening on ${host}:${this.boundPort}`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Bytes in flight now (spooled or being stored): for tests and the benchmark. */
  get bytesInFlight(): number {
    return this.budget.inUse;
  }

  private create(): SMTPServer {
    const maxBytes = this.intake.maxBytes;
    const server = new SMTPServer({
      banner: 'Otklik inbound',
      logger: false,
      disabledCommands: ['AUTH', 'STARTTLS'],
      authOptional: true,
      size: maxBytes * HARD_LIMIT_FACTOR,
      rejectOversized: true,
      maxClients: MAX_CLIENTS,
      socketTimeout: 60_000,
      closeTimeout: 5_000,
      onConnect: (session, callback) => {
        const key = clientKey(session.remoteAddress);
        if (!this.clients.tryOpen(key)) return callback(smtpError(421, '4.7.0 Too many connections from your address, try again later'));
        this.counted.set(session.id, key);
        callback();
      },
      onClose: (session) => {
        const key = this.counted.get(session.id);
        if (key !== undefined) {
          this.counted.delete(session.id);
          this.clients.close(key);
        }
        this.releaseClaim(session.id);
      },
      onMailFrom: (address, session, callback) => {
        // A new transaction (after RSET or a refused one) starts with a new claim.
        this.releaseClaim(session.id);
        const declared = Number(
          address.args && typeof address.args === 'object' ? (address.args as Record<string, string>).SIZE : undefined,
        );
        const claim = this.budget.claim(SMALL_MESSAGE_BYTES);
        // Without SIZE the message may be small: it is taken, and counted as it arrives.
        if (Number.isFinite(declared) && declared > 0 && !claim.reserve(Math.min(declared, maxBytes)))
          return callback(smtpError(452, '4.3.1 Insufficient system storage, try again later'));
        this.claims.set(session.id, claim);
        callback();
      },
      onRcptTo: (address, session, callback) => {
        if (session.envelope.rcptTo.length >= MAX_RECIPIENTS) return callback(smtpError(452, '4.5.3 Too many recipients'));
        this.intake.mailboxPolicy().then(
          (policy) => {
            const mailbox = mailboxOf(address.address, policy);
            if (mailbox === 'forged') return callback(smtpError(550, '5.7.1 This address does not name a message we sent'));
            callback(mailbox ? null : smtpError(550, '5.1.1 No such mailbox here'));
          },
          (error: unknown) => {
            this.logger.warn(`mailbox policy unavailable: ${(error as Error).message}`);
            callback(smtpError(451, '4.3.0 Try again later'));
          },
        );
      },
      onData: (stream, session, callback) => this.receive(stream, session, maxBytes, callback),
    });
    // A client that resets its socket or speaks nonsense is its own problem, never a crash.
    server.on('error', (error) => this.logger.warn(`inbound SMTP: ${error.message}`));
    return server;
  }

  private releaseClaim(sessionId: string): void {
    const claim = this.claims.get(sessionId);
    if (!claim) return;
    this.claims.delete(sessionId);
    claim.release();
  }

  private receive(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    maxBytes: number,
    callback: (error?: Error | null, message?: string) => void,
  ): void {
    // The message owns its claim from here: a client that leaves mid-store does not give back
    // bytes that are still on disk (onClose releases only a claim no DATA has taken).
    const claim = this.claims.get(session.id) ?? this.budget.claim(SMALL_MESSAGE_BYTES);
    this.claims.delete(session.id);
    const done = (error: Error | null, message?: string) => {
      claim.release();
      callback(error, message);
    };
    this.spool.write(stream, maxBytes, claim).then(
      async (spooled) => {
        const answer = await this.store(stream, session, spooled);
        // The file goes before the answer: once the client has its reply, nothing of it is left behind.
        await this.spool
          .remove(spooled.file)
          .catch((error: unknown) => this.logger.warn(`spool file ${spooled.file} not removed: ${(error as Error).message}`));
        done(answer.error, answer.message);
      },
      (error: unknown) => {
        // The client went away mid-DATA (no answer reaches it) or the spool failed.
        this.logger.warn(`inbound message not spooled: ${(error as Error).message}`);
        done(smtpError(451, '4.3.0 Could not store the message, try again later'));
      },
    );
  }

  /** Stores a spooled message (streamed from its file): the answer to its DATA. */
  private async store(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    spooled: Spooled,
  ): Promise<{ error: Error | null; message?: string }> {
    // smtp-server answers 552 itself past the hard limit; nothing is stored then.
    if (stream.sizeExceeded) return { error: smtpError(552, '5.3.4 Message too big') };
    // Out of budget part-way: nothing was stored, the sender keeps the message and retries.
    if (spooled.refused) return { error: smtpError(452, '4.3.1 Insufficient system storage, try again later') };
    try {
      const id = await this.intake.receiveStreamed({
        source: 'smtp',
        bytes: this.spool.read(spooled.file),
        stored: spooled.stored,
        size: spooled.size,
        // The null sender (MAIL FROM:<>) of bounces is stored as null.
        envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address || null : null,
        envelopeTo: session.envelope.rcptTo.map((r) => r.address),
      });
      return { error: null, message: `Stored as inbound ${id}` };
    } catch (error) {
      // Not stored: a temporary failure, so the sending server keeps the message and retries.
      this.logger.warn(`inbound message not stored: ${(error as Error).message}`);
      return { error: smtpError(451, '4.3.0 Could not store the message, try again later') };
    }
  }
}
