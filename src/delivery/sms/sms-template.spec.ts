import { SmsSendError } from './sms-send-error';
import { e164Digits, fillPlaceholders, renderForm, renderJsonBody, templateValues, unknownPlaceholders } from './sms-template';

const values = templateValues({
  to: '+79161234567',
  from: 'Shop',
  text: 'Привет, "Анна"!\nКод: 1+1 & <b>ok</b> \\ {{to}}',
  otklikMessageId: 42n,
});

describe('templateValues', () => {
  it('offers the number with and without +, the sender, the text and the message id', () => {
    expect(values).toEqual({
      to: '+79161234567',
      toDigits: '79161234567',
      from: 'Shop',
      text: 'Привет, "Анна"!\nКод: 1+1 & <b>ok</b> \\ {{to}}',
      messageId: '42',
    });
  });

  it('uses the default sender and an empty id when the message has none', () => {
    expect(templateValues({ to: '+4915112345678', text: 'x' }, 'Otklik')).toMatchObject({ from: 'Otklik', messageId: '' });
    expect(templateValues({ to: '+4915112345678', text: 'x' }).from).toBe('');
  });

  it.each(['89161234567', '+0161234567', '+7 916 123-45-67', '+7916', ''])('refuses %p as a permanent failure', (to) => {
    expect(() => e164Digits(to)).toThrow(SmsSendError);
    try {
      e164Digits(to);
    } catch (error) {
      expect((error as SmsSendError).kind).toBe('permanent');
      expect((error as SmsSendError).message).toMatch(/^to: expected an E.164 number/);
    }
  });
});

describe('fillPlaceholders', () => {
  it.each([
    ['{{to}}', '+79161234567'],
    ['{{ to }}/{{toDigits}}', '+79161234567/79161234567'],
    ['id={{messageId}} from={{from}}', 'id=42 from=Shop'],
    ['{{text}}', 'Привет, "Анна"!\nКод: 1+1 & <b>ok</b> \\ {{to}}'],
    ['{to} {{}} {{ unknown }}', '{to} {{}} '],
  ])('%p → %p', (template, expected) => {
    expect(fillPlaceholders(template, values)).toBe(expected);
  });

  it('does not expand placeholders that arrive inside a value', () => {
    expect(fillPlaceholders('{{text}}', values)).toContain('{{to}}');
  });

  it('lists unknown placeholders', () => {
    expect(unknownPlaceholders('{{to}} {{phone}} {{ msg }} {{text}}')).toEqual(['phone', 'msg']);
  });
});

describe('renderJsonBody', () => {
  it('JSON-escapes quotes, newlines and backslashes and keeps Cyrillic and HTML as they are', () => {
    const body = renderJsonBody(
      { to: '{{to}}', message: { body: '{{text}}', ref: 'otklik-{{messageId}}' }, flash: false, parts: ['{{toDigits}}', 1] },
      values,
    );
    expect(body).toContain('"body":"Привет, \\"Анна\\"!\\nКод: 1+1 & <b>ok</b> \\\\ {{to}}"');
    expect(JSON.parse(body)).toEqual({
      to: '+79161234567',
      message: { body: values.text, ref: 'otklik-42' },
      flash: false,
      parts: ['79161234567', 1],
    });
  });

  it('fills placeholders in keys too', () => {
    expect(JSON.parse(renderJsonBody({ recipients: { '{{toDigits}}': '{{text}}' } }, values))).toEqual({
      recipients: { '79161234567': values.text },
    });
  });
});

describe('renderForm', () => {
  it('URL-encodes the + of a number, spaces, & and Cyrillic (UTF-8)', () => {
    const form = renderForm({ phone: '{{to}}', msg: '{{text}}', sender: '{{from}}' }, values).toString();
    expect(form).toContain('phone=%2B79161234567');
    expect(form).toContain('sender=Shop');
    expect(form).toContain('msg=%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82%2C+%22');
    expect(form).toContain('1%2B1+%26+%3Cb%3Eok');
    expect(new URLSearchParams(form).get('msg')).toBe(values.text);
  });
});
