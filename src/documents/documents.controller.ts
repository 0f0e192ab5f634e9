import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { z } from 'zod';
import { ApiFileResponse, ApiZodBody, ApiZodQuery, ApiZodResponse, IdPipe, parseOrThrow, ZodPipe } from '../common/zod-validation';
import { addedVersion, documentView, documentWithVersions, storedAttachment } from './dto/document-response.dto';
import { documentListQuery, fileSchema, newDocumentSchema, versionNumberText } from './dto/documents.dto';
import { DocumentsService } from './documents.service';

function fileOf(body: z.infer<typeof fileSchema>) {
  return { filename: body.filename, contentType: body.contentType, data: Buffer.from(body.contentBase64, 'base64') };
}

@ApiTags('documents')
@ApiBearerAuth()
@Controller()
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  /** A document (a price list) with its first version. */
  @Post('documents')
  @ApiZodBody(newDocumentSchema)
  @ApiZodResponse(201, documentView, 'Created')
  create(@Body(new ZodPipe(newDocumentSchema)) body: z.infer<typeof newDocumentSchema>) {
    return this.documents.create({ kind: body.kind, name: body.name }, fileOf(body));
  }

  @Get('documents')
  @ApiZodQuery(documentListQuery)
  @ApiZodResponse(200, documentView.array())
  list(@Query() query: unknown) {
    return this.documents.list(parseOrThrow(documentListQuery, query, 'query'));
  }

  @Get('documents/:id')
  @ApiZodResponse(200, documentWithVersions)
  get(@Param('id', IdPipe) id: number) {
    return this.documents.get(id);
  }

  /** A new version: the next run of every campaign attaching the document sends it. */
  @Post('documents/:id/versions')
  @ApiZodBody(fileSchema)
  @ApiZodResponse(201, addedVersion, 'Added (created: false when it is the latest version again)')
  addVersion(@Param('id', IdPipe) id: number, @Body(new ZodPipe(fileSchema)) body: z.infer<typeof fileSchema>) {
    return this.documents.addVersion(id, fileOf(body));
  }

  @Get('documents/:id/versions/:number/content')
  @ApiFileResponse('application/octet-stream', 'The version as uploaded, under its file name')
  async content(
    @Param('id', IdPipe) id: number,
    @Param('number', new ZodPipe(versionNumberText)) number: number,
    @Res() response: Response,
  ): Promise<void> {
    const file = await this.documents.content(id, number);
    response
      .status(200)
      .set({
        'content-type': file.contentType,
        'content-disposition': `attachment; filename="${asciiFallback(file.filename)}"; filename*=UTF-8''${encodeRfc5987(file.filename)}`,
        'cache-control': 'no-store',
      })
      .send(file.data);
  }

  /** A file to attach to campaigns, as before documents: a new document with one version. */
  @Post('attachments')
  @ApiZodBody(fileSchema)
  @ApiZodResponse(201, storedAttachment, 'Stored')
  storeAttachment(@Body(new ZodPipe(fileSchema)) body: z.infer<typeof fileSchema>) {
    return this.documents.storeAttachment(fileOf(body));
  }
}

/** The name for clients that do not read `filename*`: non-ASCII, quotes and backslashes as `_`. */
function asciiFallback(name: string): string {
  return name.replace(/[^\x20-\x7e]|["\\]/g, '_');
}

/** RFC 5987 value: UTF-8, percent-encoded beyond the attr-chars. */
function encodeRfc5987(name: string): string {
  return encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
