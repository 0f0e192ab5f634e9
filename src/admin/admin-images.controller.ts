// Images for the content studio: the visual builder's asset manager uploads here (multipart,
// field `file`, the session's CSRF token in the x-csrf-token header) and lists what is there.
// JSON both ways, refusals in the user's language naming the file and the limit.
import { Controller, Get, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import type { ImageRefusal } from '../documents/image-check';
import { ImageRefused, ImagesService } from '../documents/images.service';
import { AdminErrorFilter, AdminSessionGuard, type AdminRequest } from './admin-http';
import { MalformedUpload, readUploadForm } from './admin-upload';
import { fileSize } from './views/imports';
import { ui, type Ui } from './views/layout';

/** What the builder's asset manager lists at most. */
const LIST_LIMIT = 200;

/** The file went past the size limit while it was read: the rest is not read. */
class TooBig extends Error {
  constructor(readonly filename: string) {
    super(filename);
  }
}

@ApiExcludeController()
@Public()
@UseGuards(AdminSessionGuard)
@UseFilters(AdminErrorFilter)
@Controller('admin/images')
export class AdminImagesController {
  constructor(private readonly images: ImagesService) {}

  /** 201 `{ url, sha256, contentType, size, width, height, filename }` (200 for bytes stored before); 400 `{ error }`. */
  @Post()
  async upload(@Req() request: AdminRequest, @Res() response: Response): Promise<void> {
    const session = request.adminSession!;
    const u = ui(session);
    const refuse = (error: string) => sendJson(response, 400, { error });
    if (!/^multipart\/form-data/i.test(request.get('content-type') ?? '')) return refuse(u.t('img.noFile'));
    const maxBytes = this.images.maxBytes;
    let stored: Awaited<ReturnType<ImagesService['upload']>> | undefined;
    try {
      const form = await readUploadForm(request, 'file', async (_fields, file) => {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of file.stream as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > maxBytes) throw new TooBig(file.filename);
          chunks.push(chunk);
        }
        return this.images.upload({ filename: file.filename, data: Buffer.concat(chunks) }, `admin UI: ${session.user.email}`);
      });
      stored = form.file;
    } catch (error) {
      if (error instanceof TooBig) return refuse(u.t('img.size', { file: error.filename, limit: fileSize(u, maxBytes) }));
      if (error instanceof ImageRefused) return refuse(refusalText(u, error.refusal));
      if (error instanceof MalformedUpload) return refuse(u.t('img.noFile'));
      throw error;
    }
    if (!stored) return refuse(u.t('img.noFile'));
    const { image } = stored;
    sendJson(response, stored.created ? 201 : 200, {
      url: image.url,
      sha256: image.sha256,
      contentType: image.contentType,
      size: image.size,
      width: image.width,
      height: image.height,
      filename: image.filename,
    });
  }

  /** `{ images: [{ url, filename, width, height, size }] }`, newest first. */
  @Get()
  async list(@Res() response: Response): Promise<void> {
    const images = await this.images.list({ limit: LIST_LIMIT });
    sendJson(response, 200, {
      images: images.map((i) => ({ url: i.url, filename: i.filename, width: i.width, height: i.height, size: i.size })),
    });
  }
}

function sendJson(response: Response, status: number, body: unknown): void {
  response.status(status).set({ 'cache-control': 'no-store, private', 'x-content-type-options': 'nosniff' }).json(body);
}

function refusalText(u: Ui, refusal: ImageRefusal): string {
  const file = refusal.filename;
  switch (refusal.reason) {
    case 'empty':
    case 'svg':
    case 'type':
      return u.t(`img.${refusal.reason}`, { file });
    case 'unreadable':
      return u.t('img.unreadable', { file, type: refusal.type.toUpperCase() });
    case 'size':
      return u.t('img.size', { file, limit: fileSize(u, refusal.limit) });
    case 'dimensions':
      // as digits, no thousands separator: 8000×8000 is how image sizes are written
      return u.t('img.dimensions', { file, width: String(refusal.width), height: String(refusal.height), limit: String(refusal.limit) });
  }
}
