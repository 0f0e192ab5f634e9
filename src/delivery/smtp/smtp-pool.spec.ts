import net from 'node:net';
import { MessageData } from './smtp-client';
import { SmtpPool, type SmtpSendError } from './smtp-pool';

/**
 * A loopback SMTP server that refuses every AUTH with 535, each refusal held until the test
 * releases it, so the order in which connections fail is the test's to choose.
 */
async function refusingServer() {
  const held: Array<() => void> = [];
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    socket.write('220 test ESMTP\r\n');
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (/^EHLO/i.test(line)) socket.write('250-test\r\n250 AUTH PLAIN\r\n');
        else if (/^AUTH/i.test(line)) held.push(() => socket.write('535 5.7.8 Authentication credentials invalid\r\n'));
        else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    connections: () => connections,
    /** Waits until `n` refusals are held, then sends them. */
    async release(n: number) {
      await until(() => held.length >= n);
      for (const send of held.splice(0, n)) send();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A loopback SMTP server that keeps what it receives: each message's data lines as they come
 * (`partial`, per connection), and a message only once its final dot arrived (`delivered`,
 * answered 250). RCPT TO a `refused@` address is answered 550; DATA for a `drop@` address makes
 * it close the connection once the message's first line arrived, before any dot.
 */
async function recordingServer() {
  const delivered: string[] = [];
  const partial = new Map<net.Socket, string[]>();
  const closedUnfinished: string[][] = [];
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    socket.write('220 test ESMTP\r\n');
    let buffer = '';
    let inData = false;
    let rcpt = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            delivered.push((partial.get(socket) ?? []).join('\n'));
            partial.delete(socket);
            socket.write('250 2.0.0 queued\r\n');
          } else {
            partial.get(socket)?.push(line);
            if (rcpt.startsWith('drop@')) socket.destroy();
          }
        } else if (/^EHLO/i.test(line)) socket.write('250-test\r\n250 PIPELINING\r\n');
        else if (/^MAIL FROM/i.test(line)) socket.write('250 ok\r\n');
        else if (/^RCPT TO/i.test(line)) {
          rcpt = /<(.*)>/.exec(line)?.[1] ?? '';
          socket.write(rcpt.startsWith('refused@') ? '550 5.1.1 no such user\r\n' : '250 ok\r\n');
        } else if (/^DATA/i.test(line)) {
          if (rcpt.startsWith('refused@')) socket.write('503 no valid recipients\r\n');
          else {
            inData = true;
            partial.set(socket, []);
            socket.write('354 go ahead\r\n');
          }
        } else if (/^RSET/i.test(line)) socket.write('250 reset\r\n');
        else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
      }
    });
    socket.on('close', () => {
      const unfinished = partial.get(socket);
      if (unfinished) closedUnfinished.push(unfinished);
      partial.delete(socket);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    delivered,
    closedUnfinished,
    connections: () => connections,
    /** The data lines received so far of messages whose final dot has not come. */
    pendingLines: () => [...partial.values()].flat(),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const message = (subject: string) => new MessageData(Buffer.from(`Subject: ${subject}\r\n\r\nbody\r\n`));

function poolFor(port: number, maxConnections = 1) {
  return new SmtpPool(
    { host: '127.0.0.1', port, secure: false, tlsRejectUnauthorized: false },
    { maxConnections, maxMessagesPerConnection: 100, socketTimeoutMs: 5000 },
  );
}

describe('SmtpPool', () => {
  it('hands the slot of a connection that failed for a waiter on to the next waiter', async () => {
    const server = await refusingServer();
    const pool = new SmtpPool(
      { host: '127.0.0.1', port: server.port, secure: false, auth: { user: 'otklik', pass: 'wrong' }, tlsRejectUnauthorized: false },
      { maxConnections: 2, maxMessagesPerConnection: 100, socketTimeoutMs: 5000 },
    );
    const settled: string[] = [];
    const send = (name: string) =>
      pool
        .prepare({ from: 'a@example.com', to: ['b@example.com'] }, new MessageData(Buffer.from('Subject: x\r\n\r\nx\r\n')))
        .then((prepared) => prepared.commit())
        .then(
          () => settled.push(`${name} sent`),
          // A connection that fails is the client's error itself (not wrapped: no send began).
          (error: Error & { responseCode?: number }) => settled.push(`${name} ${error.responseCode ?? error.message}`),
        );
    try {
      const sends = [send('a'), send('b'), send('c'), send('d')]; // a and b connect, c and d wait
      await server.release(2); // a and b fail; c and d get their slots
      await until(() => settled.length === 2);
      sends.push(send('e')); // both slots are taken by c and d: e waits
      await server.release(2); // c and d fail: one of their slots must go to e
      await server.release(1);
      await Promise.all(sends);
      expect(settled.sort()).toEqual(['a 535', 'b 535', 'c 535', 'd 535', 'e 535']);
      expect(server.connections()).toBe(5);
    } finally {
      await pool.close();
      await server.close();
    }
  });
});

describe('SmtpPool two-phase send: prepare writes all but the final dot, commit writes it, abort discards', () => {
  it('prepare leaves the message unfinished at the server; commit writes the dot in the call and gives the answer', async () => {
    const server = await recordingServer();
    const pool = poolFor(server.port);
    try {
      const prepared = await pool.prepare({ from: 'a@example.com', to: ['b@example.com'] }, message('first'));
      await until(() => server.pendingLines().includes('body'));
      expect(server.delivered).toEqual([]);
      expect(prepared.committed).toBe(false);
      const answer = prepared.commit();
      expect(prepared.committed).toBe(true); // the dot is out as soon as commit() returned
      expect(prepared.commit()).toBe(answer); // one answer, however often asked
      await expect(answer).resolves.toEqual({ response: '250 2.0.0 queued' });
      expect(server.delivered).toEqual(['Subject: first\n\nbody']);

      // The connection went back to the pool: the next message uses it.
      const next = await pool.prepare({ from: 'a@example.com', to: ['c@example.com'] }, message('second'));
      await next.commit();
      expect(server.delivered).toHaveLength(2);
      expect(server.connections()).toBe(1);
    } finally {
      await pool.close();
      await server.close();
    }
  });

  it('abort drops the connection before the dot: the server never completes the message, and the slot is free again', async () => {
    const server = await recordingServer();
    const pool = poolFor(server.port);
    try {
      const prepared = await pool.prepare({ from: 'a@example.com', to: ['b@example.com'] }, message('stopped'));
      await until(() => server.pendingLines().includes('body'));
      prepared.abort();
      await until(() => server.closedUnfinished.length === 1);
      expect(server.closedUnfinished[0]).toContain('Subject: stopped');
      expect(server.delivered).toEqual([]);
      expect(prepared.committed).toBe(false);
      await expect(prepared.commit()).rejects.toThrow('aborted before its final dot');

      // With one connection allowed, the aborted one's slot must have been handed back.
      const next = await pool.prepare({ from: 'a@example.com', to: ['c@example.com'] }, message('after'));
      await next.commit();
      expect(server.delivered).toEqual(['Subject: after\n\nbody']);
      expect(pool.stats().open).toBe(1);
    } finally {
      await pool.close();
      await server.close();
    }
  });

  it('abort after commit does nothing: the dot is out, and the answer decides', async () => {
    const server = await recordingServer();
    const pool = poolFor(server.port);
    try {
      const prepared = await pool.prepare({ from: 'a@example.com', to: ['b@example.com'] }, message('kept'));
      const answer = prepared.commit();
      prepared.abort();
      await expect(answer).resolves.toEqual({ response: '250 2.0.0 queued' });
      expect(server.delivered).toEqual(['Subject: kept\n\nbody']);
      expect(server.closedUnfinished).toEqual([]);
    } finally {
      await pool.close();
      await server.close();
    }
  });

  it('a connection lost before the dot: commit rejects with the failure, nothing is delivered', async () => {
    const server = await recordingServer();
    const pool = poolFor(server.port);
    try {
      const prepared = await pool.prepare({ from: 'a@example.com', to: ['drop@example.com'] }, message('lost'));
      await until(() => server.closedUnfinished.length === 1);
      const error = (await prepared.commit().catch((e: unknown) => e)) as SmtpSendError;
      expect(error.name).toBe('SmtpSendError');
      expect((error.cause as { code?: string }).code).toBe('ECONNECTION');
      expect(server.delivered).toEqual([]);
      // The lost connection was retired: a new one serves the next message.
      await (await pool.prepare({ from: 'a@example.com', to: ['b@example.com'] }, message('next'))).commit();
      expect(server.connections()).toBe(2);
    } finally {
      await pool.close();
      await server.close();
    }
  });

  it('a refused recipient fails prepare with nothing written, and the connection is reset for the next message', async () => {
    const server = await recordingServer();
    const pool = poolFor(server.port);
    try {
      const error = (await pool
        .prepare({ from: 'a@example.com', to: ['refused@example.com'] }, message('no'))
        .catch((e: unknown) => e)) as SmtpSendError;
      expect((error.cause as { code?: string; responseCode?: number }).code).toBe('EENVELOPE');
      expect((error.cause as { responseCode?: number }).responseCode).toBe(550);
      await (await pool.prepare({ from: 'a@example.com', to: ['b@example.com'] }, message('yes'))).commit();
      expect(server.delivered).toEqual(['Subject: yes\n\nbody']);
      expect(server.connections()).toBe(1);
    } finally {
      await pool.close();
      await server.close();
    }
  });
});
