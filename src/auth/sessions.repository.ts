import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';

@Injectable()
export class SessionsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async deleteExpired(now: Date): Promise<number> {
    const result = await this.prisma.session.deleteMany({ where: { expiresAt: { lt: now } } });
    return result.count;
  }
}
