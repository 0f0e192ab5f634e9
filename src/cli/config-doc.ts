// `npm run docs:config`: writes docs/configuration.md from the environment schema (src/config/env.ts).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { configurationMarkdown } from '../config/env-doc';
import { runCli } from './run-cli';

runCli(() => {
  const target = path.resolve(process.argv[2] ?? 'docs/configuration.md');
  writeFileSync(target, configurationMarkdown());
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
  return Promise.resolve();
});
