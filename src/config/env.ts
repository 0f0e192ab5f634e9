// The environment, parsed once at boot into a typed config. Nothing else reads process.env.
// A bad or missing variable stops start-up with one line naming it (see formatConfigError).
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { parseQuietWindow, type QuietWindow } from '../delivery/sms/quiet-hours';

export const ROLES = ['api', 'worker', 'scheduler', 'all'] as const;
export type ProcessRole = (typeof ROLES)[number];

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

function urlWithProtocols(protocols: string[], example: string) {
  return z.string().refine((value) => {
    try {
      const url = new URL(value);
      return protocols.includes(url.protocol) && url.hostname !== '';
    } catch {
      return false;
    }
  }, `expected a ${protocols.map((p) => `${p}//`).join(' or ')} URL such as ${example}`);
}

function jsonObject(example: string) {
  return (text: string, ctx: z.RefinementCtx): Record<string, unknown> => {
    try {
      const value: unknown = JSON.parse(text);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // reported below
    }
    ctx.addIssue({ code: 'custom', message: `expected a JSON object such as ${example}` });
    return z.NEVER;
  };
}

function quietWindow(text: string, ctx: z.RefinementCtx): QuietWindow | null {
  try {
    return parseQuietWindow(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
}

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  OTKLIK_ROLE: z.enum(ROLES).default('all'),
  DATABASE_URL: urlWithProtocols(['postgresql:', 'postgres:'], 'postgresql://postgres@127.0.0.1:5432/otklik'),
  REDIS_URL: urlWithProtocols(['redis:', 'rediss:'], 'redis://127.0.0.1:6379').default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_{}:-]{1,64}$/, 'expected letters, digits, _ - : { } (at most 64)').default('otklik'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000), // 0: any free port
  PUBLIC_URL: urlWithProtocols(['http:', 'https:'], 'https://mail.example.com').default('http://localhost:3000'),
  SECRET_KEY: z.string().min(32, 'expected at least 32 characters (it signs links and tokens)'),
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
  SMTP_URL: urlWithProtocols(['smtp:', 'smtps:'], 'smtp://user:pass@smtp.example.com:587').optional(),
  SMS_PROVIDER: z.enum(['capture', 'sms_http', 'sms_smsru']).default('capture'),
  /** The default SMS provider's config as JSON (fields as in a Provider's config); checked at boot. */
  SMS_PROVIDER_CONFIG: z.string().transform(jsonObject('{"apiId":"..."}')).optional(),
  /** Local hours, in the recipient's zone, when bulk SMS waits: HH:MM-HH:MM, or off. */
  SMS_QUIET_HOURS: z.string().transform(quietWindow).prefault('21:00-09:00'),
  DEFAULT_PHONE_REGION: z.string().regex(/^[A-Z]{2}$/, 'expected a two-letter country code such as RU').default('RU'),
  DEFAULT_TIME_ZONE: z.string().refine(isTimeZone, 'expected an IANA time zone such as Europe/Moscow').default('Europe/Moscow'),
  DEFAULT_LOCALE: z.enum(['ru', 'en']).default('ru'),
  OUTBOX_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  // sending
  MAIL_FROM: z.email('expected an email address such as news@shop.example').optional(),
  MAIL_FROM_NAME: z.string().max(200).optional(),
  /** VERP: Return-Path bounces+<message id>@BOUNCE_DOMAIN, so a bounce names its message. */
  BOUNCE_DOMAIN: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$|^localhost(\.localdomain)?$/i, 'expected a domain such as bounces.shop.example').optional(),
  DKIM_DOMAIN: z.string().min(1).optional(),
  DKIM_SELECTOR: z.string().min(1).optional(),
  /** PEM, with \n for line breaks when set on one line. */
  DKIM_PRIVATE_KEY: z.string().includes('PRIVATE KEY', { message: 'expected a PEM private key' }).optional(),
  SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(8),
  /** Bulk messages per customer per rolling 7 days; 0 turns the cap off. */
  FREQUENCY_CAP_PER_WEEK: z.coerce.number().int().min(0).default(4),
});

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {}

/** One line per problem: `DATABASE_URL: expected a postgresql:// ... URL`. Values are never echoed: they may hold secrets. */
export function formatConfigError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const name = issue.path.join('.') || '(environment)';
      const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required but not set' : issue.message;
      return `${name}: ${message}`;
    })
    .join('; ');
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // An empty variable means "not set", as in most .env conventions.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) throw new ConfigError(`Invalid configuration: ${formatConfigError(result.error)}`);
  return result.data;
}

/** Reads `.env` from the working directory (variables already set win), then parses. */
export function loadEnv(argv: string[] = process.argv): Env {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const roleFlag = argv.indexOf('--role');
  const role = roleFlag >= 0 ? argv[roleFlag + 1] : undefined;
  return parseEnv({ ...process.env, ...(role !== undefined ? { OTKLIK_ROLE: role } : {}) });
}

/** For command-line tools that need only some variables (the migrator needs no SECRET_KEY). */
export function loadEnvFor<K extends keyof Env>(...keys: K[]): Pick<Env, K> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const mask = Object.fromEntries(keys.map((key) => [key, true])) as Record<K, true>;
  const cleaned = Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== undefined && value !== ''));
  const result = envSchema.pick(mask as never).safeParse(cleaned);
  if (!result.success) throw new ConfigError(`Invalid configuration: ${formatConfigError(result.error)}`);
  return result.data as Pick<Env, K>;
}
