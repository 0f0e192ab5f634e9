import { findCorrelation } from './correlation';
import { splitHeaders } from './mime';

const h = (text: string) => splitHeaders(text + '\n\n').headers;

describe('findCorrelation', () => {
  it.each([
    ['VERP in the envelope recipient', h('Delivered-To: bounces+42@mail.shop.example'), null, [], '42'],
    ['VERP in the returned Return-Path', h('To: someone@shop.example'), h('Return-Path: <bounces+7@mail.shop.example>'), [], '7'],
    ['VERP in DSN text', h('To: x@y.z'), null, ['X-Postfix-Sender: rfc822; bounces+99@mail.shop.example'], '99'],
    ['no VERP when the local part is not ours', h('To: bounces+abc@shop.example'), null, [], null],
  ])('%s', (_name, headers, original, texts, verp) => {
    expect(findCorrelation({ headers, original, texts, isReply: false }).verpMessageId).toBe(verp);
  });

  it('reads our header and the Message-ID of the returned copy', () => {
    const c = findCorrelation({
      headers: h('To: x@y.z'),
      original: h('Message-ID: <m-1@shop.example>\nX-Otklik-Message-Id: 1'),
      texts: [],
      isReply: false,
    });
    expect(c).toEqual({ verpMessageId: null, otklikMessageId: '1', originalMessageId: 'm-1@shop.example', references: [] });
  });

  it('finds our header in an inline copy of the original', () => {
    const c = findCorrelation({
      headers: h('To: x@y.z'),
      original: null,
      texts: ['--- copy ---\nX-Otklik-Message-Id: 555\nMessage-ID: <m-555@shop.example>\n'],
      isReply: false,
    });
    // the header our sender writes
    const ours = findCorrelation({ headers: h('To: x@y.z'), original: h('X-Otklik-Message: 777'), texts: [], isReply: false });
    expect(ours.otklikMessageId).toBe('777');
    expect(c.otklikMessageId).toBe('555');
    expect(c.originalMessageId).toBe('m-555@shop.example');
  });

  it('uses In-Reply-To and References for replies', () => {
    const c = findCorrelation({
      headers: h('In-Reply-To: <m-2@shop.example>\nReferences: <m-1@shop.example>\n <m-2@shop.example>'),
      original: null,
      texts: [],
      isReply: true,
    });
    expect(c.originalMessageId).toBe('m-2@shop.example');
    expect(c.references).toEqual(['m-2@shop.example', 'm-1@shop.example']);
  });
});
