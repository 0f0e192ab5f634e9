// The dkim_keys table (delivery owns it).
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service';

export interface DkimKeyRow {
  domain: string;
  selector: string;
  privateKeyEncrypted: string;
  publicKey: string;
  bits: number;
}

@Injectable()
export class DkimKeysRepository {
  constructor(private readonly prisma: PrismaService) {}

  list(domain?: string) {
    return this.prisma.dkimKey.findMany({
      where: domain ? { domain } : {},
      orderBy: [{ domain: 'asc' }, { createdAt: 'desc' }, { id: 'desc' }],
    });
  }

  /** Every active key with its sealed private key, for signing. */
  listActive() {
    return this.prisma.dkimKey.findMany({ where: { active: true } });
  }

  find(id: number) {
    return this.prisma.dkimKey.findUnique({ where: { id } });
  }

  create(row: DkimKeyRow) {
    return this.prisma.dkimKey.create({ data: row });
  }

  setActive(id: number, active: boolean) {
    return this.prisma.dkimKey.update({ where: { id }, data: { active } });
  }

  /** Seals a key again (after a SECRET_KEY rotation), unless it changed meanwhile. */
  reseal(id: number, before: string, after: string) {
    return this.prisma.dkimKey.updateMany({ where: { id, privateKeyEncrypted: before }, data: { privateKeyEncrypted: after } });
  }

  delete(id: number) {
    return this.prisma.dkimKey.delete({ where: { id } });
  }
}
