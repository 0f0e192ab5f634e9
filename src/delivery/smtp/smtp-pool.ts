// A small pool of SMTP connections (smtp-client.ts) that sends pre-built raw MIME in two phases:
// `prepare` takes a connection and writes the whole message but its final "."; the handle's
// `commit` writes the dot (the caller does it inside its database commit step) and gives the
// connection back once the server answered, `abort` drops the connection so the server discards
// the message (see PreparedData in smtp-client.ts).
import { SmtpClientConnection, type MessageData, type PreparedData, type SmtpClientOptions } from './smtp-client';

export interface SmtpTarget {
  host: string;
  port: number;
  secure: boolean;
  auth?: { user: string; pass: string };
  tlsRejectUnauthorized: boolean;
  /** TLS is required: a relay without STARTTLS is refused (a sender-side failure) instead of used in plain text. */
  requireTls?: boolean;
  /** An extra certificate authority (PEM) trusted besides the system's. */
  ca?: string;
}

/**
 * A relay's TLS policy (a provider row's config, or SMTP_TLS* for SMTP_URL): `opportunistic`
 * uses STARTTLS when offered, `required` refuses a session without it; `verify` false accepts
 * any certificate; `ca` adds a certificate authority.
 */
export interface TlsPolicy {
  mode: 'opportunistic' | 'required';
  verify: boolean;
  ca?: string;
}

export interface SmtpPoolOptions {
  maxConnections: number;
  /** A connection is closed and replaced after this many messages. */
  maxMessagesPerConnection: number;
  /** Name sent with EHLO. */
  clientName?: string;
  socketTimeoutMs: number;
}

export interface SmtpEnvelope {
  from: string;
  to: string[];
}

export interface SmtpSendOutcome {
  response: string;
}

/** A message written to a pooled connection but for its final dot: see PreparedData (its errors are SmtpSendErrors). */
export interface PreparedSmtpSend {
  commit(): Promise<SmtpSendOutcome>;
  abort(): void;
  readonly committed: boolean;
}

/** An error from a send, wrapping the client's SmtpError. */
export class SmtpSendError extends Error {
  constructor(override readonly cause: unknown) {
    super((cause as Error)?.message ?? String(cause));
    this.name = 'SmtpSendError';
  }
}

export function parseSmtpUrl(smtpUrl: string, policy?: TlsPolicy): SmtpTarget {
  const url = new URL(smtpUrl);
  const target: SmtpTarget = {
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    // Loopback and private relays often run without TLS; STARTTLS is still used when offered.
    tlsRejectUnauthorized: url.searchParams.get('tlsRejectUnauthorized') !== 'false',
  };
  if (!policy) return target;
  return {
    ...target,
    // The URL's old switch still turns verification off.
    tlsRejectUnauthorized: target.tlsRejectUnauthorized && policy.verify,
    requireTls: policy.mode === 'required',
    ...(policy.ca ? { ca: policy.ca } : {}),
  };
}

interface PooledConnection {
  connection: SmtpClientConnection;
  messages: number;
}

export class SmtpPool {
  private readonly idle: PooledConnection[] = [];
  private readonly waiting: Array<(connection: PooledConnection | Error) => void> = [];
  private open = 0;
  private closed = false;
  private readonly clientOptions: SmtpClientOptions;

  constructor(
    target: SmtpTarget,
    private readonly options: SmtpPoolOptions,
  ) {
    this.clientOptions = {
      ...target,
      clientName: options.clientName ?? 'localhost',
      connectTimeoutMs: 10_000,
      socketTimeoutMs: options.socketTimeoutMs,
    };
  }

