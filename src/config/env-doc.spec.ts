import { readFileSync } from 'node:fs';
import path from 'node:path';
import { configRows, configurationMarkdown } from './env-doc';

describe('docs/configuration.md', () => {
  it('is what `npm run docs:config` generates from src/config/env.ts', () => {
    const file = path.resolve(__dirname, '../../docs/configuration.md');
    const committed = readFileSync(file, 'utf8');
    if (committed !== configurationMarkdown()) {
      throw new Error(
        'docs/configuration.md differs from the environment schema (src/config/env.ts): run `npm run docs:config` and commit the result',
      );
    }
  });

  it('describes every variable', () => {
    const undescribed = configRows()
      .filter((row) => row.meaning.trim() === '')
      .map((row) => row.name);
    expect(undescribed).toEqual([]);
  });
});
