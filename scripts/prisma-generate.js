#!/usr/bin/env node
// Generates the Prisma client into src/generated/prisma without touching the network.
// `prisma generate` only checks that a schema-engine binary exists (it never runs it here), and
// would otherwise try to download one from a host this machine cannot reach; any file will do.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..');
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || __filename,
  CHECKPOINT_DISABLE: '1',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};
const prisma = path.join(root, 'node_modules', '.bin', 'prisma');
const result = spawnSync(prisma, ['generate'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
if (result.status !== 0) {
  console.error('prisma generate failed; see the output above');
  process.exit(result.status ?? 1);
}
