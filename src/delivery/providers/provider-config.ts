// A provider's config per kind: validated before it is stored, shown with its secrets masked,
// and on an edit the secrets the client left out (or sent back masked) are taken from the stored
// config. Pure: no Nest, no database.
//
// What counts as a secret: the password of any URL, the values of a URL's query string, an SMS
// gateway's auth password/token/header value, SMS.ru's api id, and every literal string in a
// gateway's headers, query and body template (gateways carry logins and keys there). Strings that
// hold a {{placeholder}} are templates, not secrets, and are shown.
import { z } from 'zod';
import { DomainError, type FieldIssue } from '../../common/domain-error';
import { parseOrThrow } from '../../common/zod-validation';
import { parseSmsProviderConfig } from '../sms/create-sms-provider';
import { usedPlaceholders } from '../sms/sms-template';

export const MASK = '***';

export type ProviderKind = 'capture' | 'smtp' | 'sms_http' | 'sms_smsru';
export type ProviderChannel = 'email' | 'sms';

const KIND_CHANNELS: Record<ProviderKind, readonly ProviderChannel[]> = {
  capture: ['email', 'sms'],
  smtp: ['email'],
  sms_http: ['sms'],
  sms_smsru: ['sms'],
};

/** Why `kind` cannot serve `channel`, or null when it can. */
export function kindChannelIssue(kind: ProviderKind, channel: ProviderChannel): string | null {
  return KIND_CHANNELS[kind].includes(channel)
    ? null
    : `a ${kind} provider cannot send ${channel}; it sends ${KIND_CHANNELS[kind].join(' or ')}`;
}

const SMTP_URL_HINT = 'expected smtp://user:password@host:587 or smtps://user:password@host:465';

const smtpUrl = z.string({ error: SMTP_URL_HINT }).superRefine((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: SMTP_URL_HINT });
    return;
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') ctx.addIssue({ code: 'custom', message: SMTP_URL_HINT });
  else if (url.hostname === '') ctx.addIssue({ code: 'custom', message: `${SMTP_URL_HINT}: the host is missing` });
  else if (url.port !== '' && Number(url.port) === 0) ctx.addIssue({ code: 'custom', message: `${SMTP_URL_HINT}: port 0` });
  else if (url.username === '' && url.password !== '') ctx.addIssue({ code: 'custom', message: 'a password needs a user name before it' });
});

/**
 * `smtp`: the relay as SMTP_URL takes it, and its TLS policy: `tls` `opportunistic` (STARTTLS when
 * offered, the default) or `required`; `tlsVerify` (default true; the URL's old
 * `?tlsRejectUnauthorized=false` still turns it off); `tlsCa`, a PEM certificate authority
 * trusted besides the system's.
 */
export const smtpConfigSchema = z.strictObject({
  url: smtpUrl,
  tls: z.enum(['opportunistic', 'required'], { error: 'expected opportunistic or required' }).optional(),
  tlsVerify: z.boolean({ error: 'expected true or false' }).optional(),
  tlsCa: z
    .string()
    .regex(/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/, 'expected a PEM certificate (-----BEGIN CERTIFICATE----- …)')
    .optional(),
});

/** The TLS policy of a stored smtp config (parsed, so the defaults apply to rows stored before). */
export function smtpTlsPolicy(config: unknown): { mode: 'opportunistic' | 'required'; verify: boolean; ca?: string } {
  const parsed = smtpConfigSchema.safeParse(config);
  if (!parsed.success) return { mode: 'opportunistic', verify: true };
  const { tls = 'opportunistic', tlsVerify = true, tlsCa } = parsed.data;
  return { mode: tls, verify: tlsVerify, ...(tlsCa ? { ca: tlsCa } : {}) };
}

const captureConfigSchema = z.strictObject({});

