// A small SMTP server on raw TCP for the reliability suite: it counts every message it
// accepts by our X-Otklik-Message header, and a fault plan decides, per recipient and
// attempt, whether to accept, refuse with a code (421 also closes the connection, as RFC 5321
// 3.8 says) or drop the connection without answering the final dot. smtp-server cannot drop
// a connection at that point, and this one is also cheap enough for 20,000-message runs.
import net from 'node:net';

/** What the sink does with one message. */
export type FaultAnswer =
  | { kind: 'accept' }
  | { kind: 'refuse'; code: number; text: string }
  /** Close the socket after the whole message arrived, before any answer: the client cannot know. */
  | { kind: 'drop' };

export interface FaultPlan {
  /** `attempt` counts from 1 per recipient address. */
  (recipient: string, attempt: number): FaultAnswer;
}

export interface FaultSink {
  url: string;
  /** How many times each message id was accepted. */
  accepted: Map<string, number>;
  /** When (ms since the epoch) each message id was accepted: the duplicate diagnostics read it. */
  acceptedAt: Map<string, number[]>;
  /** Answers given, by kind/code, for the report. */
  answers: Map<string, number>;
  plan: FaultPlan;
  total(): number;
  close(): Promise<void>;
}

const ACCEPT: FaultAnswer = { kind: 'accept' };

export async function startFaultSink(plan: FaultPlan = () => ACCEPT): Promise<FaultSink> {
  const attempts = new Map<string, number>();
  const sockets = new Set<net.Socket>();
  const sink: FaultSink = {
    url: '',
    accepted: new Map(),
    acceptedAt: new Map(),
    answers: new Map(),
    plan,
    total: () => [...sink.accepted.values()].reduce((a, b) => a + b, 0),
    close: async () => undefined,
  };
  const count = (key: string) => sink.answers.set(key, (sink.answers.get(key) ?? 0) + 1);

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer: Buffer = Buffer.alloc(0);
    let inData = false;
    let recipients: string[] = [];
    const reply = (line: string) => socket.writable && socket.write(`${line}\r\n`);

    const endOfData = (body: Buffer) => {
      inData = false;
      const recipient = recipients[0] ?? '';
      const attempt = (attempts.get(recipient) ?? 0) + 1;
      attempts.set(recipient, attempt);
      const answer = sink.plan(recipient, attempt);
      recipients = [];
      if (answer.kind === 'drop') {
        count('drop');
        socket.destroy();
        return;
      }
      if (answer.kind === 'refuse') {
        count(String(answer.code));
        reply(`${answer.code} ${answer.text}`);
        if (answer.code === 421) socket.end();
        return;
      }
      const head = body.subarray(0, Math.min(body.length, 8192)).toString('latin1');
      const id = /^X-Otklik-Message: (\d+)/m.exec(head)?.[1] ?? 'unknown';
      sink.accepted.set(id, (sink.accepted.get(id) ?? 0) + 1);
      sink.acceptedAt.set(id, [...(sink.acceptedAt.get(id) ?? []), Date.now()]);
      count('250');
      reply('250 2.0.0 Ok: queued');
    };

    const onLine = (line: string) => {
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'EHLO') reply('250-fault-sink\r\n250-SIZE 52428800\r\n250 8BITMIME');
      else if (verb === 'HELO') reply('250 fault-sink');
      else if (verb === 'MAIL') {
        recipients = [];
        reply('250 2.1.0 Ok');
      } else if (verb === 'RCPT') {
        recipients.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
        reply('250 2.1.5 Ok');
      } else if (verb === 'DATA') {
        if (!recipients.length) return reply('554 5.5.1 No valid recipients');
        inData = true;
        reply('354 End data with <CR><LF>.<CR><LF>');
      } else if (verb === 'RSET') {
        recipients = [];
        reply('250 2.0.0 Ok');
      } else if (verb === 'NOOP') reply('250 2.0.0 Ok');
      else if (verb === 'QUIT') {
        reply('221 2.0.0 Bye');
        socket.end();
      } else reply('502 5.5.2 Command not recognized');
    };

    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
      for (;;) {
        if (inData) {
          // The body ends at CRLF "." CRLF; our messages never start with the dot line itself.
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          const body = buffer.subarray(0, end + 2);
          buffer = buffer.subarray(end + 5);
          endOfData(body);
          if (socket.destroyed) return;
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.subarray(0, eol).toString('latin1');
        buffer = buffer.subarray(eol + 2);
        onLine(line);
      }
    });
    reply('220 fault-sink ESMTP');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.url = `smtp://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  sink.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return sink;
}
