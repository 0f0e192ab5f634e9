// The images table: one row per distinct image content, its bytes in the documents' content
// store (document_contents, storedContentId). Nothing else writes it.
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { storedContentId } from './documents.repository';

export interface NewImage {
  sha256: string;
  contentType: string;
  size: number;
  width: number;
  height: number;
  filename: string;
  createdBy: string;
  data: Buffer;
}

export const IMAGE_VIEW = {
  id: true,
  sha256: true,
  contentType: true,
  size: true,
  width: true,
  height: true,
  filename: true,
  createdBy: true,
  createdAt: true,
} as const;

@Injectable()
export class ImagesRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The image with these bytes: stored now, or the row an earlier upload made (created: false). */
  async store(image: NewImage) {
    const existing = await this.bySha256(image.sha256);
    if (existing) return { created: false, image: existing };
    return this.prisma.$transaction(async (tx) => {
      const contentId = await storedContentId(tx, image);
      // Two uploads of the same bytes at once: one inserts, the other finds its row.
      const inserted = await tx.$queryRaw<Array<{ id: number }>>`
        INSERT INTO images (sha256, content_type, size, width, height, filename, content_id, created_by)
        VALUES (${image.sha256}, ${image.contentType}, ${image.size}, ${image.width}, ${image.height},
                ${image.filename}, ${contentId}, ${image.createdBy})
        ON CONFLICT (sha256) DO NOTHING RETURNING id`;
      const row = await tx.image.findUniqueOrThrow({ where: { sha256: image.sha256 }, select: IMAGE_VIEW });
      return { created: inserted.length > 0, image: row };
    });
  }

  bySha256(sha256: string) {
    return this.prisma.image.findUnique({ where: { sha256 }, select: IMAGE_VIEW });
  }

  /** Newest first; `before` an id for the next page. */
  list(filter: { before?: number; limit: number }) {
    return this.prisma.image.findMany({
      where: filter.before !== undefined ? { id: { lt: filter.before } } : undefined,
      orderBy: { id: 'desc' },
      take: filter.limit,
      select: IMAGE_VIEW,
    });
  }

  /** The bytes and type of the image with this hash, or null. */
  async content(sha256: string): Promise<{ contentType: string; data: Buffer } | null> {
    const rows = await this.prisma.$queryRaw<Array<{ content_type: string; data: Uint8Array }>>`
      SELECT i.content_type, c.data FROM images i JOIN document_contents c ON c.id = i.content_id WHERE i.sha256 = ${sha256}`;
    const row = rows[0];
    return row ? { contentType: row.content_type, data: Buffer.from(row.data) } : null;
  }
}
