// A small SMTP client connection for sending pre-built MIME (RFC 5321), made for two things
// nodemailer's connection does not give us:
// - speed: dot-stuffing with Buffer.indexOf and one socket write per message, instead of a
//   per-byte JavaScript transform (which cost about half the CPU of a send);
// - a commit point, in two phases: `prepare` writes the whole message but its final "." and
//   returns a PreparedData; its `commit` writes the dot and reads the server's answer, its
//   `abort` drops the connection so the server discards the unfinished message.
// It speaks EHLO, STARTTLS (when offered), AUTH PLAIN/LOGIN, PIPELINING of MAIL/RCPT/DATA.
import net from 'node:net';
import tls from 'node:tls';

export interface SmtpClientOptions {
  host: string;
  port: number;
  /** TLS from the first byte (smtps, port 465). */
  secure: boolean;
  auth?: { user: string; pass: string };
  tlsRejectUnauthorized: boolean;
  /** Refuse to send over a session without TLS (a relay that does not offer STARTTLS). */
  requireTls?: boolean;
  /** More certificate authorities to trust (PEM), besides the system's. */
  ca?: string;
  clientName: string;
  connectTimeoutMs: number;
  socketTimeoutMs: number;
}

/**
 * A message the server has whole but for its final dot (SmtpClientConnection.prepare). Exactly
 * one of the two is called, once:
 * - `commit()` writes the final dot at the call, synchronously, before returning (so a caller
 *   can write it in the same tick as its database COMMIT), and resolves with the server's
 *   answer. A second call returns the same answer.
 * - `abort()` drops the connection: the server discards the unfinished message. After `commit`
 *   it does nothing: once the dot is out the message is the server's, and only its answer says
 *   what became of it (dropping the connection then would hide a delivered message).
 */
export interface PreparedData {
  commit(): Promise<{ response: string }>;
  abort(): void;
  /** `commit` was called: from then on the server's answer decides. */
  readonly committed: boolean;
}

/** An SMTP failure with what nodemailer-style classification reads (see smtp-errors.ts). */
export class SmtpError extends Error {
  constructor(
    message: string,
    readonly code: 'ECONNECTION' | 'ETIMEDOUT' | 'EPROTOCOL' | 'EAUTH' | 'ETLS' | 'EENVELOPE' | 'EMESSAGE' | 'ESTREAM',
    readonly responseCode?: number,
    readonly response?: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'SmtpError';
  }
}

interface Reply {
  code: number;
  text: string;
}

/** Node's codes for a TLS handshake refused (certificate, protocol), as opposed to a network failure. */
const TLS_ERROR_CODE = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_SSL|ERR_TLS/;

const CRLF = Buffer.from('\r\n');
const FINAL_DOT = Buffer.from('.\r\n');

/**
 * Dot-stuffing (RFC 5321 4.5.2): a line that starts with "." gets another one. Also makes sure
 * the data ends with CRLF, so the final ".\r\n" stands on its own line.
 */
export function dotStuff(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  if (data[0] === 0x2e) {
    parts.push(Buffer.from('.'));
  }
  for (let at = data.indexOf('\n.', 0); at >= 0; at = data.indexOf('\n.', at + 2)) {
    parts.push(data.subarray(from, at + 1), Buffer.from('.'));
    from = at + 1;
  }
  if (!parts.length) return data.subarray(data.length - 2).equals(CRLF) ? data : Buffer.concat([data, CRLF]);
  parts.push(data.subarray(from));
  if (!data.subarray(data.length - 2).equals(CRLF)) parts.push(CRLF);
  return Buffer.concat(parts);
}

/** Chunks at least this long are stuffed once and remembered: a campaign's attachment part. */
const STUFF_ONCE_MIN_BYTES = 8 * 1024;
const stuffedOnce = new WeakMap<Buffer, Buffer>();

/**
 * Dot-stuffs a message given as chunks of whole lines. A large chunk comes back from a cache
 * while its buffer lives: the same prepared attachment goes into every message of a campaign,
 * and scanning its 50 KB for dots each time cost more than the recipient's own part.
 */
export function dotStuffChunks(chunks: readonly Buffer[]): Buffer[] {
  return chunks.map((chunk) => {
    if (chunk.length < STUFF_ONCE_MIN_BYTES) return dotStuff(chunk);
    let stuffed = stuffedOnce.get(chunk);
    if (!stuffed) stuffedOnce.set(chunk, (stuffed = dotStuff(chunk)));
    return stuffed;
  });
}

