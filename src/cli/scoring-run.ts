// `npm run scoring:run`: recomputes RFM, ABC/XYZ and the A–E rating of every customer now, in
// this process (no worker needed), with the saved settings, and records the run like the
// nightly job does. Prints one line: `scoring: run 7 completed in 31.4 s: 790028 customers
// scored, 12345 changed`.
import { Logger } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { loadEnvFor } from '../config/env';
import type { PrismaService } from '../database/prisma.service';
import { PrismaClient } from '../generated/prisma/client';
import { ScoringRepository } from '../scoring/scoring.repository';
import { ScoringRunner } from '../scoring/scoring.runner';
import { runCli } from './run-cli';

runCli(async () => {
  Logger.overrideLogger(false); // the one summary line below says it all
  const { DATABASE_URL } = loadEnvFor('DATABASE_URL');
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: DATABASE_URL }) });
  try {
    const runner = new ScoringRunner(new ScoringRepository(prisma as unknown as PrismaService));
    const run = await runner.run({ trigger: 'cli' });
    const seconds = ((run.durationMs ?? 0) / 1000).toFixed(1);
    console.log(
      `scoring: run ${run.id} ${run.status} in ${seconds} s: ${run.scoredCustomers} customers scored, ${run.changedCustomers} changed`,
    );
  } finally {
    await prisma.$disconnect();
  }
});
