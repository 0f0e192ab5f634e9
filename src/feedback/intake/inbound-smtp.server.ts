// The inbound SMTP server (smtp-server): MX for the bounce domain and the reply-to address.
// It runs in the api role (an edge, like the HTTP webhooks; the worker role only processes),
// only when INBOUND_SMTP_PORT is set. Recipients are checked against the mailbox policy at
// RCPT TO; the message is stored raw (InboundIntakeService) before 250 is answered.
//
// Size: up to INBOUND_MAX_BYTES is stored whole. A bigger message is read to its end, its
// first INBOUND_MAX_BYTES stored and marked truncated + unclassified (never dropped, never
// guessed at). Past 4 × INBOUND_MAX_BYTES (advertised as SIZE) it is refused with 552, so a
// hostile stream cannot hold a connection forever.
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { AppConfig } from '../../config/config.module';
import { InboundIntakeService } from './inbound-intake.service';
import { mailboxOf } from './mailbox-policy';

const MAX_RECIPIENTS = 50;
const HARD_LIMIT_FACTOR = 4;

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

@Injectable()
export class InboundSmtpServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(InboundSmtpServer.name);
  private server: SMTPServer | null = null;
  private boundPort: number | null = null;

  constructor(
    private readonly intake: InboundIntakeService,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {}

  /** The port it listens on (the real one when INBOUND_SMTP_PORT=0), or null when off. */
  get port(): number | null {
    return this.boundPort;
  }

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.get('INBOUND_SMTP_PORT', { infer: true });
    const role = this.config.get('OTKLIK_ROLE', { infer: true });
    if (port === undefined || (role !== 'api' && role !== 'all')) return;
    const host = this.config.get('INBOUND_SMTP_HOST', { infer: true });
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

  private create(): SMTPServer {
    const maxBytes = this.intake.maxBytes;
    const server = new SMTPServer({
      banner: 'Otklik inbound',
      logger: false,
      disabledCommands: ['AUTH', 'STARTTLS'],
      authOptional: true,
      size: maxBytes * HARD_LIMIT_FACTOR,
      rejectOversized: true,
      // Each connection may hold up to INBOUND_MAX_BYTES while its message is read.
      maxClients: 50,
      socketTimeout: 60_000,
      closeTimeout: 5_000,
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

  private receive(stream: SMTPServerDataStream, session: SMTPServerSession, maxBytes: number, callback: (error?: Error | null, message?: string) => void): void {
    const chunks: Buffer[] = [];
    let kept = 0;
    let total = 0;
    let answered = false;
    const answer = (error: Error | null, message?: string) => {
      if (answered) return;
      answered = true;
      callback(error, message);
    };
    stream.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (kept >= maxBytes) return;
      const part = kept + chunk.length > maxBytes ? chunk.subarray(0, maxBytes - kept) : chunk;
      chunks.push(part);
      kept += part.length;
    });
    stream.on('error', (error) => answer(smtpError(451, `4.3.0 ${error.message}`)));
    stream.on('end', () => {
      // smtp-server answers 552 itself past the hard limit; nothing is stored then.
      if (stream.sizeExceeded) return answer(smtpError(552, '5.3.4 Message too big'));
      // The null sender (MAIL FROM:<>) of bounces is stored as null.
      const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address || null : null;
      this.intake
        .receive({ source: 'smtp', raw: Buffer.concat(chunks, kept), size: total, envelopeFrom, envelopeTo: session.envelope.rcptTo.map((r) => r.address) })
        .then(
          (id) => answer(null, `Stored as inbound ${id}`),
          (error: unknown) => {
            // Not stored: a temporary failure, so the sending server keeps the message and retries.
            this.logger.warn(`inbound message not stored: ${(error as Error).message}`);
            answer(smtpError(451, '4.3.0 Could not store the message, try again later'));
          },
        );
    });
  }
}
