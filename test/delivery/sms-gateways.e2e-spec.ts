// The HTTP SMS providers against a real HTTP server on loopback: what they send (method, path,
// auth, body encoding) and how they read success, 429, 5xx, error bodies and silence.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSmsProvider } from '../../src/delivery/sms/create-sms-provider';
import { SmsSendError } from '../../src/delivery/sms/sms-send-error';
import type { OutboxRepository } from '../../src/delivery/outbox.repository';
import type { SmsProvider } from '../../src/delivery/transports/sms-provider';

interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  body: string;
}

type Reply = (request: Recorded, response: ServerResponse) => void;

/** A gateway stand-in: records every request and answers with the current `reply`. */
class FakeGateway {
  readonly requests: Recorded[] = [];
  reply: Reply = (_req, res) => json(res, 200, {});
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const raw = Buffer.concat(chunks);
        const recorded = {
          method: req.method ?? '',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          raw,
          body: raw.toString('utf8'),
        };
        this.requests.push(recorded);
        this.reply(recorded, res);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function text(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(body);
}

async function failure(promise: Promise<unknown>): Promise<SmsSendError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SmsSendError) return error;
    throw error;
  }
  throw new Error('expected the send to fail with an SmsSendError');
}

// No capture provider here; the factory needs the dependency only for kind `capture`.
const deps = { outbox: {} as OutboxRepository };
const TEXT = 'Здравствуйте, "Анна"!\nЗаказ №42 готов & ждёт: 1+1 <b>';
const SMS = { to: '+79161234567', from: 'Shop', text: TEXT, otklikMessageId: 9007199254740993n };

const gateway = new FakeGateway();
beforeAll(() => gateway.start());
afterAll(() => gateway.stop());
beforeEach(() => {
  gateway.requests.length = 0;
});

