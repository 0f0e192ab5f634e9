import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { startTestApp, type TestApp } from '../support/test-app';
import { jsonOf } from '../support/api-call';

async function post(t: TestApp, key: string, path: string, body: unknown) {
  return fetch(`${t.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('email transports', () => {
  it('keeps mail in the capture outbox when no SMTP server is configured', async () => {
    const t = await startTestApp();
    try {
      const admin = await t.key('admin');
      const sent = await post(t, admin, '/delivery/test-email', { to: 'anna@example.com' });
      expect(sent.status).toBe(201);
      expect(await jsonOf(sent)).toMatchObject({ transport: 'capture' });
      const list = await jsonOf(await fetch(`${t.url}/outbox?to=anna@example.com`, { headers: { authorization: `Bearer ${admin}` } }));
      expect(list).toHaveLength(1);
      const message = await jsonOf(await fetch(`${t.url}/outbox/${list[0].id}`, { headers: { authorization: `Bearer ${admin}` } }));
      expect(message).toMatchObject({ channel: 'email', toAddress: 'anna@example.com', subject: 'Otklik test message' });
      expect(message.text).toContain('capture transport works');
    } finally {
      await t.close();
    }
  });

  it('sends through a real SMTP server when SMTP_URL is set', async () => {
    const received: Array<{ from: string; to: string[]; raw: Buffer }> = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as { port: number }).port;
    const t = await startTestApp({ SMTP_URL: `smtp://127.0.0.1:${port}` });
    try {
      const admin = await t.key('admin');
      const sent = await post(t, admin, '/delivery/test-email', { to: 'ivan@example.com', from: 'shop@example.com' });
      expect(sent.status).toBe(201);
      expect(await jsonOf(sent)).toMatchObject({ transport: 'smtp' });
      expect(received).toHaveLength(1);
      expect(received[0].to).toEqual(['ivan@example.com']);
      const parsed = await simpleParser(received[0].raw);
      expect(parsed.subject).toBe('Otklik test message');
      expect(parsed.from?.text).toBe('shop@example.com');
      // nothing captured when a real transport is configured
      const list = await jsonOf(await fetch(`${t.url}/outbox`, { headers: { authorization: `Bearer ${admin}` } }));
      expect(list).toHaveLength(0);
    } finally {
      await t.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('reports a validation error naming the field for a bad address', async () => {
    const t = await startTestApp();
    try {
      const admin = await t.key('admin');
      const response = await post(t, admin, '/delivery/test-email', { to: 'not an address' });
      expect(response.status).toBe(400);
      expect((await jsonOf(response)).issues[0].path).toBe('to');
    } finally {
      await t.close();
    }
  });
});