/**
 * A message's raw MIME, handed over once: the connection that writes it takes the chunks and
 * keeps no reference, so a send that then waits for its commit and the server's answer no
 * longer holds the message's bytes. With a hundred sends in flight, those bytes (and the
 * rendered email, kept as long by an async caller) outlived the young generation: a bulk
 * worker's heap promoted 1.37 GB per 30,000 messages, 0.40 GB once both were let go.
 */
export class MessageData {
  private chunks: readonly Buffer[] | null;

  constructor(data: Buffer | readonly Buffer[]) {
    this.chunks = Buffer.isBuffer(data) ? [data] : data;
  }

  /** The chunks, once; this object forgets them. */
  take(): readonly Buffer[] {
    const chunks = this.chunks;
    if (!chunks) throw new Error('the message data was already taken');
    this.chunks = null;
    return chunks;
  }
}

export class SmtpClientConnection {
  private socket!: net.Socket;
  private buffer = '';
  private pending: Array<{ resolve: (reply: Reply) => void; reject: (error: Error) => void }> = [];
  private lines: string[] = [];
  private failure: Error | null = null;
  private extensions = new Set<string>();
  private authMethods = new Set<string>();
  closed = false;

  constructor(private readonly options: SmtpClientOptions) {}

  async connect(): Promise<void> {
    this.socket = await this.open();
    this.attach(this.socket);
    this.expectOk(await this.reply(), 'CONN', 220);
    await this.hello();
    if (!this.options.secure && this.extensions.has('STARTTLS')) {
      this.expectOk(await this.command('STARTTLS'), 'STARTTLS', 220);
      for (const event of ['data', 'error', 'close', 'timeout']) this.socket.removeAllListeners(event);
      this.socket.setTimeout(0);
      this.socket = await this.upgrade(this.socket);
      this.attach(this.socket);
      await this.hello();
    } else if (!this.options.secure && this.options.requireTls) {
      throw new SmtpError(
        'TLS is required but the relay does not offer STARTTLS: nothing is sent over a plain session',
        'ETLS',
        undefined,
        undefined,
        'STARTTLS',
      );
    }
    if (this.options.auth) await this.login(this.options.auth);
  }

  /**
   * Writes one message but its final dot, given as chunks of whole lines (or one buffer). The
   * envelope goes out pipelined when the server allows it; the data is written whole, its chunks
   * in one writev. A refused envelope throws (EENVELOPE) with nothing written.
   */
  async prepare(from: string, to: string[], data: MessageData): Promise<PreparedData> {
    const commands = [`MAIL FROM:<${from}>`, ...to.map((rcpt) => `RCPT TO:<${rcpt}>`), 'DATA'];
    let replies: Reply[];
    if (this.extensions.has('PIPELINING')) {
      const waiting = commands.map(() => this.reply());
      this.write(commands.map((c) => `${c}\r\n`).join(''));
      replies = await Promise.all(waiting);
    } else {
      replies = [];
      for (const command of commands) {
        const reply = await this.command(command);
        replies.push(reply);
        if (reply.code >= 400) break;
      }
    }
    const [mail, ...rest] = replies;
    const dataReply = rest[to.length];
    try {
      this.expectOk(mail, 'MAIL FROM', 250, 'EENVELOPE');
      for (let i = 0; i < to.length; i++) this.expectOk(rest[i], 'RCPT TO', 250, 'EENVELOPE');
    } catch (error) {
      // A pipelined DATA the server accepted anyway: leave it unfinished, so nothing is delivered.
      if (dataReply?.code === 354) this.destroy();
      throw error;
    }
    if (!dataReply || dataReply.code !== 354) {
      if (dataReply && dataReply.code < 400) throw this.protocolError(dataReply, 'DATA');
      if (dataReply)
        throw new SmtpError(
          `DATA refused: ${dataReply.code} ${dataReply.text}`,
          'EENVELOPE',
          dataReply.code,
          `${dataReply.code} ${dataReply.text}`,
          'DATA',
        );
      throw new SmtpError('DATA not answered', 'EPROTOCOL');
    }
    this.socket.cork();
    for (const chunk of dotStuffChunks(data.take())) this.socket.write(chunk);
    this.socket.uncork();
    // The answer to the final dot, awaited from now on: the connection may drop while the
    // caller records its commit; that rejection is read by commit().
    const accepted = this.reply();
    accepted.catch(() => undefined);
    let answer: Promise<{ response: string }> | null = null;
    let aborted = false;
    return {
      commit: () => (answer ??= this.finish(accepted, aborted)),
      abort: () => {
        if (answer || aborted) return;
        aborted = true;
        this.destroy();
      },
      get committed() {
        return answer !== null;
      },
    };
  }

