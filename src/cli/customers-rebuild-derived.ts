// `npm run customers:rebuild-derived [-- --check]`: recomputes every customer's order count,
// order sum and first/last order dates from the orders (they are kept in step on every write;
// this repairs a base loaded around the API, e.g. by hand-written SQL). --check only counts
// the customers that disagree and exits 1 when there are any.
import { Client } from 'pg';
import { loadEnvFor } from '../config/env';
import { countDerivedDrift, rebuildDerivedFields } from '../customers/orders/derived-fields.rebuild';
import { CliError, runCli } from './run-cli';

runCli(async () => {
  const { DATABASE_URL } = loadEnvFor('DATABASE_URL');
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    if (process.argv.includes('--check')) {
      const drift = await countDerivedDrift(client);
      console.log(`${drift} customers have derived order fields that disagree with their orders`);
      if (drift > 0) throw new CliError('Run npm run customers:rebuild-derived to fix them');
      return;
    }
    const started = Date.now();
    const fixed = await rebuildDerivedFields(client, {
      onWait: () => console.error('An import is running; waiting for it to finish…'),
      onProgress: (p) =>
        process.stderr.isTTY && process.stderr.write(`\rcustomers up to id ${p.doneUpTo} of ${p.maxId}, fixed ${p.fixed}\x1b[K`),
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    console.log(`Derived order fields rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s: ${fixed} customers fixed`);
  } finally {
    await client.end();
  }
});
