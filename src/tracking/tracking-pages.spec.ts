import { escapeHtml, maskAddress, preferencesPage, unsubscribePage, unsubscribedPage } from './tracking-pages';

describe('tracking pages', () => {
  it.each([
    ['anna@example.com', 'a***@example.com'],
    ['+79161234567', '+7******4567'],
    ['12345', '***'],
    [null, ''],
  ])('masks %p as %p', (address, masked) => {
    expect(maskAddress(address)).toBe(masked);
  });

  it('escapes everything that could break out of text or an attribute', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\`=`)).toBe('&#60;a href&#61;&#34;x&#34; onclick&#61;&#39;y&#39;&#62;&#38;&#96;&#61;');
  });

  it('puts no raw request or base value into the pages', () => {
    const evil = '"><script>alert(1)</script>';
    const pages = [
      unsubscribePage({ address: `${evil}@x.example`, action: evil, preferencesUrl: evil }),
      unsubscribedPage({ address: `${evil}@x.example`, already: false, preferencesUrl: evil }),
      preferencesPage({
        action: evil,
        csrfToken: evil,
        channels: [{ channel: 'email', address: `${evil}@x.example`, subscribed: true, mayResubscribe: true }],
        pausedUntil: null,
        pauseChoices: [7, 30],
        notice: { kind: 'error', text: evil },
      }),
    ];
    for (const html of pages) expect(html).not.toContain('<script>');
  });

  it('shows a channel that may not be turned back on as disabled', () => {
    const html = preferencesPage({
      action: 't',
      csrfToken: 'c',
      channels: [{ channel: 'sms', address: '+79161234567', subscribed: false, mayResubscribe: false }],
      pausedUntil: new Date('2026-12-23T12:00:00Z'),
      pauseChoices: [7],
      notice: undefined,
    });
    expect(html).toContain('name="sms" value="on" disabled');
    expect(html).toContain('2026-12-23');
    expect(html).toContain('<option value="keep" selected>');
  });
});
