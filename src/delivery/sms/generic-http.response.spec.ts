import { genericHttpConfigSchema, type GenericHttpResponseMapping } from './generic-http.config';
import { interpretGenericAnswer } from './generic-http.response';
import { failureKindForStatus, parseRetryAfter, type GatewayAnswer } from './http-call';

function mapping(response: unknown): GenericHttpResponseMapping {
  return genericHttpConfigSchema.parse({ url: 'http://gw.local/', query: { to: '{{to}}', text: '{{text}}' }, method: 'GET', response })
    .response;
}

function answer(status: number, body: unknown, headers: Record<string, string> = {}): GatewayAnswer {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status, headers: new Headers(headers), text, json };
}

const WHERE = 'http://gw.local/send';
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('interpretGenericAnswer: accepted messages', () => {
  it.each([
    [{ messageIdPath: 'data.id' }, answer(200, { data: { id: 'abc-1' } }), 'abc-1'],
    [{ messageIdPath: 'messages[0].id' }, answer(201, { messages: [{ id: 77 }] }), '77'],
    [{ messageIdPath: 'messages.0.id' }, answer(202, { messages: [{ id: 'x' }] }), 'x'],
    [{ messageIdPath: 'id' }, answer(200, 'OK 12345'), ''],
    [{}, answer(204, ''), ''],
    [{ messageIdPath: 'id', successStatuses: [200, 302] }, answer(302, { id: 'r' }), 'r'],
    [{ messageIdPath: 'id', successPath: 'status', successValues: ['queued', 'sent'] }, answer(200, { status: 'sent', id: 's1' }), 's1'],
    [{ messageIdPath: 'id', successPath: 'ok', successValues: [true] }, answer(200, { ok: true, id: 5 }), '5'],
    [{ messageIdPath: 'id', errorPath: 'error' }, answer(200, { error: 0, id: 'e0' }), 'e0'],
    [{ messageIdPath: 'id', errorPath: 'error' }, answer(200, { error: null, id: 'en' }), 'en'],
    [{ messageIdPath: 'id', errorPath: 'errors' }, answer(200, { errors: [], id: 'ea' }), 'ea'],
    [{ messageIdPath: 'data.id' }, answer(200, { data: { id: { nested: 1 } } }), ''],
  ])('%j with %j → id %p', (response, gatewayAnswer, id) => {
    expect(interpretGenericAnswer(gatewayAnswer, mapping(response), WHERE)).toEqual({ providerMessageId: id });
  });
});

describe('interpretGenericAnswer: failures', () => {
  it.each([
    // mapping, answer, kind, status, message part
    [{}, answer(429, 'slow down'), 'transient', 429, 'answered HTTP 429: slow down'],
    [{}, answer(500, ''), 'transient', 500, 'answered HTTP 500: (empty body)'],
    [{}, answer(503, '<html>maintenance</html>'), 'transient', 503, 'maintenance'],
    [{}, answer(400, { message: 'bad number' }), 'permanent', 400, '{"message":"bad number"}'],
    [{}, answer(401, 'unauthorized'), 'permanent', 401, 'HTTP 401'],
    [{}, answer(404, ''), 'permanent', 404, 'HTTP 404'],
    [{ successStatuses: [201] }, answer(200, {}), 'permanent', 200, 'HTTP 200'],
    [
      { errorPath: 'error.code', errorMessagePath: 'error.message' },
      answer(422, { error: { code: 'INVALID_TO', message: 'Number is invalid' } }),
      'permanent',
      422,
      'INVALID_TO: Number is invalid',
    ],
    [{ errorPath: 'error' }, answer(200, { error: 'blacklisted' }), 'permanent', 200, 'refused the message: blacklisted'],
    [{ errorPath: 'error', transientErrors: ['throttled'] }, answer(200, { error: 'throttled' }), 'transient', 200, 'throttled'],
    [{ errorPath: 'code', transientErrors: [7] }, answer(200, { code: 7 }), 'transient', 200, 'refused the message: 7'],
    [{ errorPath: 'code', transientErrors: ['7'] }, answer(200, { code: 8 }), 'permanent', 200, 'refused the message: 8'],
    [{ successPath: 'status', successValues: ['queued'] }, answer(200, { status: 'rejected' }), 'permanent', 200, 'status is "rejected"'],
    [{ successPath: 'status', successValues: ['queued'] }, answer(200, {}), 'permanent', 200, 'status is missing'],
    [{ successPath: 'status', successValues: ['queued'] }, answer(200, 'OK'), 'permanent', 200, 'the answer is not JSON: OK'],
  ])('%j with %j → %s', (response, gatewayAnswer, kind, status, part) => {
    expect(() => interpretGenericAnswer(gatewayAnswer, mapping(response), WHERE)).toThrow(
      expect.objectContaining({
        name: 'SmsSendError',
        kind,
        status,
        message: expect.stringMatching(new RegExp(`^${escape(WHERE)}.*${escape(part)}`, 's')),
      }),
    );
  });

  it('keeps the error code of a refused message', () => {
    expect(() => interpretGenericAnswer(answer(200, { error: { code: 'E42' } }), mapping({ errorPath: 'error.code' }), WHERE)).toThrow(
      expect.objectContaining({ providerCode: 'E42' }),
    );
  });

  it('passes Retry-After on', () => {
    expect(() => interpretGenericAnswer(answer(429, '', { 'retry-after': '30' }), mapping({}), WHERE)).toThrow(
      expect.objectContaining({ retryAfterMs: 30_000 }),
    );
  });

  it('shortens a long error body', () => {
    expect(() => interpretGenericAnswer(answer(500, 'x'.repeat(5000)), mapping({}), WHERE)).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/^.{50,299}$/s) }),
    );
  });
});

describe('HTTP helpers', () => {
  it.each([
    [429, 'transient'],
    [500, 'transient'],
    [502, 'transient'],
    [599, 'transient'],
    [400, 'permanent'],
    [403, 'permanent'],
    [413, 'permanent'],
    [301, 'permanent'],
  ])('status %i is %s', (status, kind) => {
    expect(failureKindForStatus(status)).toBe(kind);
  });

  it.each([
    [null, undefined],
    ['', undefined],
    ['120', 120_000],
    ['Wed, 21 Oct 2026 07:28:30 GMT', 30_000],
    ['Wed, 21 Oct 2026 07:27:00 GMT', 0],
    ['soon', undefined],
  ])('Retry-After %p → %p ms', (value, expected) => {
    expect(parseRetryAfter(value, new Date('2026-10-21T07:28:00Z'))).toBe(expected);
  });
});
