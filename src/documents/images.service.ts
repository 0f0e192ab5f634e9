// Images for templates: uploaded once per content (checked by image-check.ts), served at
// `<PUBLIC_URL>/images/<sha256>.<ext>` with caching headers, and read by delivery to embed
// them as CID parts when a template asks.
import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ByteBudgetCache } from '../common/byte-budget-cache';
import { DomainError } from '../common/domain-error';
import type { AppConfig } from '../config/config.module';
import { checkImage, IMAGE_TYPES, imageRefusalText, imagesBaseUrl, type ImageRefusal } from './image-check';
import { ImagesRepository } from './images.repository';

/** An upload the image rules refuse: the reason and its numbers, for each edge to say in its language. */
export class ImageRefused extends DomainError {
  constructor(readonly refusal: ImageRefusal) {
    super('validation_failed', imageRefusalText(refusal), [{ path: 'contentBase64', message: imageRefusalText(refusal) }]);
  }
}

/** `<sha256>.<ext>`: the file name an image is served under. */
const SERVED_NAME = /^([0-9a-f]{64})\.(png|jpg|gif|webp)$/;
/** Image bytes kept per process (a hash names the same bytes forever, so nothing goes stale). */
const CACHE_BYTES = 32 * 1024 * 1024;

class NoImage extends Error {}

export interface ImageView {
  id: number;
  url: string;
  sha256: string;
  contentType: string;
  size: number;
  width: number;
  height: number;
  filename: string;
  createdAt: Date;
}

@Injectable()
export class ImagesService {
  /**
   * Bytes by hash: the public route (fetched by mail clients' image proxies in bursts, without a
   * rate limit) and delivery's CID parts read each image from the database once per process. An
   * unknown hash is not kept (strangers could otherwise fill the cache with misses).
   */
  private readonly bytes = new ByteBudgetCache<{ contentType: string; data: Buffer }>(CACHE_BYTES, (image) => image.data.length);

  constructor(
    private readonly images: ImagesRepository,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {}

  get maxBytes(): number {
    return this.config.get('IMAGE_MAX_BYTES', { infer: true });
  }

  /** Where Otklik serves its images: `<PUBLIC_URL>/images/`. */
  get baseUrl(): string {
    return imagesBaseUrl(this.config.get('PUBLIC_URL', { infer: true }));
  }

  /**
   * Stores an uploaded image, or finds it: the same bytes again (under any name) answer the
   * image stored first, with `created: false`. Throws ImageRefused for anything but a PNG,
   * JPEG, GIF or WebP within the size and dimension limits.
   */
  async upload(file: { filename: string; data: Buffer }, createdBy: string): Promise<{ created: boolean; image: ImageView }> {
    const check = checkImage(file.filename, file.data, this.maxBytes);
    if (!check.ok) throw new ImageRefused(check.refusal);
    const { image } = check;
    const sha256 = createHash('sha256').update(file.data).digest('hex');
    const stored = await this.images.store({
      sha256,
      contentType: image.contentType,
      size: image.size,
      width: image.width,
      height: image.height,
      filename: file.filename,
      createdBy,
      data: file.data,
    });
    return { created: stored.created, image: this.view(stored.image) };
  }

  async list(filter: { before?: number; limit: number }): Promise<ImageView[]> {
    return (await this.images.list(filter)).map((row) => this.view(row));
  }

  /** The image served as `name` (`<sha256>.<ext>`), or null: an unknown hash, or another type's extension. */
  async served(name: string): Promise<{ sha256: string; contentType: string; data: Buffer } | null> {
    const match = SERVED_NAME.exec(name);
    if (!match) return null;
    const [, sha256, extension] = match;
    const found = await this.content(sha256);
    if (!found || extensionOf(found.contentType) !== extension) return null;
    return { sha256, ...found };
  }

  /** The bytes of an image by its hash (the public route, delivery's CID parts); null when no image has it. */
  async content(sha256: string): Promise<{ contentType: string; data: Buffer } | null> {
    try {
      return await this.bytes.get(sha256, async () => {
        const found = await this.images.content(sha256);
        if (!found) throw new NoImage();
        return found;
      });
    } catch (error) {
      if (error instanceof NoImage) return null;
      throw error;
    }
  }

  private view(row: {
    id: number;
    sha256: string;
    contentType: string;
    size: number;
    width: number;
    height: number;
    filename: string;
    createdAt: Date;
  }): ImageView {
    return {
      id: row.id,
      url: `${this.baseUrl}${row.sha256}.${extensionOf(row.contentType)}`,
      sha256: row.sha256,
      contentType: row.contentType,
      size: row.size,
      width: row.width,
      height: row.height,
      filename: row.filename,
      createdAt: row.createdAt,
    };
  }
}

function extensionOf(contentType: string): string | undefined {
  return Object.values(IMAGE_TYPES).find((t) => t.contentType === contentType)?.extension;
}