/** The config as it is stored: validated, defaults filled in (a JSON body given as a string is parsed). */
export function parseProviderConfig(kind: ProviderKind, config: unknown, root = 'config'): Record<string, unknown> {
  switch (kind) {
    case 'smtp':
      return parseOrThrow(smtpConfigSchema, config ?? {}, root);
    case 'capture':
      return parseOrThrow(captureConfigSchema, config ?? {}, root);
    case 'sms_http':
    case 'sms_smsru': {
      const settings = parseSmsProviderConfig(kind, config, root);
      return settings.kind === 'capture' ? {} : settings.config;
    }
  }
}

// ── masking ──

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Path = Array<string | number>;

/** Where the secrets of a config of `kind` are: each path and whether the whole subtree's literals count. */
function secretPaths(kind: ProviderKind, config: Record<string, Json>): Array<{ path: Path; literalsBelow?: boolean; url?: boolean }> {
  switch (kind) {
    case 'smtp':
      return [{ path: ['url'], url: true }];
    case 'sms_smsru':
      return [{ path: ['apiId'] }, { path: ['baseUrl'], url: true }];
    case 'sms_http': {
      const auth = (config.auth ?? {}) as Record<string, Json>;
      return [
        { path: ['url'], url: true },
        ...(['password', 'token', 'value'] as const).filter((key) => key in auth).map((key) => ({ path: ['auth', key] })),
        { path: ['headers'], literalsBelow: true },
        { path: ['query'], literalsBelow: true },
        { path: ['body', 'template'], literalsBelow: true },
      ];
    }
    case 'capture':
      return [];
  }
}

export interface MaskedConfig {
  config: Record<string, unknown>;
  /** Paths under `config` whose value is masked, e.g. `auth.token`, `url` (its password). */
  maskedFields: string[];
}

/** The config with every secret replaced by `***` (a URL keeps its user and host). */
export function maskProviderConfig(kind: ProviderKind, stored: unknown): MaskedConfig {
  const config = structuredClone(isObject(stored) ? stored : {}) as Record<string, Json>;
  const maskedFields: string[] = [];
  for (const place of secretPaths(kind, config)) {
    const value = getAt(config, place.path);
    if (value === undefined) continue;
    if (place.url) {
      if (typeof value !== 'string') continue;
      const masked = maskUrl(value);
      if (masked !== value) {
        setAt(config, place.path, masked);
        maskedFields.push(pathText(place.path));
      }
    } else if (place.literalsBelow) {
      setAt(
        config,
        place.path,
        mapLiterals(value, place.path, (path) => maskedFields.push(pathText(path))),
      );
    } else if (typeof value === 'string' && value !== '') {
      setAt(config, place.path, MASK);
      maskedFields.push(pathText(place.path));
    }
  }
  return { config, maskedFields };
}

/** `smtp://user:***@host:587`, query values masked too; a URL that does not parse is masked whole. */
export function maskUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return MASK;
  }
  let changed = false;
  if (url.password !== '') {
    url.password = MASK;
    changed = true;
  }
  for (const key of new Set(url.searchParams.keys())) {
    if (key === 'tlsRejectUnauthorized') continue; // a switch, not a secret
    url.searchParams.set(key, MASK);
    changed = true;
  }
  // URL encodes `*` in neither place, so the mask reads as written.
  return changed ? url.toString().replace(/%2A/gi, '*') : value;
}

function mapLiterals(value: Json, path: Path, masked: (path: Path) => void): Json {
  if (typeof value === 'string') {
    if (value === '' || usedPlaceholders(value).length > 0) return value;
    masked(path);
    return MASK;
  }
  if (Array.isArray(value)) return value.map((item, i) => mapLiterals(item, [...path, i], masked));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapLiterals(item, [...path, key], masked)]));
  return value;
}

// ── keeping stored secrets on an edit ──

/**
 * The edited config with the stored secrets put back where the client sent `***` (anywhere a
 * secret may be), or left a secret out: an auth of the same type without its password/token/value,
 * an SMS.ru config without apiId, a URL to the same host with the same user and no password. Runs before
 * validation; a `***` with no stored secret behind it is an error naming the field.
 */