describe('generic HTTP provider', () => {
  function provider(config: Record<string, unknown>): SmsProvider {
    return createSmsProvider({ kind: 'sms_http', config: { url: `${gateway.url}/v1/messages`, ...config } }, deps);
  }

  const jsonConfig = {
    auth: { type: 'bearer', token: 'tok-123' },
    headers: { 'X-Client': 'otklik', 'Idempotency-Key': 'otklik-{{messageId}}' },
    body: { format: 'json', template: { from: '{{from}}', to: '{{to}}', body: '{{text}}', reference: 'otklik-{{messageId}}' } },
    response: { messageIdPath: 'data.id', errorPath: 'error.code', errorMessagePath: 'error.message', transientErrors: ['THROTTLED'] },
  };

  it('posts a JSON body with bearer auth and returns the id from data.id', async () => {
    gateway.reply = (_req, res) => json(res, 201, { data: { id: 'gw-1', status: 'queued' } });
    await expect(provider(jsonConfig).send(SMS)).resolves.toEqual({ providerMessageId: 'gw-1' });

    expect(gateway.requests).toHaveLength(1);
    const [request] = gateway.requests;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/messages');
    expect(request.headers.authorization).toBe('Bearer tok-123');
    expect(request.headers['x-client']).toBe('otklik');
    expect(request.headers['idempotency-key']).toBe('otklik-9007199254740993');
    expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(request.body)).toEqual({ from: 'Shop', to: '+79161234567', body: TEXT, reference: 'otklik-9007199254740993' });
    // Cyrillic travels as UTF-8, not as \u escapes; the quote and newline are JSON-escaped.
    expect(request.raw.includes(Buffer.from('Здравствуйте', 'utf8'))).toBe(true);
    expect(request.body).toContain('\\"Анна\\"!\\nЗаказ');
  });

  it('posts a form body with basic auth, percent-encoding + and Cyrillic', async () => {
    gateway.reply = (_req, res) => json(res, 200, { result: 'ok', ids: [{ id: 555 }] });
    const sent = await provider({
      auth: { type: 'basic', username: 'магазин', password: 'p:ss' },
      body: { format: 'form', template: { phone: '{{to}}', message: '{{text}}', sender: '{{from}}' } },
      response: { messageIdPath: 'ids[0].id', successPath: 'result', successValues: ['ok'] },
    }).send(SMS);
    expect(sent).toEqual({ providerMessageId: '555' });

    const [request] = gateway.requests;
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from('магазин:p:ss', 'utf8').toString('base64')}`);
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded; charset=utf-8');
    expect(request.body).toContain('phone=%2B79161234567');
    expect(request.body).toContain('message=%D0%97%D0%B4%D1%80%D0%B0%D0%B2');
    expect(request.body).toContain('1%2B1');
    const form = new URLSearchParams(request.body);
    expect(form.get('phone')).toBe('+79161234567');
    expect(form.get('message')).toBe(TEXT);
    expect(form.get('sender')).toBe('Shop');
  });

  it('sends a GET with the fields in the query and an API key header', async () => {
    gateway.reply = (_req, res) => json(res, 200, { id: 'q-1' });
    const sent = await provider({
      method: 'GET',
      auth: { type: 'header', name: 'X-Api-Key', value: 'secret-key' },
      query: { dst: '{{toDigits}}', msg: '{{text}}', src: '{{from}}' },
      from: 'Default',
      response: { messageIdPath: 'id' },
    }).send({ to: '+79161234567', text: TEXT });
    expect(sent).toEqual({ providerMessageId: 'q-1' });

    const [request] = gateway.requests;
    expect(request.method).toBe('GET');
    expect(request.headers['x-api-key']).toBe('secret-key');
    expect(request.headers.authorization).toBeUndefined();
    expect(request.query.get('dst')).toBe('79161234567');
    expect(request.query.get('msg')).toBe(TEXT);
    expect(request.query.get('src')).toBe('Default');
    expect(request.raw.length).toBe(0);
  });

  it('treats 429 as transient and passes Retry-After on', async () => {
    gateway.reply = (_req, res) => json(res, 429, { error: { code: 'RATE', message: 'too many requests' } }, { 'retry-after': '7' });
    const error = await failure(provider(jsonConfig).send(SMS));
    expect(error).toMatchObject({ kind: 'transient', status: 429, retryAfterMs: 7000 });
    expect(error.message).toContain('answered HTTP 429: RATE: too many requests');
  });

  it('treats 500 and 503 as transient', async () => {
    gateway.reply = (_req, res) => text(res, 500, 'Internal Server Error');
    expect(await failure(provider(jsonConfig).send(SMS))).toMatchObject({ kind: 'transient', status: 500 });
    gateway.reply = (_req, res) => text(res, 503, '<html>maintenance</html>');
    const error = await failure(provider(jsonConfig).send(SMS));
    expect(error).toMatchObject({ kind: 'transient', status: 503 });
    expect(error.message).toContain('<html>maintenance</html>');
  });

  it('treats 400 and 401 as permanent', async () => {
    gateway.reply = (_req, res) => json(res, 400, { error: { code: 'INVALID_NUMBER', message: 'number is not mobile' } });
    const error = await failure(provider(jsonConfig).send(SMS));
    expect(error).toMatchObject({ kind: 'permanent', status: 400, providerCode: 'INVALID_NUMBER' });
    expect(error.message).toContain('INVALID_NUMBER: number is not mobile');
    gateway.reply = (_req, res) => text(res, 401, 'unauthorized');
    expect(await failure(provider(jsonConfig).send(SMS))).toMatchObject({ kind: 'permanent', status: 401 });
  });

  it('reads an error field in a 200 answer: permanent, or transient when listed', async () => {
    gateway.reply = (_req, res) => json(res, 200, { error: { code: 'BLACKLISTED', message: 'recipient opted out' } });
    expect(await failure(provider(jsonConfig).send(SMS))).toMatchObject({ kind: 'permanent', status: 200, providerCode: 'BLACKLISTED' });
    gateway.reply = (_req, res) => json(res, 200, { error: { code: 'THROTTLED', message: 'slow down' } });
    expect(await failure(provider(jsonConfig).send(SMS))).toMatchObject({ kind: 'transient', status: 200, providerCode: 'THROTTLED' });
  });

  it('gives up on a gateway that does not answer in time (transient)', async () => {
    gateway.reply = (_req, res) => setTimeout(() => json(res, 200, { data: { id: 'late' } }), 3000).unref();
    const started = Date.now();
    const error = await failure(provider({ ...jsonConfig, timeoutMs: 300 }).send(SMS));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error.kind).toBe('transient');
    expect(error.message).toBe(`${gateway.url}/v1/messages: no answer within 300 ms`);
  });

  it('gives up on a body that stalls after the headers (transient)', async () => {
    gateway.reply = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":');
      setTimeout(() => res.end('{"id":"late"}}'), 3000).unref();
    };
    const error = await failure(provider({ ...jsonConfig, timeoutMs: 300 }).send(SMS));
    expect(error.kind).toBe('transient');
    expect(error.message).toContain('no answer within 300 ms');
  });

  it('treats a refused connection as transient', async () => {
    const closed = new FakeGateway();
    await closed.start();
    const url = closed.url;
    await closed.stop();
    const error = await failure(createSmsProvider({ kind: 'sms_http', config: { ...jsonConfig, url } }, deps).send(SMS));
    expect(error.kind).toBe('transient');
    expect(error.message).toBe(`${url}/: network error ECONNREFUSED`);
  });

  it('refuses a number that is not E.164 without calling the gateway', async () => {
    const error = await failure(provider(jsonConfig).send({ ...SMS, to: '8 916 123-45-67' }));
    expect(error.kind).toBe('permanent');
    expect(gateway.requests).toHaveLength(0);
  });
});

describe('SMS.ru provider', () => {
  function smsRu(config: Record<string, unknown> = {}): SmsProvider {
    return createSmsProvider({ kind: 'sms_smsru', config: { apiId: 'API-ID-1', baseUrl: gateway.url, ...config } }, deps);
  }

  const accepted = (phone: string, id: string) => ({
    status: 'OK',
    status_code: 100,
    sms: { [phone]: { status: 'OK', status_code: 100, sms_id: id } },
    balance: 120.5,
  });

  it('posts api_id, to, msg, from and json=1 as a form and returns sms_id', async () => {
    gateway.reply = (_req, res) => json(res, 200, accepted('79161234567', '000000-10000001'));
    await expect(smsRu().send(SMS)).resolves.toEqual({ providerMessageId: '000000-10000001' });

    const [request] = gateway.requests;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/sms/send');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded; charset=utf-8');
    expect(request.query.toString()).toBe('');
    const form = new URLSearchParams(request.body);
    expect(Object.fromEntries(form)).toEqual({ api_id: 'API-ID-1', to: '79161234567', msg: TEXT, json: '1', from: 'Shop' });
    expect(request.body).toContain('msg=%D0%97%D0%B4%D1%80');
    expect(request.body).toContain('1%2B1');
  });

  it('uses the configured sender when the message has none, test mode, and a base URL with a path', async () => {
    gateway.reply = (_req, res) => json(res, 200, accepted('4915112345678', 'x-2'));
    const sent = await smsRu({ baseUrl: `${gateway.url}/proxy/smsru`, from: 'OtklikRU', test: true }).send({
      to: '+4915112345678',
      text: 'hi',
    });
    expect(sent).toEqual({ providerMessageId: 'x-2' });
    const [request] = gateway.requests;
    expect(request.path).toBe('/proxy/smsru/sms/send');
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      api_id: 'API-ID-1',
      to: '4915112345678',
      msg: 'hi',
      json: '1',
      from: 'OtklikRU',
      test: '1',
    });
  });

  it('sends no from when neither the message nor the config has one', async () => {
    gateway.reply = (_req, res) => json(res, 200, accepted('79161234567', 'x-3'));
    await smsRu().send({ to: '+79161234567', text: 'hi' });
    expect(new URLSearchParams(gateway.requests[0].body).has('from')).toBe(false);
  });

  it.each([
    ['a wrong api_id (200)', { status: 'ERROR', status_code: 200, status_text: 'Неправильный api_id' }, 'permanent', '200'],
    [
      'an unapproved sender (204)',
      { status: 'ERROR', status_code: 204, status_text: 'Имя отправителя не согласовано' },
      'permanent',
      '204',
    ],
    [
      'a temporarily unavailable service (220)',
      { status: 'ERROR', status_code: 220, status_text: 'Сервис временно недоступен' },
      'transient',
      '220',
    ],
    [
      'a number it cannot send to (207)',
      { status: 'OK', sms: { '79161234567': { status: 'ERROR', status_code: 207, status_text: 'Нельзя отправлять' } } },
      'permanent',
      '207',
    ],
    [
      'a per-number daily limit (230)',
      { status: 'OK', sms: { '79161234567': { status: 'ERROR', status_code: 230, status_text: 'Лимит' } } },
      'transient',
      '230',
    ],
  ])('classifies %s', async (_name, body, kind, code) => {
    gateway.reply = (_req, res) => json(res, 200, body);
    const error = await failure(smsRu().send(SMS));
    expect(error).toMatchObject({ kind, providerCode: code, status: 200 });
    expect(error.message).toContain(code);
  });

  it('treats HTTP 502, a non-JSON page and silence as transient', async () => {
    gateway.reply = (_req, res) => text(res, 502, 'Bad Gateway');
    expect(await failure(smsRu().send(SMS))).toMatchObject({ kind: 'transient', status: 502 });
    gateway.reply = (_req, res) => text(res, 200, '<html>Технические работы</html>');
    expect((await failure(smsRu().send(SMS))).message).toBe('SMS.ru gave an unexpected answer: <html>Технические работы</html>');
    gateway.reply = (_req, res) => setTimeout(() => json(res, 200, accepted('79161234567', 'late')), 3000).unref();
    expect(await failure(smsRu({ timeoutMs: 250 }).send(SMS))).toMatchObject({
      kind: 'transient',
      message: `${gateway.url}/sms/send: no answer within 250 ms`,
    });
  });
});
