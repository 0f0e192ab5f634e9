import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Role } from '../generated/prisma/enums';

const LISTED = { id: true, name: true, prefix: true, role: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const;

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly prisma: PrismaService) {}

  findActiveByHash(keyHash: string) {
    return this.prisma.apiKey.findFirst({ where: { keyHash, revokedAt: null }, select: { id: true, role: true, lastUsedAt: true } });
  }

  create(data: { name: string; prefix: string; keyHash: string; role: Role }) {
    return this.prisma.apiKey.create({ data, select: LISTED });
  }

  list() {
    return this.prisma.apiKey.findMany({ orderBy: { id: 'asc' }, select: LISTED });
  }

  async revoke(id: number): Promise<boolean> {
    const result = await this.prisma.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
    return result.count > 0;
  }

  async touch(id: number, at: Date): Promise<void> {
    await this.prisma.apiKey.update({ where: { id }, data: { lastUsedAt: at } });
  }
}
