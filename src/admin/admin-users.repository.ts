// Users and their UI sessions: the only file of the admin module that touches them in Prisma.
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import type { Role } from '../generated/prisma/enums';

const LISTED = { id: true, email: true, name: true, role: true, createdAt: true, disabledAt: true, locale: true, timeZone: true } as const;

@Injectable()
export class AdminUsersRepository {
  constructor(private readonly prisma: PrismaService) {}

  findByEmail(email: string) {
    return this.prisma.user.findUnique({ where: { email }, select: { ...LISTED, passwordHash: true } });
  }

  create(data: { email: string; name: string | null; role: Role; passwordHash: string }) {
    return this.prisma.user.create({ data, select: LISTED });
  }

  list() {
    return this.prisma.user.findMany({ orderBy: { id: 'asc' }, select: LISTED });
  }

  createSession(data: { id: string; userId: number; csrfToken: string; expiresAt: Date }) {
    return this.prisma.session.create({ data });
  }

  /** The live session with its user, or null when expired, unknown or the user is disabled. */
  async findSession(id: string, now: Date) {
    const session = await this.prisma.session.findUnique({
      where: { id },
      select: { id: true, csrfToken: true, expiresAt: true, user: { select: LISTED } },
    });
    if (!session || session.expiresAt <= now || session.user.disabledAt) return null;
    return session;
  }

  async extendSession(id: string, expiresAt: Date): Promise<void> {
    await this.prisma.session.updateMany({ where: { id }, data: { expiresAt } });
  }

  /** A new password hash; every session of the user ends with it. */
  async setPassword(id: number, passwordHash: string): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.user.update({ where: { id }, data: { passwordHash } }),
      this.prisma.session.deleteMany({ where: { userId: id } }),
    ]);
  }

  async setPreferences(id: number, data: { locale?: string; timeZone?: string | null }): Promise<void> {
    await this.prisma.user.update({ where: { id }, data });
  }

  async setFlash(sessionId: string, flash: Prisma.InputJsonValue): Promise<void> {
    await this.prisma.session.updateMany({ where: { id: sessionId }, data: { flash } });
  }

  /** Reads and clears the session's flash in one statement, so two tabs never both get it. */
  async takeFlash(sessionId: string): Promise<unknown> {
    const rows = await this.prisma.$queryRaw<Array<{ flash: unknown }>>`
      UPDATE sessions s SET flash = NULL FROM (SELECT id, flash FROM sessions WHERE id = ${sessionId} FOR UPDATE) old
       WHERE s.id = old.id AND old.flash IS NOT NULL RETURNING old.flash`;
    return rows[0]?.flash ?? null;
  }

  async deleteSession(id: string): Promise<void> {
    await this.prisma.session.deleteMany({ where: { id } });
  }
}
