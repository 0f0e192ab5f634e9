import { detectAutoReply } from './autoreply';
import { splitHeaders } from './mime';

function verdict(headerLines: string[], body = '') {
  const { headers } = splitHeaders(headerLines.join('\n') + '\n\n');
  return detectAutoReply(headers, headers.get('subject') ?? '', body);
}

describe('detectAutoReply', () => {
  it.each([
    ['Auto-Submitted: auto-replied', ['Subject: Re: Offer', 'Auto-Submitted: auto-replied'], 'Thanks', 'auto-submitted'],
    ['X-Autoreply', ['Subject: Re: Offer', 'X-Autoreply: yes'], '', 'x-autoreply'],
    ['Precedence: auto_reply', ['Subject: Re: Offer', 'Precedence: auto_reply'], '', 'precedence'],
    ['Apple vacation', ['Subject: Auto reply: Offer', 'X-Apple-Action: VACATION'], '', 'x-apple-action'],
    ['Exchange OOF subject', ['Subject: Automatic reply: Offer'], 'Back soon', 'subject'],
    ['Russian subject', ['Subject: Автоответ: Акция'], '', 'subject'],
    ['Russian body', ['Subject: Re: Акция'], 'Добрый день! Нахожусь в отпуске до 12.01, ограниченный доступ к почте.', 'body'],
    ['English body', ['Subject: Re: Offer'], 'I am out of the office until Monday and will reply upon my return.', 'body'],
  ])('%s', (_name, headers, body, signal) => {
    expect(verdict(headers, body)).toEqual({ auto: true, signal });
  });

  it.each([
    ['a human reply', ['Subject: Re: Offer'], 'Please send the invoice.'],
    ['Auto-Submitted: no', ['Subject: Re: Offer', 'Auto-Submitted: no'], 'Please send the invoice.'],
    ['X-Autoreply: no', ['Subject: Re: Offer', 'X-Autoreply: no'], 'ok'],
  ])('not for %s', (_name, headers, body) => {
    expect(verdict(headers, body).auto).toBe(false);
  });
});
