import { isStopRequest, smsReplyClassification } from './sms-reply';

describe('isStopRequest', () => {
  it.each([
    ['STOP', true],
    ['stop', true],
    ['Стоп', true],
    ['СТОП!', true],
    ['  отписаться ', true],
    ['ОТПИСАТЬСЯ от рассылки', true],
    ['Stop, please', true],
    ['не останавливайтесь', false],
    ['Автостоп', false],
    ['Сколько стоит доставка?', false],
    ['', false],
  ])('%j → %s', (text, expected) => {
    expect(isStopRequest(text)).toBe(expected);
  });
});

describe('smsReplyClassification', () => {
  it('reads STOP as an unsubscribe request and other text by the reply rules', () => {
    expect(smsReplyClassification('+79123456789', 'СТОП').intent).toBe('unsubscribe');
    expect(smsReplyClassification('+79123456789', 'Пришлите цену на доставку').intent).toBe('lead');
    expect(smsReplyClassification('+79123456789', 'Спасибо').intent).toBe('other');
    expect(smsReplyClassification('+79123456789', 'Спасибо')).toMatchObject({ kind: 'reply', from: '+79123456789', replyText: 'Спасибо' });
  });
});
