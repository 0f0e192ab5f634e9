// The one row of brand_settings (id 1).
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { BrandSettings } from './brand';

const ROW_ID = 1;

@Injectable()
export class BrandRepository {
  constructor(private readonly prisma: PrismaService) {}

  find() {
    return this.prisma.brandSettings.findUnique({ where: { id: ROW_ID } });
  }

  save(settings: BrandSettings) {
    return this.prisma.brandSettings.upsert({ where: { id: ROW_ID }, create: { id: ROW_ID, ...settings }, update: settings });
  }
}
