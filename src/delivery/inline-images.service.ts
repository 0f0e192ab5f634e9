// A template's embedImages in the send path: Otklik's own images in a message's HTML become
// inline CID parts (mime/inline-images.ts rewrites, mime/raw-email.ts builds the parts). Each
// image's part is encoded once and kept by sha256 in a bounded cache, so a campaign reads an
// image from the database once per process; a template that does not ask costs one cached
// lookup of its setting and nothing else.
import { Injectable } from '@nestjs/common';
import { ByteBudgetCache } from '../common/byte-budget-cache';
import { ImagesService } from '../documents/images.service';
import { TemplatesService } from '../templates/templates.service';
import { embedOwnImages } from './mime/inline-images';
import { prepareInlineImage, type PreparedAttachment } from './mime/raw-email';

/** Encoded image parts kept per process (base64 adds a third to an image's bytes). */
const CACHE_BYTES = 32 << 20;

/** No stored image has this hash (or it is served under another extension): its URL stays. */
class NoSuchImage extends Error {}

@Injectable()
export class InlineImages {
  private readonly parts = new ByteBudgetCache<PreparedAttachment>(CACHE_BYTES, (part) => part.part.length);

  constructor(
    private readonly images: ImagesService,
    private readonly templates: TemplatesService,
  ) {}

  /** The HTML to send for a message of `versionId`, and the inline parts it names (none unless the template asks). */
  async embed(versionId: number, html: string | undefined): Promise<{ html: string | undefined; inline: PreparedAttachment[] }> {
    if (html === undefined || !(await this.templates.embedsImages(versionId))) return { html, inline: [] };
    const baseUrl = this.images.baseUrl;
    const wanted = embedOwnImages(html, baseUrl).images;
    if (!wanted.length) return { html, inline: [] };
    const found = new Map<string, PreparedAttachment>();
    for (const image of wanted) {
      const part = await this.part(image.sha256, image.extension);
      if (part) found.set(image.sha256, part);
    }
    const embedded = embedOwnImages(html, baseUrl, (image) => found.has(image.sha256));
    return { html: embedded.html, inline: embedded.images.map((image) => found.get(image.sha256)!) };
  }

  private async part(sha256: string, extension: string): Promise<PreparedAttachment | null> {
    try {
      return await this.parts.get(`${sha256}.${extension}`, async () => {
        const image = await this.images.served(`${sha256}.${extension}`);
        if (!image) throw new NoSuchImage(sha256);
        return prepareInlineImage({
          contentId: `${sha256}@otklik`,
          filename: `image-${sha256.slice(0, 12)}.${extension}`,
          contentType: image.contentType,
          content: image.data,
        });
      });
    } catch (error) {
      if (error instanceof NoSuchImage) return null;
      throw error;
    }
  }
}
