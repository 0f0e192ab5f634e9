import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupTemplates, loadDefaultTemplates, loadTemplateFile, nameParts, parseTemplateFile } from './template-file';
import { TemplateCompileError } from './template-issue';

describe('template files', () => {
  it('parses front matter, keeping value positions for error reports', () => {
    const { file, errors } = parseTemplateFile(
      '---\r\nname: Заказ отправлен\r\nsubject:   Заказ {{order.number}}\r\n# a comment\r\ndata: promoCode, validUntil\r\n---\r\n<mjml>\r\n</mjml>\r\n',
      { path: 'templates/email/order-shipped.en.mjml' },
    );
    expect(errors).toEqual([]);
    expect(file).toMatchObject({
      key: 'order-shipped',
      locale: 'en',
      channel: 'email',
      name: 'Заказ отправлен',
      subject: 'Заказ {{order.number}}',
      dataFields: ['promoCode', 'validUntil'],
      body: '<mjml>\n</mjml>\n',
      locations: { subject: { line: 3, column: 12 }, body: { line: 7 } },
    });
  });

  it('works without front matter and guesses the channel from the content', () => {
    expect(parseTemplateFile('<mjml><mj-body></mj-body></mjml>').file).toMatchObject({
      channel: 'email',
      locale: 'ru',
      locations: { body: { line: 1 } },
    });
    expect(parseTemplateFile('Ваш код {{data.code}}\n\n').file).toMatchObject({ channel: 'sms', body: 'Ваш код {{data.code}}' });
  });

  it.each([
    ['templates/sms/birthday.ru.txt', { key: 'birthday', locale: 'ru', channel: 'sms' }],
    ['a/win-back.en-GB.mjml', { key: 'win-back', locale: 'en-GB', channel: 'email' }],
    ['plain.mjml', { key: 'plain', channel: 'email' }],
  ])('names %s', (path, parts) => {
    expect(nameParts(path)).toEqual(parts);
  });

  it('loads an email with its hand-written text part, and rejects bad front matter', () => {
    const dir = mkdtempSync(join(tmpdir(), 'otklik-tpl-'));
    mkdirSync(join(dir, 'email'));
    mkdirSync(join(dir, 'sms'));
    writeFileSync(join(dir, 'email', 'hello.ru.mjml'), '---\nsubject: Привет\n---\n<mjml></mjml>');
    writeFileSync(join(dir, 'email', 'hello.ru.txt'), 'Привет, {{firstName}}\r\n');
    writeFileSync(join(dir, 'sms', 'hello.en.txt'), 'Hi {{firstName}}\n');
    const email = loadTemplateFile(join(dir, 'email', 'hello.ru.mjml'));
    expect(email.text).toBe('Привет, {{firstName}}\n');
    const all = loadDefaultTemplates(dir);
    expect(all.map((f) => `${f.channel}:${f.key}.${f.locale}`)).toEqual(['email:hello.ru', 'sms:hello.en']);
    expect(groupTemplates(all).sms.get('hello')?.get('en')?.body).toBe('Hi {{firstName}}');
    writeFileSync(join(dir, 'email', 'bad.ru.mjml'), '---\nsubject: x\n');
    expect(() => loadTemplateFile(join(dir, 'email', 'bad.ru.mjml'))).toThrow(TemplateCompileError);
  });
});
