// The default SMS provider comes from SMS_PROVIDER / SMS_PROVIDER_CONFIG: capture into the
// outbox (real PostgreSQL) unless a gateway is configured; a bad config stops start-up.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SMS_PROVIDER, type SmsProvider } from '../../src/delivery/transports/sms-provider';
import { startTestApp } from '../support/test-app';
import { createTestEnv, NODE, ROOT } from '../support/test-env';

describe('default SMS provider', () => {
  it('keeps SMS in the capture outbox when no provider is configured', async () => {
    const t = await startTestApp();
    try {
      const sms = t.app.get<SmsProvider>(SMS_PROVIDER);
      expect(sms.name).toBe('capture');
      const sent = await sms.send({ to: '+79161234567', from: 'Shop', text: 'Ваш заказ готов' });
      expect(sent.providerMessageId).toMatch(/^outbox-\d+$/);

      const admin = await t.key('admin');
      const list = (await (
        await fetch(`${t.url}/outbox?channel=sms&to=%2B79161234567`, { headers: { authorization: `Bearer ${admin}` } })
      ).json()) as Array<{ id: string }>;
      expect(list).toHaveLength(1);
      const message = await (await fetch(`${t.url}/outbox/${list[0].id}`, { headers: { authorization: `Bearer ${admin}` } })).json();
      expect(message).toMatchObject({ channel: 'sms', toAddress: '+79161234567', fromAddress: 'Shop', text: 'Ваш заказ готов' });
    } finally {
      await t.close();
    }
  });

  it('sends through SMS.ru when SMS_PROVIDER=sms_smsru', async () => {
    const bodies: string[] = [];
    const server: Server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        bodies.push(`${req.method} ${req.url} ${body}`);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            status: 'OK',
            status_code: 100,
            sms: { '79161234567': { status: 'OK', status_code: 100, sms_id: '202611-1' } },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const t = await startTestApp({
      SMS_PROVIDER: 'sms_smsru',
      SMS_PROVIDER_CONFIG: JSON.stringify({ apiId: 'K-1', baseUrl, from: 'Otklik' }),
    });
    try {
      const sms = t.app.get<SmsProvider>(SMS_PROVIDER);
      expect(sms.name).toBe('sms_smsru');
      await expect(sms.send({ to: '+79161234567', text: 'Привет' })).resolves.toEqual({ providerMessageId: '202611-1' });
      expect(bodies).toEqual([`POST /sms/send api_id=K-1&to=79161234567&msg=%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82&json=1&from=Otklik`]);
    } finally {
      await t.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('stops the server at start-up when the provider config lacks a field, naming it', async () => {
    const testEnv = await createTestEnv();
    try {
      const child = spawn(NODE, [path.join(ROOT, 'dist/src/main.js'), '--role', 'worker'], {
        cwd: '/tmp',
        env: {
          PATH: process.env.PATH ?? '',
          DATABASE_URL: testEnv.databaseUrl,
          REDIS_URL: testEnv.env.REDIS_URL,
          QUEUE_PREFIX: testEnv.env.QUEUE_PREFIX,
          SECRET_KEY: testEnv.env.SECRET_KEY,
          SMS_PROVIDER: 'sms_smsru',
          SMS_PROVIDER_CONFIG: '{"from":"Otklik"}',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(1);
      expect(output).toContain('SMS_PROVIDER_CONFIG.apiId: expected the api_id from the SMS.ru account');
    } finally {
      await testEnv.cleanup();
    }
  });
});
