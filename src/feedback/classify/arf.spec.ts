import { looksLikeFeedbackReport, parseFeedbackReport } from './arf';

describe('parseFeedbackReport', () => {
  it('reads the RFC 5965 fields', () => {
    const r = parseFeedbackReport(
      'Feedback-Type: opt-out\nUser-Agent: Example/1\nVersion: 1\nOriginal-Mail-From: <bounces+9@mail.shop.example>\nOriginal-Rcpt-To: <A@Example.org>\nOriginal-Rcpt-To: b@example.org\nSource-IP: 192.0.2.1\nReported-Domain: shop.example\n',
    );
    expect(r).toEqual({
      feedbackType: 'opt-out',
      originalMailFrom: 'bounces+9@mail.shop.example',
      originalRcptTo: ['a@example.org', 'b@example.org'],
      removalRecipient: null,
      sourceIp: '192.0.2.1',
      reportedDomain: 'shop.example',
    });
  });
  it('defaults the type to abuse', () => {
    expect(parseFeedbackReport('User-Agent: x\n').feedbackType).toBe('abuse');
  });
  it.each([
    ['Feedback-Type: abuse\nUser-Agent: x\n', true],
    ['Feedback-Type: abuse\n', false],
    ['Hello', false],
  ])('looksLikeFeedbackReport(%j) = %s', (text, expected) => {
    expect(looksLikeFeedbackReport(text)).toBe(expected);
  });
});
