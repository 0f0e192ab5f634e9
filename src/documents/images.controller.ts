import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { Principal, Public, CurrentPrincipal } from '../auth/auth.decorators';
import { ApiFileResponse, ApiZodBody, ApiZodQuery, ApiZodResponse, parseOrThrow, ZodPipe } from '../common/zod-validation';
import { imageListQuery, imageView, newImageSchema } from './dto/images.dto';
import { ImagesService } from './images.service';

/** A year: an image's URL names its content, so it never changes. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

@ApiTags('images')
@Controller()
export class ImagesController {
  constructor(private readonly images: ImagesService) {}

  /**
   * An image for templates: PNG, JPEG, GIF or WebP, judged by its bytes (SVG and anything else
   * refused), at most IMAGE_MAX_BYTES and 8000×8000 pixels. The same bytes again answer 200 with
   * the image stored first (one row, the same URL).
   */
  @Post('images')
  @ApiBearerAuth()
  @ApiZodBody(newImageSchema)
  @ApiZodResponse(201, imageView, 'Stored')
  @ApiZodResponse(200, imageView, 'The same bytes were stored before: that image')
  async upload(
    @Body(new ZodPipe(newImageSchema)) body: z.infer<typeof newImageSchema>,
    @CurrentPrincipal() principal: Principal | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const data = Buffer.from(body.contentBase64, 'base64');
    const { created, image } = await this.images.upload({ filename: body.filename, data }, principal ? `api_key:${principal.id}` : 'api');
    response.status(created ? 201 : 200);
    return image;
  }

  @Get('images')
  @ApiBearerAuth()
  @ApiZodQuery(imageListQuery)
  @ApiZodResponse(200, imageView.array(), 'Newest first')
  list(@Query() query: unknown) {
    return this.images.list(parseOrThrow(imageListQuery, query, 'query'));
  }

  /** Public (mail clients fetch it): the image under its content's name, cached for a year. */
  @Get('images/:file')
  @Public()
  @ApiOperation({ summary: 'An image as mail clients fetch it: `<sha256>.<ext>`, no key needed' })
  @ApiFileResponse('image/*', 'The image; 404 for an unknown hash or another extension than its type')
  async serve(@Param('file') file: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const image = await this.images.served(file);
    if (!image) {
      response
        .status(404)
        .set({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' })
        .json({
          error: 'not_found',
          message: `No image ${file.slice(0, 80)}`,
        });
      return;
    }
    const etag = `"${image.sha256}"`;
    const headers = {
      'cache-control': IMMUTABLE,
      etag,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'",
      'cross-origin-resource-policy': 'cross-origin',
    };
    // A client (or proxy) holding it asks again with its tag: the same name is always the same bytes.
    const known = (request.get('if-none-match') ?? '').split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    if (known.includes(etag) || known.includes('*')) {
      response.status(304).set(headers).end();
      return;
    }
    response
      .status(200)
      .set({
        'content-type': image.contentType,
        ...headers,
      })
      .send(image.data);
  }
}
