// Oversized bodies on every kind of route are refused with 413 and a JSON error naming the
// limit, promptly (not a 500, not a hang), whether the size is declared (Content-Length) or
// only found while streaming (chunked), and the server goes on serving afterwards.
import { gzipSync } from 'node:zlib';
import { messageLinks } from '../../src/tracking/tracking-links';
import { sql } from '../customers/customer-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { bytes, rawRequest, type RawAnswer } from './http-raw';

const MB = 1 << 20;
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:ses-events';
/** A refused body must be answered well within this (a hang would be far longer). */
const PROMPT_MS = 5000;

let t: TestApp;
let key: string;

beforeAll(async () => {
  t = await startTestApp({ IMPORT_MAX_UPLOAD_MB: '1', SES_SNS_TOPIC_ARNS: TOPIC, MAILGUN_WEBHOOK_SIGNING_KEY: 'mailgun-signing-key' });
  key = await t.key('admin');
});
afterAll(async () => {
  await t?.close();
});

function expectTooLarge(answer: RawAnswer, limit: RegExp): void {
  expect({ status: answer.status, error: answer.json?.error }).toEqual({ status: 413, error: 'payload_too_large' });
  expect(answer.json.message).toMatch(limit);
  expect(answer.ms).toBeLessThan(PROMPT_MS);
}

const json = (size: number) => [Buffer.from('{"firstName":"'), ...bytes(size)];
const auth = () => ({ authorization: `Bearer ${key}` });

describe('413 for oversized bodies', () => {
  it('JSON API, declared or chunked, and a small gzip that inflates past the limit', async () => {
    const headers = { ...auth(), 'content-type': 'application/json' };
    expectTooLarge(await rawRequest(`${t.url}/customers`, { headers, body: json(3 * MB) }), /limit of 2 MB \(2097152 bytes\)/);
    expectTooLarge(await rawRequest(`${t.url}/customers`, { headers, body: json(3 * MB), chunked: true }), /limit of 2 MB/);
    const bomb = gzipSync(Buffer.concat(json(20 * MB)));
    expect(bomb.length).toBeLessThan(100_000);
    expectTooLarge(
      await rawRequest(`${t.url}/customers`, { headers: { ...headers, 'content-encoding': 'gzip' }, body: bomb }),
      /limit of 2 MB/,
    );
  });

  it('the events endpoint', async () => {
    const headers = { ...auth(), 'content-type': 'application/json' };
    expectTooLarge(await rawRequest(`${t.url}/events/orders`, { headers, body: json(3 * MB) }), /limit of 2 MB/);
    expectTooLarge(await rawRequest(`${t.url}/events`, { headers, body: json(3 * MB), chunked: true }), /limit of 2 MB/);
  });

  it('urlencoded admin forms, by size and by field count', async () => {
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    expectTooLarge(
      await rawRequest(`${t.url}/admin/login`, { headers, body: [Buffer.from('email=a&password='), ...bytes(3 * MB)] }),
      /limit of 2 MB/,
    );
    const fields = Buffer.from(Array.from({ length: 2000 }, (_, i) => `f${i}=1`).join('&'));
    expectTooLarge(await rawRequest(`${t.url}/admin/login`, { headers, body: fields }), /more fields than the limit of 1000/);
  });

  it('CSV uploads: refused on a declared size before anything is stored, and while streaming', async () => {
    const headers = { ...auth(), 'content-type': 'text/csv' };
    const csv = (size: number) => [Buffer.from('email,first_name\n'), ...bytes(size, 'x')];
    expectTooLarge(
      await rawRequest(`${t.url}/imports/customers`, { headers, body: csv(2 * MB) }),
      /upload limit of 1 MB; import it with the CLI/,
    );
    expectTooLarge(await rawRequest(`${t.url}/imports/customers`, { headers, body: csv(2 * MB), chunked: true }), /upload limit of 1 MB/);
    expect(await sql(t, 'SELECT count(*)::int AS n FROM import_jobs')).toEqual([{ n: 0 }]);
    expect(await sql(t, 'SELECT count(*)::int AS n FROM import_chunks')).toEqual([{ n: 0 }]);
    // Under the limit, the same upload is taken.
    const ok = await rawRequest(`${t.url}/imports/customers?dryRun=true`, {
      headers,
      body: Buffer.from('email,first_name\nivan@mail.ru,Иван\n'),
      chunked: true,
    });
    expect(ok.status).toBe(201);
  });

  it('provider webhooks (JSON), the SES webhook (text, 256 KB) and inbound SMS (form)', async () => {
    const jsonHeaders = { 'content-type': 'application/json' };
    expectTooLarge(await rawRequest(`${t.url}/webhooks/mailgun`, { headers: jsonHeaders, body: json(3 * MB) }), /limit of 2 MB/);
    expectTooLarge(
      await rawRequest(`${t.url}/webhooks/sendgrid/any-token`, { headers: jsonHeaders, body: json(3 * MB), chunked: true }),
      /limit of 2 MB/,
    );
    expectTooLarge(await rawRequest(`${t.url}/webhooks/postmark/any-token`, { headers: jsonHeaders, body: json(3 * MB) }), /limit of 2 MB/);
    const sns = { 'content-type': 'text/plain; charset=UTF-8' };
    expectTooLarge(
      await rawRequest(`${t.url}/webhooks/ses`, { headers: sns, body: bytes(300 * 1024) }),
      /SNS message is larger than the limit of 256 KB/,
    );
    expectTooLarge(await rawRequest(`${t.url}/webhooks/ses`, { headers: sns, body: bytes(3 * MB), chunked: true }), /limit of 256 KB/);
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expectTooLarge(
      await rawRequest(`${t.url}/webhooks/sms/inbound/any-token`, {
        headers: form,
        body: [Buffer.from('from=%2B79120000000&text='), ...bytes(3 * MB)],
      }),
      /limit of 2 MB/,
    );
  });

  it('the one-click unsubscribe form (multipart, 16 KB)', async () => {
    const link = new URL(messageLinks(t.url, t.env.SECRET_KEY, 1n).unsubscribeUrl);
    const boundary = 'B0undary';
    const body = [
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}\r\nContent-Disposition: form-data; name="x"\r\n\r\n`,
      ),
      ...bytes(64 * 1024),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ];
    expectTooLarge(
      await rawRequest(`${t.url}${link.pathname}`, { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body }),
      /form is larger than the limit of 16 KB/,
    );
  });

  it('keeps serving afterwards', async () => {
    const health = await fetch(`${t.url}/health`);
    expect(health.status).toBe(200);
    const created = await fetch(`${t.url}/customers`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'after@limits.example' }),
    });
    expect(created.status).toBe(201);
  });
});
