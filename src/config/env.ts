// The environment, parsed once at boot into a typed config. Nothing else reads process.env.
// A bad or missing variable stops start-up with one line naming it (see formatConfigError).
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { timeZoneSchema } from '../common/time-zone';
import { parseQuietWindow, type QuietWindow } from '../common/quiet-hours';
import { QueueName } from '../common/queue-names';
import { DEFAULT_RETRY_SCHEDULE, parseRetrySchedule } from '../common/retry-schedule';

const ALL_QUEUE_NAMES = Object.values(QueueName);

export const ROLES = ['api', 'worker', 'scheduler', 'all'] as const;
export type ProcessRole = (typeof ROLES)[number];

function urlWithProtocols(protocols: string[], example: string) {
  return z.string().refine(
    (value) => {
      try {
        const url = new URL(value);
        return protocols.includes(url.protocol) && url.hostname !== '';
      } catch {
        return false;
      }
    },
    `expected a ${protocols.map((p) => `${p}//`).join(' or ')} URL such as ${example}`,
  );
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
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development').describe('`development`, `production` or `test`'),
  OTKLIK_ROLE: z
    .enum(ROLES)
    .default('all')
    .describe('which parts this process runs: `api`, `worker`, `scheduler` or `all` (also `--role`); see docs/operations.md'),
  /** The queues a worker consumes, comma-separated (default all): e.g. `transactional` for a process of its own. */
  WORKER_QUEUES: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text.trim() === '') return undefined;
      const names = text.split(',').map((name) => name.trim());
      const unknown = names.filter((name) => !(ALL_QUEUE_NAMES as readonly string[]).includes(name));
      if (unknown.length)
        ctx.addIssue({ code: 'custom', message: `unknown queue ${unknown.join(', ')}; expected some of ${ALL_QUEUE_NAMES.join(', ')}` });
      return names as QueueName[];
    })
    .describe(
      'the queues a worker role consumes, comma-separated (`transactional`, `bulk`, `feedback`, `maintenance`, `campaigns`); unset: all',
    ),
  DATABASE_URL: urlWithProtocols(['postgresql:', 'postgres:'], 'postgresql://postgres@127.0.0.1:5432/otklik').describe(
    'PostgreSQL, e.g. `postgresql://postgres@127.0.0.1:5432/otklik`',
  ),
  REDIS_URL: urlWithProtocols(['redis:', 'rediss:'], 'redis://127.0.0.1:6379')
    .default('redis://127.0.0.1:6379')
    .describe('Redis for the BullMQ queues, rate windows and replay guards'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_{}:-]{1,64}$/, 'expected letters, digits, _ - : { } (at most 64)')
    .default('otklik')
    .describe('Redis key prefix; use `{otklik}` on Redis Cluster'),
  HOST: z.string().min(1).default('0.0.0.0').describe('HTTP listener address (api and all roles)'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('HTTP listener port (api and all roles); 0: any free port'), // 0: any free port
  PUBLIC_URL: urlWithProtocols(['http:', 'https:'], 'https://mail.example.com')
    .default('http://localhost:3000')
    .describe('base of the links in messages (tracking, unsubscribe, preferences, confirmation)'),
  SECRET_KEY: z
    .string()
    .min(32, 'expected at least 32 characters (it signs links and tokens)')
    .describe("at least 32 characters; signs links, tokens, webhook URLs and the MAC'd ids in mail"),
  /** Keys of before the last rotation (comma-separated): what they signed (links, return paths, webhook URLs) still verifies; nothing new is signed with them. */
  SECRET_KEY_PREVIOUS: z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((key) => key.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().min(32, 'expected comma-separated keys of at least 32 characters')))
    .default([])
    .describe(
      'comma-separated older keys, still accepted (never used to sign): rotate by moving the old `SECRET_KEY` here; drop it once the mail and URLs it signed may go void',
    ),
  LOG_LEVEL: z
    .enum(['error', 'warn', 'info', 'debug'])
    .default('info')
    .describe('`error`, `warn`, `info` or `debug`; logs are one JSON object per line'),
  SMTP_URL: urlWithProtocols(['smtp:', 'smtps:'], 'smtp://user:pass@smtp.example.com:587')
    .optional()
    .describe('`smtp://` or `smtps://` URL of the relay; unset: email goes to the capture outbox'),
  SMTP_TLS: z
    .enum(['opportunistic', 'required'])
    .default('opportunistic')
    .describe(
      'TLS towards the `SMTP_URL` relay: `opportunistic` (STARTTLS when offered) or `required` (a relay without it is refused: the lane pauses, nothing is sent in plain text); `smtps://` is TLS from the first byte either way',
    ),
  SMTP_TLS_VERIFY: z
    .enum(['true', 'false'])
    .default('true')
    .transform((text) => text === 'true')
    .describe("verify the `SMTP_URL` relay's certificate: `true` or `false` (a self-signed certificate; prefer `SMTP_TLS_CA`)"),
  /** PEM, with \n for line breaks when set on one line. */
  SMTP_TLS_CA: z
    .string()
    .includes('BEGIN CERTIFICATE', { message: 'expected a PEM certificate' })
    .transform((text) => text.replace(/\\n/g, '\n'))
    .optional()
    .describe(
      "a certificate authority (PEM, `\\n` allowed for line breaks) trusted for the `SMTP_URL` relay besides the system's, e.g. a private relay's own",
    ),
  SMS_PROVIDER: z
    .enum(['capture', 'sms_http', 'sms_smsru'])
    .default('capture')
    .describe('default SMS provider: `capture` (the outbox), `sms_http` or `sms_smsru`; see docs/guides/sms.md'),
  /** The default SMS provider's config as JSON (fields as in a Provider's config); checked at boot. */
  SMS_PROVIDER_CONFIG: z
    .string()
    .transform(jsonObject('{"apiId":"..."}'))
    .optional()
    .describe("the default SMS provider's config as JSON (fields as in a provider's `config`); checked at start-up"),
  /** Local hours, in the recipient's zone, when bulk SMS waits: HH:MM-HH:MM, or off. */
  SMS_QUIET_HOURS: z
    .string()
    .transform(quietWindow)
    .prefault('21:00-09:00')
    .describe("local hours, in the recipient's zone, when bulk SMS waits: `HH:MM-HH:MM`, or `off`"),
  DEFAULT_PHONE_REGION: z
    .string()
    .regex(/^[A-Z]{2}$/, 'expected a two-letter country code such as RU')
    .default('RU')
    .describe('country for phone numbers written without a country code'),
  DEFAULT_TIME_ZONE: timeZoneSchema
    .default('Europe/Moscow')
    .describe('time zone of customers that do not say (and of daily trigger passes)'),
  DEFAULT_LOCALE: z.enum(['ru', 'en']).default('ru').describe('locale of customers that do not say: `ru` or `en`'),
  OUTBOX_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .default(30)
    .describe('how long captured (outbox) messages are kept; pruned nightly'),
  /** Largest CSV file POST /imports/:kind takes, in MB; a bigger one gets 413 (the CLI has no limit). */
  IMPORT_MAX_UPLOAD_MB: z.coerce
    .number()
    .int()
    .min(1)
    .default(1024)
    .describe('largest CSV file `POST /imports/:kind` takes, in MB (`413` above it); the CLI has no limit'),
  /** Largest image POST /images and the admin UI's upload take, in bytes. */
  IMAGE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024, 'expected at least 1024')
    .max(50 * 1024 * 1024, 'expected at most 52428800 (50 MB)')
    .default(5 * 1024 * 1024)
    .describe(
      'largest image (PNG, JPEG, GIF, WebP) `POST /images` and the admin UI take, in bytes (default 5 MB); a bigger one is refused naming the limit',
    ),
  // sending
  MAIL_FROM: z
    .email('expected an email address such as news@shop.example')
    .optional()
    .describe(
      'default sender of campaigns without a sender, and of transactional mail; unset: `otklik@<PUBLIC_URL host>` (`localhost.localdomain` for localhost or an IP address)',
    ),
  MAIL_FROM_NAME: z.string().max(200).optional().describe('display name of the default sender'),
  /** VERP: Return-Path bounces+<message id>@BOUNCE_DOMAIN, so a bounce names its message. */
  BOUNCE_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+\.[a-z]{2,}$|^localhost(\.localdomain)?$/i, 'expected a domain such as bounces.shop.example')
    .optional()
    .describe(
      'domain of the VERP Return-Path (`bounces+<id>-<mac>@`), the unsubscribe mailbox and the Message-ID; unset: the `MAIL_FROM` domain',
    ),
  SMTP_EHLO_NAME: z
    .string()
    .regex(
      /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i,
      'expected a host name such as mta.shop.example',
    )
    .optional()
    .describe(
      'the name Otklik gives in `EHLO` to every relay (`SMTP_URL` and provider rows), best one whose A record points back at the sending IP; unset: `BOUNCE_DOMAIN`, else the `PUBLIC_URL` host (an IP as `[address]`; never `localdomain`)',
    ),
  DKIM_DOMAIN: z
    .string()
    .min(1)
    .optional()
    .describe(
      "the default sender's DKIM domain; with `DKIM_SELECTOR` and `DKIM_PRIVATE_KEY` it signs mail whose From domain has no key of its own (`/settings/dkim-keys`, see docs/guides/senders-and-brand.md); unset: such mail goes unsigned",
    ),
  DKIM_SELECTOR: z.string().min(1).optional().describe('DKIM selector'),
  SPF_INCLUDE: z
    .string()
    .regex(
      /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?)+$/i,
      'expected a domain such as _spf.relay.example',
    )
    .optional()
    .describe(
      "the relay's SPF domain (e.g. `_spf.relay.example`): `GET /senders/:id/dns-check` proposes `include:` it and checks the Return-Path domain's SPF record has it",
    ),
  /** PEM, with \n for line breaks when set on one line. */
  DKIM_PRIVATE_KEY: z
    .string()
    .includes('PRIVATE KEY', { message: 'expected a PEM private key' })
    .optional()
    .describe('DKIM private key, PEM (`\\n` allowed for line breaks when set on one line)'),
  /** Connections to the relay for the bulk lane: with a commit recorded before each final dot, each one carries ~30–100 messages/s. */
  SMTP_MAX_CONNECTIONS: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(8)
    .describe(
      'SMTP connections of the bulk lane (per provider); each carries roughly 20–100 messages/s, so a fast relay wants 32–64 (see docs/benchmarks.md)',
    ),
  /** Limits of the SMTP_URL relay, counted across all workers (a provider row has its own). */
  SMTP_MAX_PER_SECOND: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .describe(
      'sending limit of the `SMTP_URL` relay per second, counted across all workers (a provider row has its own `per_second`); unset: no limit',
    ),
  SMTP_MAX_PER_HOUR: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .describe(
      'sending limit of the `SMTP_URL` relay per hour, counted across all workers (a provider row has its own `per_hour`); unset: no limit',
    ),
  /** Connections of the transactional lane's own pool. */
  SMTP_TRANSACTIONAL_CONNECTIONS: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(4)
    .describe("connections of the transactional lane's own pool to the `SMTP_URL` relay"),
  /** Send jobs a worker runs at once on the bulk lane (they mostly wait on batches and connections). */
  BULK_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(2000)
    .default(64)
    .describe('send jobs one worker runs at once on the bulk lane (they mostly wait on batches and connections; about two per connection)'),
  /** The gaps between a message's tries after 4xx answers; once spent, the message fails with the last answer. */
  SMTP_RETRY_SCHEDULE: z
    .string()
    .transform((text, ctx) => {
      try {
        return parseRetrySchedule(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    })
    .prefault(DEFAULT_RETRY_SCHEDULE)
    .describe(
      'the gaps between the tries of a message the relay answers with a `4xx` (greylisting, a full queue), comma-separated (`30s`, `5m`, `2h`, `1d`), each ±10% at random; once spent, the message fails with the last answer. The default spans about 32 hours',
    ),
  /** Bulk messages per customer per rolling 7 days; 0 turns the cap off. */
  FREQUENCY_CAP_PER_WEEK: z.coerce
    .number()
    .int()
    .min(0)
    .default(4)
    .describe('bulk messages per customer per rolling 7 days; `0` turns the cap off'),
  // feedback loop (src/feedback)
  /** Inbound SMTP for VERP bounces and replies, served by the api role; unset: off; 0: any free port. */
  INBOUND_SMTP_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .optional()
    .describe('port of the inbound SMTP server for bounces and replies, served by the api role; unset: off; 0: any free port'),
  INBOUND_SMTP_HOST: z.string().min(1).default('0.0.0.0').describe('address the inbound SMTP server listens on'),
  /** Bytes of one inbound message stored; a bigger one is stored truncated and left unclassified. */
  INBOUND_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(64 * 1024, 'expected at least 65536')
    .default(25 * 1024 * 1024)
    .describe('bytes of one inbound message stored (default 25 MB); a bigger one is stored truncated and left unclassified'),
  /**
   * Bytes of inbound messages being received or stored at once (they are spooled on disk, not
   * held in memory): past it a message is refused with 452 and its sender retries later.
   */
  INBOUND_BYTES_IN_FLIGHT: z.coerce
    .number()
    .int()
    .min(64 * 1024, 'expected at least 65536')
    .default(256 * 1024 * 1024)
    .describe(
      'bytes of inbound messages being received or stored at once by one api process (default 256 MB, spooled on disk); beyond it `452`, the sender retries',
    ),
  /** Connections one client address (an IPv6 /64) may hold to the inbound server; more get 421. */
  INBOUND_MAX_CONNECTIONS_PER_CLIENT: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(10)
    .describe('connections one client address (an IPv6 /64) may hold to the inbound server; more get `421`'),
  /**
   * Where the inbound server spools messages while it receives and stores them (created, mode
   * 0700). The default is per OS user: a directory another user's deployment created first
   * (mode 0700) would make this one fail at start-up.
   */
  INBOUND_SPOOL_DIR: z
    .string()
    .min(1)
    .default(path.join(tmpdir(), `otklik-inbound-spool-${process.getuid?.() ?? 'user'}`))
    .meta({
      description:
        'where the inbound server spools messages while it stores them (created with mode 0700; one directory per OS user by default)',
      docDefault: '<OS temp>/otklik-inbound-spool-<uid>',
    }),
  /** Reply-to addresses the inbound server accepts besides VERP ones (comma-separated); senders' reply-to addresses are accepted too. */
  INBOUND_REPLY_ADDRESSES: z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((a) => a.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.email('expected comma-separated email addresses such as replies@shop.example')))
    .default([])
    .describe(
      "more reply addresses the inbound server accepts, comma-separated (`MAIL_FROM` and senders' reply-to and from addresses are accepted anyway)",
    ),
  /** Soft bounces of one address within SOFT_BOUNCE_WINDOW_DAYS (since its last delivery) that suppress it. */
  SOFT_BOUNCE_LIMIT: z.coerce
    .number()
    .int()
    .min(1)
    .default(3)
    .describe('soft bounces of one address within `SOFT_BOUNCE_WINDOW_DAYS` (since its last delivery) that suppress it'),
  SOFT_BOUNCE_WINDOW_DAYS: z.coerce.number().int().min(1).default(30).describe('the window, in days, of `SOFT_BOUNCE_LIMIT`'),
  /** Campaign guard: a running campaign pauses itself past these rates (percent), once GUARD_MIN_SENT messages went out. */
  GUARD_HARD_BOUNCE_PERCENT: z.coerce
    .number()
    .min(0)
    .max(100)
    .default(5)
    .describe('campaign guard: a running campaign pauses itself past this hard-bounce rate (percent)'),
  GUARD_COMPLAINT_PERCENT: z.coerce
    .number()
    .min(0)
    .max(100)
    .default(0.1)
    .describe('campaign guard: a running campaign pauses itself past this complaint rate (percent)'),
  GUARD_MIN_SENT: z.coerce
    .number()
    .int()
    .min(1)
    .default(1000)
    .describe('campaign guard: messages a campaign must have sent before its rates are judged'),
  /** A mailbox the worker polls every minute for bounces and replies: imap(s)://user:password@host[:port][/MAILBOX]; unset: off. */
  IMAP_URL: urlWithProtocols(['imap:', 'imaps:'], 'imaps://bounces%40shop.example:secret@imap.shop.example/INBOX')
    .optional()
    .describe('a mailbox a worker polls every minute for bounces and replies: `imap(s)://user:password@host[:port][/MAILBOX]`; unset: off'),
  /** Requests one client address may send to /webhooks/* per minute before a 429 (providers post in bursts: keep it generous). */
  WEBHOOK_RATE_LIMIT_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .default(6000)
    .describe(
      'requests one client address may send to `/webhooks/*` per minute before a `429` (providers post in bursts: keep it generous)',
    ),
  /** Mailgun's webhook signing key; unset: POST /webhooks/mailgun is off. */
  MAILGUN_WEBHOOK_SIGNING_KEY: z
    .string()
    .min(8)
    .optional()
    .describe("Mailgun's webhook signing key; unset: `POST /webhooks/mailgun` is off"),
  /** SNS topics whose SES events POST /webhooks/ses accepts (comma-separated ARNs); unset: the webhook is off. */
  SES_SNS_TOPIC_ARNS: z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .string()
          .regex(
            /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/,
            'expected SNS topic ARNs such as arn:aws:sns:eu-west-1:123456789012:ses-events',
          ),
      ),
    )
    .default([])
    .describe('SNS topics whose SES events `POST /webhooks/ses` accepts (comma-separated ARNs); unset: the webhook is off'),
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
  return result.data;
}
