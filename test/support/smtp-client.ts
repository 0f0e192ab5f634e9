// A raw SMTP client for tests that need what nodemailer does not do: stop half-way through DATA,
// declare a SIZE, hold a connection open, connect from another loopback address.
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

export interface SmtpReply {
  code: number;
  text: string;
}

export class RawSmtpClient {
  private buffer = '';
  private lines: string[] = [];
  private readonly replies: SmtpReply[] = [];
  private readonly waiting: Array<{ resolve: (reply: SmtpReply) => void; reject: (error: Error) => void }> = [];
  private ended: Error | null = null;
  /** Resolves when the socket is closed (by either side). */
  readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => this.onData(text));
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.ended = new Error('connection closed');
        for (const waiter of this.waiting.splice(0)) waiter.reject(this.ended);
        resolve();
      }),
    );
  }

  /** Connects (from `localAddress` when given, e.g. 127.0.0.2) and returns the client; read the greeting with reply(). */
  static async connect(port: number, localAddress?: string): Promise<RawSmtpClient> {
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    await once(socket, 'connect');
    return new RawSmtpClient(socket);
  }

  /** The next reply of the server (every line of a multi-line one). */
  reply(): Promise<SmtpReply> {
    const next = this.replies.shift();
    if (next) return Promise.resolve(next);
    if (this.ended) return Promise.reject(this.ended);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** Sends a command line and returns its reply. */
  async command(line: string): Promise<SmtpReply> {
    await this.write(`${line}\r\n`);
    return this.reply();
  }

  /** Writes bytes, waiting for the socket to drain. */
  async write(data: string | Buffer): Promise<void> {
    if (!this.socket.write(data)) await Promise.race([once(this.socket, 'drain'), this.closed]);
  }

  /** EHLO, MAIL FROM (with SIZE when given), RCPT TO and DATA, each expected to succeed. */
  async startMessage(from: string, to: string, size?: number): Promise<void> {
    expectCode(await this.reply(), 220);
    expectCode(await this.command('EHLO client.example'), 250);
    expectCode(await this.command(`MAIL FROM:<${from}>${size ? ` SIZE=${size}` : ''}`), 250);
    expectCode(await this.command(`RCPT TO:<${to}>`), 250);
    expectCode(await this.command('DATA'), 354);
  }

  /** Drops the connection at once. */
  destroy(): void {
    this.socket.destroy();
  }

  async quit(): Promise<void> {
    await this.command('QUIT').catch(() => undefined);
    this.socket.end();
    await this.closed;
  }

  private onData(text: string): void {
    this.buffer += text;
    let end: number;
    while ((end = this.buffer.indexOf('\r\n')) >= 0) {
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      this.lines.push(line);
      // `250-…` continues a reply, `250 …` ends it.
      if (line[3] === '-') continue;
      const reply = { code: Number(line.slice(0, 3)), text: this.lines.join('\n') };
      this.lines = [];
      const waiter = this.waiting.shift();
      if (waiter) waiter.resolve(reply);
      else this.replies.push(reply);
    }
  }
}

function expectCode(reply: SmtpReply, code: number): void {
  if (reply.code !== code) throw new Error(`expected ${code}, got ${reply.text}`);
}