  /** The commit of a prepared message: the final dot now, then the server's answer. */
  private finish(accepted: Promise<Reply>, aborted: boolean): Promise<{ response: string }> {
    if (aborted) return Promise.reject(new SmtpError('the message was aborted before its final dot', 'ESTREAM'));
    // A connection already lost: no dot, the failure is the answer.
    if (this.failure) return Promise.reject(this.failure);
    this.socket.write(FINAL_DOT);
    const answer = accepted.then((reply) => {
      if (reply.code !== 250) {
        throw new SmtpError(`Message refused: ${reply.code} ${reply.text}`, 'EMESSAGE', reply.code, `${reply.code} ${reply.text}`, 'DATA');
      }
      return { response: `${reply.code} ${reply.text}` };
    });
    // The caller may read the answer only after its own COMMIT: not an unhandled rejection meanwhile.
    answer.catch(() => undefined);
    return answer;
  }

  /** After a refused envelope: a clean transaction state for the next message. */
  async reset(): Promise<void> {
    this.expectOk(await this.command('RSET'), 'RSET', 250);
  }

  quit(): void {
    if (this.closed) return;
    this.closed = true;
    this.reply().catch(() => undefined);
    this.socket.end('QUIT\r\n');
  }

  destroy(): void {
    this.closed = true;
    this.socket?.destroy();
  }

  /** What the session settled on after connect(), for a connection test (providers' "test"). */
  describe(): { tls: boolean; extensions: string[]; authMethods: string[] } {
    return { tls: this.socket instanceof tls.TLSSocket, extensions: [...this.extensions], authMethods: [...this.authMethods] };
  }

  // ── protocol plumbing ──

  private async hello(): Promise<void> {
    const reply = await this.command(`EHLO ${this.options.clientName}`);
    if (reply.code !== 250) {
      this.expectOk(await this.command(`HELO ${this.options.clientName}`), 'HELO', 250);
      return;
    }
    this.extensions.clear();
    for (const line of reply.text.split('\n').slice(1)) {
      const [keyword, ...params] = line
        .trim()
        .toUpperCase()
        .split(/[\s=]+/);
      this.extensions.add(keyword);
      if (keyword === 'AUTH') params.forEach((p) => this.authMethods.add(p));
    }
  }

  private async login(auth: { user: string; pass: string }): Promise<void> {
    if (this.authMethods.has('PLAIN') || !this.authMethods.has('LOGIN')) {
      const token = Buffer.from(`\u0000${auth.user}\u0000${auth.pass}`).toString('base64');
      this.expectOk(await this.command(`AUTH PLAIN ${token}`), 'AUTH PLAIN', 235, 'EAUTH');
      return;
    }
    this.expectOk(await this.command('AUTH LOGIN'), 'AUTH LOGIN', 334, 'EAUTH');
    this.expectOk(await this.command(Buffer.from(auth.user).toString('base64')), 'AUTH LOGIN', 334, 'EAUTH');
    this.expectOk(await this.command(Buffer.from(auth.pass).toString('base64')), 'AUTH LOGIN', 235, 'EAUTH');
  }

  private command(line: string): Promise<Reply> {
    const reply = this.reply();
    this.write(`${line}\r\n`);
    return reply;
  }

  private write(text: string): void {
    if (this.failure) return;
    this.socket.write(text);
  }

