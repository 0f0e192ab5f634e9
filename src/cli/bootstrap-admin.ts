// `npm run keys:bootstrap [-- --name NAME] [--force]`: creates the first admin API key and prints
// it once (only its hash is stored). With an admin key already there it creates nothing unless
// --force is given, so the quickstart can call it on every run.
import { PrismaPg } from '@prisma/adapter-pg';
import { ApiKeysRepository } from '../auth/api-keys.repository';
import { generateApiKey } from '../auth/api-key';
import { loadEnvFor } from '../config/env';
import type { PrismaService } from '../database/prisma.service';
import { PrismaClient } from '../generated/prisma/client';
import { flag, runCli } from './run-cli';

runCli(async () => {
  const argv = process.argv.slice(2);
  const { DATABASE_URL } = loadEnvFor('DATABASE_URL');
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: DATABASE_URL }) });
  try {
    const admins = await prisma.apiKey.count({ where: { role: 'admin', revokedAt: null } });
    if (admins > 0 && !argv.includes('--force')) {
      console.log(`An admin API key exists already (${admins}). To make another: npm run keys:bootstrap -- --force`);
      return;
    }
    const keys = new ApiKeysRepository(prisma as unknown as PrismaService);
    const generated = generateApiKey();
    await keys.create({
      name: flag(argv, 'name') ?? 'bootstrap admin',
      role: 'admin',
      prefix: generated.prefix,
      keyHash: generated.keyHash,
    });
    console.log(`Admin API key (shown once, store it now): ${generated.key}`);
  } finally {
    await prisma.$disconnect();
  }
});
