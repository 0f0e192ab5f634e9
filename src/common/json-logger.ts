// Structured logs: one JSON object per line on stdout, so any collector can parse them.
// Nest's own messages go through here too (app.useLogger). Never pass secrets to a logger;
// as a second line of defence every line is masked (common/redact.ts): credentials in URLs
// (driver errors quote them), API keys, bearer tokens and the configured secret values.
import { LoggerService } from '@nestjs/common';
import { redactSecrets } from './redact';

const LEVELS = { error: 0, warn: 1, info: 2, debug: 3 } as const;
export type LogLevel = keyof typeof LEVELS;

export class JsonLogger implements LoggerService {
  constructor(
    private readonly level: LogLevel = 'info',
    private readonly role = 'all',
    private readonly write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
    /** Values to mask wherever they appear (config/env-secrets.ts). */
    private readonly secrets: readonly string[] = [],
  ) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.emit('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.emit('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }

  private emit(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (LEVELS[level] > LEVELS[this.level]) return;
    // Nest passes the context as the last string argument, and a stack before it for errors.
    const args = [...rest];
    const context = typeof args[args.length - 1] === 'string' ? (args.pop() as string) : undefined;
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level, role: this.role };
    if (context) entry.context = context;
    if (message instanceof Error) {
      entry.msg = message.message;
      entry.stack = message.stack;
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(entry, message);
    } else {
      entry.msg = String(message);
    }
    const stack = args.find((arg) => typeof arg === 'string');
    if (level === 'error' && stack) entry.stack = stack;
    this.write(
      redactSecrets(
        JSON.stringify(entry, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)),
        this.secrets,
      ),
    );
  }
}