  private reply(): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }

  private expectOk(reply: Reply | undefined, command: string, expected: number, code: SmtpError['code'] = 'EPROTOCOL'): void {
    if (!reply) throw new SmtpError(`${command}: no answer`, 'EPROTOCOL', undefined, undefined, command);
    if (reply.code === expected) return;
    if (reply.code >= 400)
      throw new SmtpError(`${command} refused: ${reply.code} ${reply.text}`, code, reply.code, `${reply.code} ${reply.text}`, command);
    throw this.protocolError(reply, command);
  }

  private protocolError(reply: Reply, command: string): SmtpError {
    return new SmtpError(
      `${command}: unexpected answer ${reply.code} ${reply.text}`,
      'EPROTOCOL',
      reply.code,
      `${reply.code} ${reply.text}`,
      command,
    );
  }

  private attach(socket: net.Socket): void {
    socket.setTimeout(this.options.socketTimeoutMs, () => this.fail(new SmtpError('SMTP connection timed out', 'ETIMEDOUT')));
    socket.on('data', (chunk: Buffer) => this.onData(chunk.toString('utf8')));
    socket.on('error', (error) => this.fail(new SmtpError(`SMTP connection error: ${error.message}`, 'ECONNECTION')));
    socket.on('close', () => this.fail(new SmtpError('SMTP connection closed by the server', 'ECONNECTION')));
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, end).replace(/\r$/, '');
      this.buffer = this.buffer.slice(end + 1);
      this.lines.push(line);
      // "250-..." continues a reply; "250 ..." (or a bare code) ends it.
      if (line.length >= 3 && line[3] !== '-') {
        const code = Number(line.slice(0, 3));
        const text = this.lines.map((l) => l.slice(4)).join('\n');
        this.lines = [];
        const waiter = this.pending.shift();
        if (waiter) waiter.resolve({ code: Number.isFinite(code) ? code : 0, text });
        else if (code === 421) this.fail(new SmtpError(`server closing: ${line}`, 'ECONNECTION', 421, line));
      }
    }
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.closed = true;
    for (const waiter of this.pending.splice(0)) waiter.reject(error);
    this.socket?.destroy();
  }

  private open(): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      const { host, port, secure, connectTimeoutMs } = this.options;
      const socket = secure ? tls.connect({ host, port, ...this.tlsOptions() }) : net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new SmtpError(`connecting to ${host}:${port} timed out`, 'ETIMEDOUT'));
      }, connectTimeoutMs);
      socket.once(secure ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.setNoDelay(true);
        resolve(socket);
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        // A certificate refused on an smtps connection is a TLS failure, not a network one.
        const tlsFailure = secure && typeof error.code === 'string' && TLS_ERROR_CODE.test(error.code);
        reject(
          new SmtpError(
            `connecting to ${host}:${port}: ${tlsFailure ? certificateProblem(error) : error.message}`,
            tlsFailure ? 'ETLS' : 'ECONNECTION',
            undefined,
            undefined,
            tlsFailure ? 'CONN' : undefined,
          ),
        );
      });
    });
  }

  private upgrade(plain: net.Socket): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      const secured = tls.connect({ socket: plain, ...this.tlsOptions() }, () => resolve(secured));
      // ETLS, as nodemailer says it, for a handshake refused (a certificate that does not verify):
      // the relay's configuration or ours, which fails every message alike (smtp-errors.ts).
      secured.once('error', (error: NodeJS.ErrnoException) => {
        const tlsFailure = typeof error.code === 'string' && TLS_ERROR_CODE.test(error.code);
        reject(
          new SmtpError(
            `STARTTLS failed: ${tlsFailure ? certificateProblem(error) : error.message}`,
            tlsFailure ? 'ETLS' : 'ECONNECTION',
            undefined,
            undefined,
            'STARTTLS',
          ),
        );
      });
    });
  }

  /** Server name, verification, and the extra CA on top of the system's roots. */
  private tlsOptions(): tls.ConnectionOptions {
    const { host, ca, tlsRejectUnauthorized } = this.options;
    return {
      servername: net.isIP(host) ? undefined : host,
      rejectUnauthorized: tlsRejectUnauthorized,
      ...(ca ? { ca: [...tls.rootCertificates, ca] } : {}),
    };
  }
}

/** A refused certificate in words an operator acts on: what failed and the two ways out. */
function certificateProblem(error: NodeJS.ErrnoException): string {
  const verify = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(error.code ?? '');
  // Node adds advice about its own flags, which an operator of Otklik cannot act on.
  const words = error.message.replace(/;\s*if the root CA is installed locally.*$/s, '');
  return verify
    ? `the relay's certificate does not verify (${words}); give its CA (tlsCa) or turn verification off (tlsVerify: false)`
    : error.message;
}