export function keepStoredSecrets(kind: ProviderKind, input: unknown, stored: unknown, root = 'config'): unknown {
  if (!isObject(input)) return input;
  const config = structuredClone(input) as Record<string, Json>;
  const old = (isObject(stored) ? stored : {}) as Record<string, Json>;
  const issues: FieldIssue[] = [];
  for (const place of secretPaths(kind, config)) {
    const value = getAt(config, place.path);
    const before = getAt(old, place.path);
    if (place.url) {
      if (typeof value !== 'string') continue;
      const kept = restoreUrl(value, typeof before === 'string' ? before : undefined);
      if (kept === null) issues.push({ path: pathText([root, ...place.path]), message: unknownMaskMessage });
      else setAt(config, place.path, kept);
    } else if (place.literalsBelow) {
      if (value === undefined) continue;
      setAt(config, place.path, restoreLiterals(value, before, [root, ...place.path], issues));
    } else if (value === MASK || value === undefined) {
      if (typeof before === 'string') setAt(config, place.path, before);
      else if (value === MASK) issues.push({ path: pathText([root, ...place.path]), message: unknownMaskMessage });
    }
  }
  // An auth left out keeps its secret only while its type stays: secretPaths read the new config.
  if (kind === 'sms_http') restoreAuth(config, old);
  if (kind === 'sms_smsru' && config.apiId === undefined && typeof old.apiId === 'string') config.apiId = old.apiId;
  if (issues.length) throw DomainError.validation(issues);
  return config;
}

const unknownMaskMessage = `"${MASK}" stands for the stored secret, but none is stored here; give the value`;

function restoreAuth(config: Record<string, Json>, old: Record<string, Json>): void {
  const auth = config.auth;
  const before = old.auth;
  if (!isObject(auth) || !isObject(before) || auth.type !== before.type) return;
  for (const key of ['password', 'token', 'value'] as const) {
    if (auth[key] === undefined && typeof before[key] === 'string') (auth as Record<string, Json>)[key] = before[key];
  }
}

/** The URL with the stored password (and masked query values) put back; null when a mask has nothing behind it. */
function restoreUrl(value: string, before: string | undefined): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value; // validation says what is wrong with it
  }
  // A stored secret goes back only to the host it was stored for: a new host gets no old password.
  const stored = before !== undefined ? safeUrl(before) : null;
  const old = stored && stored.hostname === url.hostname ? stored : null;
  let changed = false;
  if (url.password === MASK || (url.password === '' && url.username !== '')) {
    const keep = old && old.username === url.username && old.password !== '' ? old.password : null;
    if (keep !== null) {
      url.password = keep;
      changed = true;
    } else if (url.password === MASK) return null;
  }
  for (const [key, param] of [...url.searchParams.entries()]) {
    if (param !== MASK) continue;
    const keep = old?.searchParams.get(key);
    if (keep === null || keep === undefined) return null;
    url.searchParams.set(key, keep);
    changed = true;
  }
  return changed ? url.toString() : value;
}

function restoreLiterals(value: Json, before: Json | undefined, path: Path, issues: FieldIssue[]): Json {
  if (value === MASK) {
    if (typeof before === 'string') return before;
    issues.push({ path: pathText(path), message: unknownMaskMessage });
    return value;
  }
  if (Array.isArray(value))
    return value.map((item, i) => restoreLiterals(item, Array.isArray(before) ? before[i] : undefined, [...path, i], issues));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        restoreLiterals(item, isObject(before) ? (before as Record<string, Json>)[key] : undefined, [...path, key], issues),
      ]),
    );
  return value;
}

// ── small helpers ──

function safeUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function getAt(root: Json, path: Path): Json | undefined {
  let at: Json | undefined = root;
  for (const part of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = Array.isArray(at) ? at[part as number] : Object.prototype.hasOwnProperty.call(at, part) ? at[part as string] : undefined;
  }
  return at;
}

function setAt(root: Record<string, Json>, path: Path, value: Json): void {
  let at: Json = root;
  for (const part of path.slice(0, -1)) at = (at as Record<string, Json>)[part as string];
  (at as Record<string, Json>)[path[path.length - 1] as string] = value;
}

function pathText(path: Path): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}
