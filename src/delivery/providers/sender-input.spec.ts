import { checkSender, type SenderFields } from './sender-input';

const base: SenderFields = { channel: 'email', fromAddress: 'News@Shop.Example', replyTo: null, bounceDomain: null, feedbackId: null };

describe('checkSender', () => {
  it('normalises what it keeps', () => {
    expect(checkSender({ ...base, replyTo: 'Help@Shop.Example', bounceDomain: 'Bounces.Shop.Example' })).toEqual({
      ok: true,
      value: { ...base, fromAddress: 'news@shop.example', replyTo: 'help@shop.example', bounceDomain: 'bounces.shop.example' },
    });
    expect(checkSender({ ...base, channel: 'sms', fromAddress: 'MyShop' })).toMatchObject({ ok: true, value: { fromAddress: 'MyShop' } });
    expect(checkSender({ ...base, channel: 'sms', fromAddress: '8 912 345-67-89' })).toMatchObject({
      ok: true,
      value: { fromAddress: '+79123456789' },
    });
  });

  it.each([
    [{ fromAddress: 'MyShop' }, 'fromAddress', 'an email sender needs an email address'],
    [{ channel: 'sms' as const, fromAddress: 'Магазин' }, 'fromAddress', 'an SMS sender name is Latin'],
    [{ channel: 'sms' as const, fromAddress: 'MyVeryLongShopName' }, 'fromAddress', 'over 11 characters'],
    [{ replyTo: 'nobody' }, 'replyTo', 'not an address'],
    [{ bounceDomain: 'localhost' }, 'bounceDomain', 'no dot'],
    [{ feedbackId: 'a b' }, 'feedbackId', 'a space'],
  ])('%j → an issue at %s (%s)', (change, path, _why) => {
    const result = checkSender({ ...base, ...change });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((issue) => issue.path)).toEqual([path]);
  });
});