  /** Writes the message but its final dot on a pooled connection, held until commit's answer or abort. */
  async prepare(envelope: SmtpEnvelope, data: MessageData): Promise<PreparedSmtpSend> {
    const pooled = await this.acquire();
    let prepared: PreparedData;
    try {
      prepared = await pooled.connection.prepare(envelope.from, envelope.to, data);
    } catch (error) {
      await this.settle(pooled, error);
      throw new SmtpSendError(error);
    }
    let answer: Promise<SmtpSendOutcome> | null = null;
    let aborted = false;
    const commit = (): Promise<SmtpSendOutcome> => {
      if (aborted) return Promise.reject(new SmtpSendError(new Error('the message was aborted before its final dot')));
      // The dot is written by prepared.commit() now, in this call; the connection returns to the
      // pool once the server answered.
      const outcome = prepared.commit().then(
        (result) => {
          pooled.messages++;
          this.release(pooled);
          return { response: result.response };
        },
        async (error: unknown) => {
          await this.settle(pooled, error);
          throw new SmtpSendError(error);
        },
      );
      outcome.catch(() => undefined); // read by the caller after its COMMIT
      return outcome;
    };
    return {
      commit: () => (answer ??= commit()),
      abort: () => {
        if (answer || aborted) return;
        aborted = true;
        prepared.abort();
        this.release(pooled);
      },
      get committed() {
        return prepared.committed;
      },
    };
  }

  /**
   * A failed send's connection: a refused envelope leaves the session usable after RSET, a
   * refused message (an answer to the dot) leaves it usable as is; anything else (a dropped
   * socket, a protocol error) retires it. Then it goes back to the pool.
   */
  private async settle(pooled: PooledConnection, error: unknown): Promise<void> {
    const code = (error as { code?: string }).code;
    if (code === 'EENVELOPE' && !pooled.connection.closed) {
      try {
        await pooled.connection.reset();
      } catch {
        pooled.connection.destroy();
      }
    } else if (code !== 'EMESSAGE') {
      pooled.connection.destroy();
    }
    this.release(pooled);
  }

  /** For the stall log: connections counted open, idle ones, and sends waiting for one. */
  stats(): { open: number; idle: number; waiting: number } {
    return { open: this.open, idle: this.idle.length, waiting: this.waiting.length };
  }

  close(): Promise<void> {
    this.closed = true;
    for (const pooled of this.idle.splice(0)) pooled.connection.quit();
    for (const waiter of this.waiting.splice(0)) waiter(new Error('SMTP pool closed'));
    return Promise.resolve();
  }

  private async acquire(): Promise<PooledConnection> {
    if (this.closed) throw new Error('SMTP pool closed');
    while (this.idle.length) {
      const ready = this.idle.pop() as PooledConnection;
      if (!ready.connection.closed) return ready;
      this.open--; // the server closed it while idle
    }
    if (this.open < this.options.maxConnections) {
      this.open++;
      try {
        return await this.connect();
      } catch (error) {
        this.open--;
        this.wakeOne();
        throw error;
      }
    }
    const next = await new Promise<PooledConnection | Error>((resolve) => this.waiting.push(resolve));
    if (next instanceof Error) throw next;
    return next;
  }

  private release(pooled: PooledConnection): void {
    if (pooled.connection.closed || pooled.messages >= this.options.maxMessagesPerConnection || this.closed) {
      this.open--;
      pooled.connection.quit();
      this.wakeOne();
      return;
    }
    const waiter = this.waiting.shift();
    if (waiter) waiter(pooled);
    else this.idle.push(pooled);
  }

  /**
   * A slot freed up: let one waiter open a new connection. If that fails, the slot is free again
   * and passes on to the next waiter: with a relay refusing every login, a waiter left behind
   * would wait for good (nothing else frees a slot once no connection succeeds).
   */
  private wakeOne(): void {
    const waiter = this.waiting.shift();
    if (!waiter) return;
    this.open++;
    this.connect().then(waiter, (error: Error) => {
      this.open--;
      waiter(error);
      this.wakeOne();
    });
  }

  private async connect(): Promise<PooledConnection> {
    const connection = new SmtpClientConnection(this.clientOptions);
    try {
      await connection.connect();
    } catch (error) {
      connection.destroy();
      throw error;
    }
    return { connection, messages: 0 };
  }
}
