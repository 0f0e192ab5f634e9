import './common/bigint-json';
import { createOtklik, isHttpApp } from './app.factory';
import { ConfigError, loadEnv } from './config/env';
import { JsonLogger } from './common/json-logger';
import { redactSecrets } from './common/redact';
import { secretValuesOf } from './config/env-secrets';

async function main(): Promise<void> {
  const env = loadEnv();
  const logger = new JsonLogger(env.LOG_LEVEL, env.OTKLIK_ROLE, undefined, secretValuesOf(env));
  const app = await createOtklik(env, logger);
  if (isHttpApp(app)) {
    await app.listen(env.PORT, env.HOST);
    logger.log({ msg: `Otklik listening on ${env.PUBLIC_URL} (port ${env.PORT}), API docs at /docs`, role: env.OTKLIK_ROLE }, 'Bootstrap');
  } else {
    logger.log({ msg: `Otklik ${env.OTKLIK_ROLE} started`, role: env.OTKLIK_ROLE }, 'Bootstrap');
  }
}

main().catch((error: unknown) => {
  // A configuration problem is one clear line; anything else keeps its stack for the operator.
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(redactSecrets(error instanceof Error ? (error.stack ?? error.message) : String(error)));
  process.exit(1);
});
