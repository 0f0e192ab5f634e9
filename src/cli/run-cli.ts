import '../common/bigint-json';
import { redactSecrets } from '../common/redact';
import { ConfigError } from '../config/env';

/** Runs a command-line entry point: exit 0 on success, 1 with one readable line on failure. */
export function runCli(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      if (error instanceof ConfigError || error instanceof CliError) console.error(error.message);
      // A driver's connection error may quote DATABASE_URL, password and all.
      else console.error(redactSecrets(error instanceof Error ? (error.stack ?? error.message) : String(error)));
      process.exit(1);
    },
  );
}

/** An expected failure of a command: printed as is, without a stack. */
export class CliError extends Error {}

/** `--name value` or `--name=value`. */
export function flag(argv: string[], name: string): string | undefined {
  const index = argv.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  if (index < 0) return undefined;
  const arg = argv[index];
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[index + 1];
}

export function positional(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) {
      if (!argv[i].includes('=') && argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) i++;
      continue;
    }
    out.push(argv[i]);
  }
  return out;
}
