// A real SMTP server on loopback (smtp-server) that keeps what it accepts, for e2e tests.
// `answer` lets a test refuse messages for a while (451) or slow them down.
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SunkMessage {
  from: string;
  to: string[];
  raw: Buffer;
  /** Our X-Otklik-Message header: the Message row id. */
  otklikId: string | null;
  /** When the sink accepted it (ms since the epoch). */
  at: number;
}

export interface SmtpSink {
  url: string;
  port: number;
  messages: SunkMessage[];
  /** How the sink answers the end of DATA (given the accepted recipients): undefined accepts; an object refuses with that code. */
  answer: ((to: string[]) => { code: number; message: string } | undefined) | undefined;
  /** Refuses a recipient at RCPT TO when it returns an answer (given the envelope sender too). */
  refuseRecipient: ((to: string, from: string) => { code: number; message: string } | undefined) | undefined;
  /** Milliseconds to wait before answering each message. */
  delayMs: number;
  /** The users that signed in with AUTH (only when the sink was started with `auth`). */
  logins: string[];
  /** The name each client gave in EHLO/HELO, per message (MAIL FROM). */
  ehloNames: string[];
  /** Messages accepted over a TLS session. */
  tlsMessages: number;
  close(): Promise<void>;
}

/**
 * With `auth`, the sink requires AUTH PLAIN/LOGIN with exactly these credentials (over plain TCP).
 * With `tls`, it offers STARTTLS with that key and certificate (else it offers no TLS at all).
 */
export async function startSmtpSink(
  options: { auth?: { user: string; pass: string }; tls?: { key: string; cert: string }; port?: number } = {},
): Promise<SmtpSink> {
  const sink = {
    messages: [] as SunkMessage[],
    answer: undefined,
    refuseRecipient: undefined,
    delayMs: 0,
    logins: [] as string[],
    ehloNames: [] as string[],
    tlsMessages: 0,
  } as unknown as SmtpSink;
  const { auth } = options;
  const server = new SMTPServer({
    authOptional: !auth,
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(credentials, _session, callback) {
      if (!auth || credentials.username !== auth.user || credentials.password !== auth.pass)
        return callback(new Error('Invalid username or password'));
      sink.logins.push(credentials.username);
      callback(null, { user: credentials.username });
    },
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : { disabledCommands: ['STARTTLS'] }),
    logger: false,
    onMailFrom(_address, session, callback) {
      sink.ehloNames.push(session.hostNameAppearsAs);
      callback();
    },
    onRcptTo(address, session, callback) {
      const refusal = sink.refuseRecipient?.(address.address, session.envelope.mailFrom ? session.envelope.mailFrom.address : '');
      if (!refusal) return callback();
      const error = new Error(refusal.message) as Error & { responseCode: number };
      error.responseCode = refusal.code;
      callback(error);
    },
    size: 30 * 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const finish = () => {
          const refusal = sink.answer?.(session.envelope.rcptTo.map((r) => r.address));
          if (refusal) {
            const error = new Error(refusal.message) as Error & { responseCode: number };
            error.responseCode = refusal.code;
            return callback(error);
          }
          const raw = Buffer.concat(chunks);
          if (session.secure) sink.tlsMessages++;
          const head = raw.subarray(0, Math.min(raw.length, 8192)).toString('latin1');
          sink.messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            otklikId: /^X-Otklik-Message: (\d+)/m.exec(head)?.[1] ?? null,
            at: Date.now(),
          });
          callback();
        };
        if (sink.delayMs > 0) setTimeout(finish, sink.delayMs);
        else finish();
      });
    },
  });
  // A client killed mid-session (the crash test) resets its socket: not a test failure.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  sink.port = port;
  sink.url = `smtp://127.0.0.1:${port}`;
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}

/** Polls until `check` returns a truthy value or the time runs out. */
export async function waitFor<T>(check: () => Promise<T> | T, timeoutMs: number, what: string): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
