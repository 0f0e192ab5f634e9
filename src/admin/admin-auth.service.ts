// Logins for the admin UI: users with a scrypt password hash, a random session token in an
// HttpOnly cookie (only its SHA-256 is stored, like API keys), and one CSRF token per session
// that every form posts back.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DomainError } from '../common/domain-error';
import { isTimeZone } from '../common/time-zone';
import type { AppConfig } from '../config/config.module';
import type { Role } from '../generated/prisma/enums';
import { AdminUsersRepository } from './admin-users.repository';
import { localeOf, type Locale } from './i18n/t';
import { generatePassword, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './password';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** A session is pushed forward at most this often, not on every page. */
const EXTEND_AFTER_MS = 60 * 60 * 1000;
// Verifying against a real-looking hash for unknown emails keeps the timing of both failures alike.
const DUMMY_HASH = hashPassword('not a password of anyone');

export interface AdminUser {
  id: number;
  email: string;
  name: string | null;
  role: Role;
}

export interface AdminSession {
  sessionId: string;
  csrfToken: string;
  user: AdminUser;
  /** The user's language for the pages. */
  locale: Locale;
  /** The zone pages show times in: the user's own, else the installation's DEFAULT_TIME_ZONE. */
  timeZone: string;
  /** The path of the page being shown (the navigation marks it); set by the session guard. */
  path: string;
}

/** A secret shown once on the page after a redirect (a new API key or password), with its expiry. */
export interface Flash {
  kind: 'apiKey' | 'password' | 'testSent';
  name: string;
  value: string;
  expiresAt: number;
}
const FLASH_TTL_MS = 2 * 60 * 1000;

export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

@Injectable()
export class AdminAuthService {
  private readonly defaultTimeZone: string;

  constructor(
    private readonly users: AdminUsersRepository,
    @Optional() @Inject(ConfigService) config?: AppConfig,
  ) {
    this.defaultTimeZone = config?.get('DEFAULT_TIME_ZONE', { infer: true }) ?? 'Europe/Moscow';
  }

  /** The installation's zone, used for users that chose none. */
  get installationTimeZone(): string {
    return this.defaultTimeZone;
  }

  /** A new session token for the cookie, or null for a wrong email/password or a disabled user. */
  async login(email: string, password: string, now = new Date()): Promise<{ token: string; expiresAt: Date } | null> {
    const user = await this.users.findByEmail(email.trim().toLowerCase());
    const ok = await verifyPassword(password, user?.passwordHash ?? (await DUMMY_HASH));
    if (!user || !ok || user.disabledAt) return null;
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    await this.users.createSession({
      id: sessionIdOf(token),
      userId: user.id,
      csrfToken: randomBytes(24).toString('base64url'),
      expiresAt,
    });
    return { token, expiresAt };
  }

  async session(token: string | undefined, now = new Date()): Promise<AdminSession | null> {
    if (!token || token.length > 100) return null;
    const found = await this.users.findSession(sessionIdOf(token), now);
    if (!found) return null;
    if (found.expiresAt.getTime() - now.getTime() < SESSION_TTL_MS - EXTEND_AFTER_MS) {
      await this.users.extendSession(found.id, new Date(now.getTime() + SESSION_TTL_MS));
    }
    const { id, email, name, role, locale, timeZone } = found.user;
    return {
      sessionId: found.id,
      csrfToken: found.csrfToken,
      user: { id, email, name, role },
      locale: localeOf(locale),
      timeZone: timeZone && isTimeZone(timeZone) ? timeZone : this.defaultTimeZone,
      path: '',
    };
  }

  async logout(sessionId: string): Promise<void> {
    await this.users.deleteSession(sessionId);
  }

  /** Creates a user; without a password one is generated and returned (to print once). */
  async createUser(input: { email: string; role: Role; name?: string | null; password?: string }) {
    const email = input.email.trim().toLowerCase();
    if (!/^[^\s@]+@[^\s@]+$/.test(email))
      throw DomainError.validation([{ path: 'email', message: `"${input.email}" is not an email address` }]);
    if (input.password !== undefined && input.password.length < MIN_PASSWORD_LENGTH) {
      throw DomainError.validation([{ path: 'password', message: `must be at least ${MIN_PASSWORD_LENGTH} characters` }]);
    }
    if (await this.users.findByEmail(email)) throw new DomainError('conflict', `A user with email ${email} exists already`);
    const password = input.password ?? generatePassword();
    const user = await this.users.create({ email, name: input.name ?? null, role: input.role, passwordHash: await hashPassword(password) });
    return { user, password: input.password === undefined ? password : null };
  }

  listUsers() {
    return this.users.list();
  }

  /** A new generated password for an existing user (returned to print once); their sessions end. */
  async resetPassword(email: string) {
    const user = await this.users.findByEmail(email.trim().toLowerCase());
    if (!user) throw DomainError.notFound('User', email);
    const password = generatePassword();
    await this.users.setPassword(user.id, await hashPassword(password));
    return { user: { email: user.email, role: user.role }, password };
  }

  findUser(email: string) {
    return this.users.findByEmail(email.trim().toLowerCase());
  }

  /** The user's language and zone (null: the installation's); the zone must be an IANA name. */
  async setPreferences(userId: number, input: { locale: Locale; timeZone: string | null }): Promise<void> {
    if (input.timeZone !== null && !isTimeZone(input.timeZone))
      throw DomainError.validation([{ path: 'timeZone', message: `"${input.timeZone}" is not an IANA time zone such as Europe/Moscow` }]);
    await this.users.setPreferences(userId, input);
  }

  async setLocale(userId: number, locale: Locale): Promise<void> {
    await this.users.setPreferences(userId, { locale });
  }

  /** Keeps a secret for the next page of this session only (redirect after POST). */
  async putFlash(sessionId: string, flash: Omit<Flash, 'expiresAt'>, now = new Date()): Promise<void> {
    await this.users.setFlash(sessionId, { ...flash, expiresAt: now.getTime() + FLASH_TTL_MS });
  }

  /** The session's flash, once: it is cleared as it is read, and an expired one is dropped unread. */
  async takeFlash(sessionId: string, now = new Date()): Promise<Flash | null> {
    const flash = (await this.users.takeFlash(sessionId)) as Flash | null;
    return flash && typeof flash.value === 'string' && flash.expiresAt > now.getTime() ? flash : null;
  }
}

/** Constant-time comparison of the posted CSRF token with the session's. */
export function csrfMatches(session: AdminSession, posted: unknown): boolean {
  if (typeof posted !== 'string') return false;
  const a = Buffer.from(posted);
  const b = Buffer.from(session.csrfToken);
  return a.length === b.length && timingSafeEqual(a, b);
}
