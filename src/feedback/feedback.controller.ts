import { Body, Controller, Get, Header, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentPrincipal, RequireRole, type Principal } from '../auth/auth.decorators';
import { DomainError } from '../common/domain-error';
import {
  ApiFileResponse,
  ApiZodBody,
  ApiZodQuery,
  ApiZodResponse,
  BigIdPipe,
  IdPipe,
  parseOrThrow,
  ZodPipe,
} from '../common/zod-validation';
import { keysetPage } from '../customers/keyset-page';
import { sourceOf } from '../customers/principal-source';
import { CleanupService } from './cleanup.service';
import {
  bounceListQuery,
  cleanupLogQuery,
  complaintListQuery,
  inboundListQuery,
  inboundUploadSchema,
  leadListQuery,
} from './dto/feedback.dto';
import {
  bouncePage,
  cleanupApplied,
  cleanupPage,
  cleanupUndone,
  complaintPage,
  inboundDetail,
  inboundPage,
  inboundReceived,
  leadPage,
} from './dto/feedback-response.dto';
import { FeedbackReportsRepository } from './feedback-reports.repository';
import { FeedbackService } from './feedback.service';
import { InboundRepository } from './inbound.repository';
import { InboundIntakeService } from './intake/inbound-intake.service';

/** Reading needs a viewer; raw messages, uploads, retries and undo need an admin. */
@ApiTags('feedback')
@ApiBearerAuth()
@Controller('feedback')
export class FeedbackController {
  constructor(
    private readonly inbound: InboundRepository,
    private readonly reports: FeedbackReportsRepository,
    private readonly intake: InboundIntakeService,
    private readonly processing: FeedbackService,
    private readonly cleanup: CleanupService,
  ) {}

  /** Inbound messages, newest first, without their raw bytes. */
  @Get('inbound')
  @ApiZodQuery(inboundListQuery)
  @ApiZodResponse(200, inboundPage)
  async listInbound(@Query() query: unknown) {
    const filter = parseOrThrow(inboundListQuery, query, 'query');
    return keysetPage(await this.inbound.list(filter), filter.limit);
  }

  @Get('inbound/:id')
  @ApiZodResponse(200, inboundDetail)
  async getInbound(@Param('id', BigIdPipe) id: bigint) {
    const row = await this.inbound.get(id);
    if (!row) throw DomainError.notFound('Inbound message', id);
    return row;
  }

  /** The message exactly as received (or its stored first part when truncated). */
  @Get('inbound/:id/raw')
  @ApiFileResponse('message/rfc822', 'The message as it was received')
  @RequireRole('admin')
  @Header('content-type', 'message/rfc822')
  async rawInbound(@Param('id', BigIdPipe) id: bigint) {
    const row = await this.inbound.raw(id);
    if (!row) throw DomainError.notFound('Inbound message', id);
    return new StreamableFile(Buffer.from(row.raw));
  }

  /** Hands in a raw message (a mailbox forwarded by hand, a test): stored and processed like SMTP intake. */
  @Post('inbound')
  @RequireRole('admin')
  @ApiZodBody(inboundUploadSchema)
  @ApiZodResponse(201, inboundReceived, 'Stored, to be classified')
  async upload(@Body(new ZodPipe(inboundUploadSchema)) body: z.infer<typeof inboundUploadSchema>) {
    const raw = Buffer.from(body.rawBase64, 'base64');
    if (raw.length === 0) throw DomainError.validation([{ path: 'rawBase64', message: 'decodes to nothing' }]);
    const id = await this.intake.receive({
      source: 'api',
      raw,
      size: raw.length,
      envelopeFrom: body.envelopeFrom,
      envelopeTo: body.envelopeTo,
    });
    return { id, status: 'received' };
  }

  /** Classifies an unclassified message again (after the rules were extended). */
  @Post('inbound/:id/retry')
  @ApiZodResponse(201, inboundReceived, 'To be classified again')
  @RequireRole('admin')
  async retry(@Param('id', BigIdPipe) id: bigint) {
    const row = await this.inbound.get(id);
    if (!row) throw DomainError.notFound('Inbound message', id);
    if (!(await this.inbound.resetForRetry(id))) {
      throw new DomainError(
        'invalid_state',
        `Inbound message ${id} is ${row.status}${row.truncated ? ' (truncated)' : ''}: only a complete unclassified message can be retried`,
      );
    }
    await this.processing.enqueue(id);
    return { id, status: 'received' };
  }

  @Get('bounces')
  @ApiZodQuery(bounceListQuery)
  @ApiZodResponse(200, bouncePage)
  async bounces(@Query() query: unknown) {
    const filter = parseOrThrow(bounceListQuery, query, 'query');
    return keysetPage(await this.reports.bounces(filter), filter.limit);
  }

  @Get('leads')
  @ApiZodQuery(leadListQuery)
  @ApiZodResponse(200, leadPage)
  async leads(@Query() query: unknown) {
    const filter = parseOrThrow(leadListQuery, query, 'query');
    return keysetPage(await this.reports.leads(filter), filter.limit);
  }

  @Get('complaints')
  @ApiZodQuery(complaintListQuery)
  @ApiZodResponse(200, complaintPage)
  async complaints(@Query() query: unknown) {
    const filter = parseOrThrow(complaintListQuery, query, 'query');
    return keysetPage(await this.reports.complaints(filter), filter.limit);
  }

  /** What the feedback loop did to the base, with the inbound message as evidence. */
  @Get('cleanup-log')
  @ApiZodQuery(cleanupLogQuery)
  @ApiZodResponse(200, cleanupPage)
  async cleanupLog(@Query() query: unknown) {
    const { inboundId: inboundMessageId, ...filter } = parseOrThrow(cleanupLogQuery, query, 'query');
    return keysetPage(await this.reports.cleanupLog({ ...filter, inboundMessageId }), filter.limit);
  }

  /** Reverses one cleanup action (suppression, unsubscribe, invalid or retired address, created contact). */
  @Post('cleanup-log/:id/undo')
  @ApiZodResponse(201, cleanupUndone)
  @RequireRole('admin')
  undo(@Param('id', IdPipe) id: number, @CurrentPrincipal() principal?: Principal) {
    return this.cleanup.undo(id, sourceOf(principal));
  }

  /** Applies a change the loop withheld (the message did not prove it may make it): the admin vouches for it. */
  @Post('cleanup-log/:id/apply')
  @ApiZodResponse(201, cleanupApplied)
  @RequireRole('admin')
  applyWithheld(@Param('id', IdPipe) id: number, @CurrentPrincipal() principal?: Principal) {
    return this.processing.applyWithheld(id, sourceOf(principal));
  }
}
