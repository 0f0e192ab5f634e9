import type { GatewayAnswer } from './http-call';
import { interpretSmsRuAnswer, smsRuFailureKind } from './smsru.response';

function answer(body: unknown, status = 200): GatewayAnswer {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { status, headers: new Headers(), text, json: typeof body === 'string' ? undefined : body };
}

const PHONE = '79255070602';

describe('interpretSmsRuAnswer', () => {
  it('returns the sms_id of the number', () => {
    const body = {
      status: 'OK',
      status_code: 100,
      sms: {
        [PHONE]: { status: 'OK', status_code: 100, sms_id: '000000-10000000' },
        '74993221627': { status: 'ERROR', status_code: 207, status_text: 'no route' },
      },
      balance: 4122.56,
    };
    expect(interpretSmsRuAnswer(answer(body), PHONE)).toEqual({ providerMessageId: '000000-10000000' });
  });

  it('accepts a lone result keyed by another spelling of the number', () => {
    expect(interpretSmsRuAnswer(answer({ status: 'OK', sms: { '+79255070602': { status: 'OK', sms_id: 12 } } }), PHONE)).toEqual({
      providerMessageId: '12',
    });
  });

  it.each([
    // body, kind, code, message part
    [
      { status: 'ERROR', status_code: 200, status_text: 'Неправильный api_id' },
      'permanent',
      '200',
      'refused the request: 200 Неправильный api_id',
    ],
    [{ status: 'ERROR', status_code: 204, status_text: 'sender not approved' }, 'permanent', '204', '204 sender not approved'],
    [{ status: 'ERROR', status_code: 201, status_text: 'no money' }, 'transient', '201', '201 no money'],
    [{ status: 'ERROR', status_code: 220 }, 'transient', '220', '220 no description'],
    [{ status: 'ERROR', status_code: 500, status_text: 'server error' }, 'transient', '500', '500'],
    [
      { status: 'OK', sms: { [PHONE]: { status: 'ERROR', status_code: 207, status_text: 'cannot send to this number' } } },
      'permanent',
      '207',
      `message to ${PHONE}: 207 cannot send`,
    ],
    [
      { status: 'OK', sms: { [PHONE]: { status: 'ERROR', status_code: '202', status_text: 'bad recipient' } } },
      'permanent',
      '202',
      '202 bad recipient',
    ],
    [{ status: 'OK', sms: { [PHONE]: { status: 'ERROR', status_code: 215 } } }, 'permanent', '215', '215'],
    [
      { status: 'OK', sms: { [PHONE]: { status: 'ERROR', status_code: 230, status_text: 'daily limit for number' } } },
      'transient',
      '230',
      '230',
    ],
    [{ status: 'OK', sms: { [PHONE]: { status: 'ERROR', status_code: 231 } } }, 'transient', '231', '231'],
    [{ status: 'OK', sms: { [PHONE]: { status: 'ERROR', status_text: 'odd' } } }, 'permanent', undefined, 'odd'],
    [{ status: 'OK', sms: {} }, 'permanent', undefined, `no result for ${PHONE}`],
    [{ status: 'OK', sms: { '111': { status: 'OK' }, '222': { status: 'OK' } } }, 'permanent', undefined, 'no result'],
    [{ unexpected: true }, 'transient', undefined, 'unexpected answer'],
    ['<html>502 Bad Gateway</html>', 'transient', undefined, 'unexpected answer: <html>502'],
    ['100\n000000-10000000', 'transient', undefined, 'unexpected answer'],
  ])('%j → %s %s', (body, kind, code, part) => {
    expect(() => interpretSmsRuAnswer(answer(body), PHONE)).toThrow(
      expect.objectContaining({ name: 'SmsSendError', kind, providerCode: code, message: expect.stringContaining(part) }),
    );
  });

  it.each([
    [503, 'transient'],
    [429, 'transient'],
    [403, 'permanent'],
  ])('classifies HTTP %i as %s', (status, kind) => {
    expect(() => interpretSmsRuAnswer(answer('', status), PHONE)).toThrow(
      expect.objectContaining({ kind, status, message: `SMS.ru answered HTTP ${status}: (empty body)` }),
    );
  });
});

describe('smsRuFailureKind', () => {
  it.each([201, 206, 220, 230, 231, 232, 233, 500, 501, 503, 506, 508])('code %i is transient', (code) => {
    expect(smsRuFailureKind(code)).toBe('transient');
  });

  it.each([200, 202, 203, 204, 205, 207, 208, 209, 210, 211, 212, 213, 214, 215, 216, 217, 221, 300, 301, 302, 507, 550, 999])(
    'code %i is permanent',
    (code) => {
      expect(smsRuFailureKind(code)).toBe('permanent');
    },
  );
});
