import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultAction, readDefaultSet, writes } from './default-set';
import { defaultTemplatesDir } from './render';

describe('readDefaultSet', () => {
  it('reads the shipped set: 15 email templates and 6 SMS ones, in Russian and English', () => {
    const { files, problems } = readDefaultSet(defaultTemplatesDir());
    expect(problems).toEqual([]);
    expect(files.filter((f) => f.channel === 'email')).toHaveLength(30);
    expect(files.filter((f) => f.channel === 'sms')).toHaveLength(12);
  });

  it('reports a file with bad front matter and still reads the others', () => {
    const dir = mkdtempSync(join(tmpdir(), 'otklik-defaults-'));
    mkdirSync(join(dir, 'email'));
    mkdirSync(join(dir, 'sms'));
    writeFileSync(join(dir, 'email', 'bad.ru.mjml'), '---\nsubject: x\nmaxSegments: lots\n---\n<mjml></mjml>');
    writeFileSync(join(dir, 'email', 'notes.md'), 'ignored');
    writeFileSync(join(dir, 'sms', 'ok.en.txt'), 'Hi {{firstName}}');
    const { files, problems } = readDefaultSet(dir);
    expect(files.map((f) => `${f.channel}:${f.key}.${f.locale}`)).toEqual(['sms:ok.en']);
    expect(problems).toEqual([
      {
        path: join(dir, 'email', 'bad.ru.mjml'),
        errors: [expect.objectContaining({ line: 3, message: expect.stringMatching(/maxSegments/) })],
      },
    ]);
  });
});

describe('defaultAction', () => {
  it.each([
    ['no template', undefined, undefined, 'create'],
    ['a user template with the key', { builtIn: false }, { contentHash: 'h0', fromFile: false }, 'user-template'],
    ['a built-in template without this locale', { builtIn: true }, undefined, 'add-locale'],
    ['same content', { builtIn: true }, { contentHash: 'h1', fromFile: true }, 'current'],
    ['same content saved by a user', { builtIn: true }, { contentHash: 'h1', fromFile: false }, 'current'],
    ['an older file', { builtIn: true }, { contentHash: 'h0', fromFile: true }, 'update'],
    ['a user edit', { builtIn: true }, { contentHash: 'h0', fromFile: false }, 'kept-edit'],
  ] as const)('%s → %s', (_name, template, current, expected) => {
    const action = defaultAction(template, current, 'h1');
    expect(action).toBe(expected);
    expect(writes(action)).toBe(['create', 'add-locale', 'update'].includes(expected));
  });
});
