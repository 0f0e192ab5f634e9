// `npm run -s templates:render -- FILE [--data JSON]`, run from dist as a user runs it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, runCli } from '../support/test-env';

const dir = mkdtempSync(path.join(tmpdir(), 'otklik-render-'));
const file = (name: string, content: string): string => {
  const at = path.join(dir, name);
  writeFileSync(at, content);
  return at;
};
const render = async (...args: string[]) => {
  const result = await runCli('templates-render', args, {});
  return { code: result.code, out: JSON.parse(result.stdout) };
};

describe('templates:render', () => {
  it('renders a default email for a sample customer, with --data merged in', async () => {
    const { code, out } = await render(
      path.join(ROOT, 'templates/email/b2c-promo.en.mjml'),
      '--data',
      '{"customer":{"firstName":"<Oleg>"},"data":{"promoCode":"CLI-42"}}',
    );
    expect(code).toBe(0);
    expect(Object.keys(out).sort()).toEqual(['html', 'preheader', 'subject', 'text', 'warnings']);
    expect(out.warnings).toEqual([]);
    expect(out.html).toContain('CLI-42');
    expect(out.html).toContain('&lt;Oleg&gt;');
    expect(out.text).toContain('CLI-42');
    expect(`${out.subject}${out.html}${out.text}`).not.toMatch(/\{\{|\}\}/);
  });

  it('renders an SMS file with its length report', async () => {
    const { code, out } = await render(path.join(ROOT, 'templates/sms/order-shipped.ru.txt'));
    expect(code).toBe(0);
    expect(out.text).toMatch(/^Северный ветер: заказ №A-10234 отправлен/);
    expect(out.sms).toMatchObject({ encoding: 'UCS-2', characters: [...out.text].length, segments: 2, perSegment: 67 });
  });

  it('prints errors with line and column and exits 1 for a broken template', async () => {
    const broken = file(
      'broken.ru.mjml',
      '---\nsubject: Привет\n---\n<mjml>\n<mj-body>\n<mj-section><mj-column>\n  <mj-text>{{#if firstName}}Hi</mj-text>\n</mj-column></mj-section>\n</mj-body>\n</mjml>\n',
    );
    const { code, out } = await render(broken);
    expect(code).toBe(1);
    expect(out.errors).toEqual([{ line: 7, column: 12, message: expect.stringMatching(/\{\{#if firstName\}\} is never closed/) }]);
    const sms = file('long.ru.txt', '---\nmaxSegments: 1\n---\n{{customer.frstName}} ' + 'ж'.repeat(80));
    const warned = await render(sms);
    expect(warned.code).toBe(0);
    expect(warned.out.sms).toMatchObject({ encoding: 'UCS-2', segments: 2 });
    expect(warned.out.warnings).toEqual([
      expect.objectContaining({ line: 4, column: 3, message: expect.stringMatching(/Unknown variable "customer.frstName"/) }),
      { message: expect.stringMatching(/2 segments, limit is 1/) },
    ]);
  });

  it('rejects bad arguments', async () => {
    expect((await render()).out.errors[0].message).toMatch(/usage/);
    expect((await render(path.join(dir, 'missing.mjml'))).code).toBe(1);
    expect((await render(path.join(ROOT, 'templates/sms/birthday.ru.txt'), '--data', '{nope')).out.errors[0].message).toMatch(
      /--data is not valid JSON/,
    );
  });
});
