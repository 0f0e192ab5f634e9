// The environment, parsed once at boot into a typed config. Nothing else reads process.env.
// A bad or missing variable stops start-up with one line naming it (see formatConfigError).
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { timeZoneSchema } from '../common/time-zone';
import { parseQuietWindow, type QuietWindow } from '../delivery/sms/quiet-hours';
import { QueueName } from '../queue/job-catalogue';

const ALL_QUEUE_NAMES = Object.values(QueueName);

export const ROLES = ['api', 'worker', 'scheduler', 'all'] as const;
export type ProcessRole = (typeof ROLES)[number];


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
  /** The queues a worker consumes, comma-separated (default all): e.g. `transactional` for a process of its own. */
  WORKER_QUEUES: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text.trim() === '') return undefined;
      const names = text.split(',').map((name) => name.trim());
      const unknown = names.filter((name) => !(ALL_QUEUE_NAMES as readonly string[]).includes(name));
      if (unknown.length) ctx.addIssue({ code: 'custom', message: `unknown queue ${unknown.join(', ')}; expected some of ${ALL_QUEUE_NAMES.join(', ')}` });
      return names as QueueName[];
    }),
  DATABASE_URL: urlWithProtocols(['postgresql:', 'postgres:'], 'postgresql://postgres@127.0.0.1:5432/otklik'),
  REDIS_URL: urlWithProtocols(['redis:', 'rediss:'], 'redis://127.0.0.1:6379').default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_{}:-]{1,64}$/, 'expected letters, digits, _ - : { } (at most 64)').default('otklik'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000), // 0: any free port
  PUBLIC_URL: urlWithProtocols(['http:', 'https:'], 'https://mail.example.com').default('http://localhost:3000'),
  SECRET_KEY: z.string().min(32, 'expected at least 32 characters (it signs links and tokens)'),
  /** Keys of before the last rotation (comma-separated): what they signed (links, return paths, webhook URLs) still verifies; nothing new is signed with them. */
  SECRET_KEY_PREVIOUS: z
    .string()
    .transform((text) => text.split(',').map((key) => key.trim()).filter(Boolean))
    .pipe(z.array(z.string().min(32, 'expected comma-separated keys of at least 32 characters')))
    .default([]),
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
  SMTP_URL: urlWithProtocols(['smtp:', 'smtps:'], 'smtp://user:pass@smtp.example.com:587').optional(),
  SMS_PROVIDER: z.enum(['capture', 'sms_http', 'sms_smsru']).default('capture'),
  /** The default SMS provider's config as JSON (fields as in a Provider's config); checked at boot. */
  SMS_PROVIDER_CONFIG: z.string().transform(jsonObject('{"apiId":"..."}')).optional(),
  /** Local hours, in the recipient's zone, when bulk SMS waits: HH:MM-HH:MM, or off. */
  SMS_QUIET_HOURS: z.string().transform(quietWindow).prefault('21:00-09:00'),
  DEFAULT_PHONE_REGION: z.string().regex(/^[A-Z]{2}$/, 'expected a two-letter country code such as RU').default('RU'),
  DEFAULT_TIME_ZONE: timeZoneSchema.default('Europe/Moscow'),
  DEFAULT_LOCALE: z.enum(['ru', 'en']).default('ru'),
  OUTBOX_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  /** Largest CSV file POST /imports/:kind takes, in MB; a bigger one gets 413 (the CLI has no limit). */
  IMPORT_MAX_UPLOAD_MB: z.coerce.number().int().min(1).default(1024),
  // sending
  MAIL_FROM: z.email('expected an email address such as news@shop.example').optional(),
  MAIL_FROM_NAME: z.string().max(200).optional(),
  /** VERP: Return-Path bounces+<message id>@BOUNCE_DOMAIN, so a bounce names its message. */
  BOUNCE_DOMAIN: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$|^localhost(\.localdomain)?$/i, 'expected a domain such as bounces.shop.example').optional(),
  DKIM_DOMAIN: z.string().min(1).optional(),
  DKIM_SELECTOR: z.string().min(1).optional(),
  /** PEM, with \n for line breaks when set on one line. */
  DKIM_PRIVATE_KEY: z.string().includes('PRIVATE KEY', { message: 'expected a PEM private key' }).optional(),
  /** Connections to the relay for the bulk lane: with a commit recorded before each final dot, each one carries ~30–100 messages/s. */
  SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(8),
  /** Limits of the SMTP_URL relay, counted across all workers (a provider row has its own). */
  SMTP_MAX_PER_SECOND: z.coerce.number().int().min(1).optional(),
  SMTP_MAX_PER_HOUR: z.coerce.number().int().min(1).optional(),
  /** Connections of the transactional lane's own pool. */
  SMTP_TRANSACTIONAL_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(4),
  /** Send jobs a worker runs at once on the bulk lane (they mostly wait on batches and connections). */
  BULK_CONCURRENCY: z.coerce.number().int().min(1).max(2000).default(64),
  /** Bulk messages per customer per rolling 7 days; 0 turns the cap off. */
  FREQUENCY_CAP_PER_WEEK: z.coerce.number().int().min(0).default(4),
  // feedback loop (src/feedback)
  /** Inbound SMTP for VERP bounces and replies, served by the api role; unset: off; 0: any free port. */
  INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  INBOUND_SMTP_HOST: z.string().min(1).default('0.0.0.0'),
  /** Bytes of one inbound message stored; a bigger one is stored truncated and left unclassified. */
  INBOUND_MAX_BYTES: z.coerce.number().int().min(64 * 1024, 'expected at least 65536').default(25 * 1024 * 1024),
  /**
   * Bytes of inbound messages being received or stored at once (they are spooled on disk, not
   * held in memory): past it a message is refused with 452 and its sender retries later.
   */
  INBOUND_BYTES_IN_FLIGHT: z.coerce.number().int().min(64 * 1024, 'expected at least 65536').default(256 * 1024 * 1024),
  /** Connections one client address (an IPv6 /64) may hold to the inbound server; more get 421. */
  INBOUND_MAX_CONNECTIONS_PER_CLIENT: z.coerce.number().int().min(1).max(1000).default(10),
  /**
   * Where the inbound server spools messages while it receives and stores them (created, mode
   * 0700). The default is per OS user: a directory another user's deployment created first
   * (mode 0700) would make this one fail at start-up.
   */
  INBOUND_SPOOL_DIR: z.string().min(1).default(path.join(tmpdir(), `otklik-inbound-spool-${process.getuid?.() ?? 'user'}`)),
  /** Reply-to addresses the inbound server accepts besides VERP ones (comma-separated); senders' reply-to addresses are accepted too. */
  INBOUND_REPLY_ADDRESSES: z
    .string()
    .transform((text) => text.split(',').map((a) => a.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.email('expected comma-separated email addresses such as replies@shop.example')))
    .default([]),
  /** Soft bounces of one address within SOFT_BOUNCE_WINDOW_DAYS (since its last delivery) that suppress it. */
  SOFT_BOUNCE_LIMIT: z.coerce.number().int().min(1).default(3),
  SOFT_BOUNCE_WINDOW_DAYS: z.coerce.number().int().min(1).default(30),
  /** Campaign guard: a running campaign pauses itself past these rates (percent), once GUARD_MIN_SENT messages went out. */
  GUARD_HARD_BOUNCE_PERCENT: z.coerce.number().min(0).max(100).default(5),
  GUARD_COMPLAINT_PERCENT: z.coerce.number().min(0).max(100).default(0.1),
  GUARD_MIN_SENT: z.coerce.number().int().min(1).default(1000),
  /** A mailbox the worker polls every minute for bounces and replies: imap(s)://user:password@host[:port][/MAILBOX]; unset: off. */
  IMAP_URL: urlWithProtocols(['imap:', 'imaps:'], 'imaps://bounces%40shop.example:secret@imap.shop.example/INBOX').optional(),
  /** Requests one client address may send to /webhooks/* per minute before a 429 (providers post in bursts: keep it generous). */
  WEBHOOK_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
  /** Mailgun's webhook signing key; unset: POST /webhooks/mailgun is off. */
  MAILGUN_WEBHOOK_SIGNING_KEY: z.string().min(8).optional(),
  /** SNS topics whose SES events POST /webhooks/ses accepts (comma-separated ARNs); unset: the webhook is off. */
  SES_SNS_TOPIC_ARNS: z
    .string()
    .transform((text) => text.split(',').map((a) => a.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/, 'expected SNS topic ARNs such as arn:aws:sns:eu-west-1:123456789012:ses-events')))
    .default([]),
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
