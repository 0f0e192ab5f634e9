import { createHmac } from 'node:crypto';
import { checkMailgunSignature } from './mailgun-signature';

const KEY = 'mailgun-signing-key';
const NOW = 1_800_000_000_000;
function signed(timestamp: string, token = 'a'.repeat(50), key = KEY) {
  return { signature: { timestamp, token, signature: createHmac('sha256', key).update(`${timestamp}${token}`).digest('hex') } };
}

describe('checkMailgunSignature', () => {
  it('takes a fresh, signed post', () => {
    expect(checkMailgunSignature(KEY, signed(String(NOW / 1000)), NOW)).toEqual({ ok: true, token: 'a'.repeat(50) });
    expect(checkMailgunSignature(KEY, signed(String(NOW / 1000 - 299)), NOW).ok).toBe(true);
  });

  it.each([
    ['another key', signed(String(NOW / 1000), 'a'.repeat(50), 'other'), /does not verify/],
    ['a timestamp six minutes old', signed(String(NOW / 1000 - 360)), /signature.timestamp/],
    ['a timestamp six minutes ahead', signed(String(NOW / 1000 + 360)), /signature.timestamp/],
    ['a short token', signed(String(NOW / 1000), 'abc'), /signature.token/],
    ['no signature', {}, /does not verify/],
    ['a body that is not an object', 'x', /does not verify/],
  ])('refuses %s', (_name, body, reason) => {
    const check = checkMailgunSignature(KEY, body, NOW);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toMatch(reason);
  });
});
