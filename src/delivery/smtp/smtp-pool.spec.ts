import net from 'node:net';
import { MessageData } from './smtp-client';
import { SmtpPool } from './smtp-pool';

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

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
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
      pool.send({ from: 'a@example.com', to: ['b@example.com'] }, new MessageData(Buffer.from('Subject: x\r\n\r\nx\r\n'))).then(
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
