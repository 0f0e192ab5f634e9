import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { rowCursorText, rowId } from '../common/ids';
import { timeZoneSchema } from '../common/time-zone';
import { ApiZodBody, ApiZodQuery, ApiZodResponse, IdPipe, ZodPipe, parseOrThrow } from '../common/zod-validation';
import { campaignRuns, campaignView, storedAttachment } from './dto/campaign-response.dto';
import { localTimeSchema, sendingWindowSchema } from './dto/local-time.dto';
import { cronProblem } from './campaign-schedule';
import { CampaignsService } from './campaigns.service';

const timeZone = timeZoneSchema;

const scheduleSchema = z.discriminatedUnion('kind', [
  // timeZone: the zone of the run's date for a local-time campaign (and of the cron for a recurring one).
  z.object({ kind: z.literal('now'), timeZone: timeZone.default('Europe/Moscow') }),
  z.object({ kind: z.literal('at'), at: z.coerce.date(), timeZone: timeZone.default('Europe/Moscow') }),
  z
    .object({ kind: z.literal('recurring'), cron: z.string().min(9).max(100), timeZone: timeZone.default('Europe/Moscow') })
    .superRefine((value, ctx) => {
      const problem = cronProblem(value.cron, value.timeZone);
      if (problem) ctx.addIssue({ code: 'custom', path: ['cron'], message: problem });
    }),
]);

const abTestSchema = z
  .object({
    variants: z
      .array(z.object({ key: z.string().regex(/^[A-Za-z0-9_-]{1,20}$/), templateId: rowId }))
      .min(2)
      .max(4),
    samplePercent: z.number().min(1).max(50).default(20),
    metric: z.enum(['open', 'click']).default('open'),
    decideAfterMinutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(240),
  })
  .refine((ab) => new Set(ab.variants.map((v) => v.key)).size === ab.variants.length, {
    message: 'variant keys must differ',
    path: ['variants'],
  });

const campaignSchema = z.object({
  name: z.string().trim().min(1).max(200),
  channel: z.enum(['email', 'sms']).default('email'),
  templateId: rowId,
  segmentId: rowId,
  senderId: rowId.nullable().optional(),
  attachmentIds: z.array(rowId).max(10).default([]),
  schedule: scheduleSchema.default({ kind: 'now', timeZone: 'Europe/Moscow' }),
  abTest: abTestSchema.nullable().optional(),
  localTime: localTimeSchema.nullable().optional(),
  sendingWindow: sendingWindowSchema.nullable().optional(),
});

const listQuery = z.object({
  status: z.enum(['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled', 'failed']).optional(),
  after: rowCursorText.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const attachmentSchema = z.object({
  filename: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^/\\\r\n]+$/, 'a file name, no path'),
  contentType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'expected a MIME type such as application/pdf'),
  contentBase64: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9+/=\s]+$/, 'expected base64'),
});

@ApiTags('campaigns')
@ApiBearerAuth()
@Controller()
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Post('campaigns')
  @ApiZodBody(campaignSchema)
  @ApiZodResponse(201, campaignView, 'Created')
  create(@Body(new ZodPipe(campaignSchema)) body: z.infer<typeof campaignSchema>) {
    return this.campaigns.create(body);
  }

  @Get('campaigns')
  @ApiZodQuery(listQuery)
  @ApiZodResponse(200, z.array(campaignView))
  list(@Query() query: unknown) {
    return this.campaigns.list(parseOrThrow(listQuery, query, 'query'));
  }

  @Get('campaigns/:id')
  @ApiZodResponse(200, campaignView)
  get(@Param('id', IdPipe) id: number) {
    return this.campaigns.get(id);
  }

  @Put('campaigns/:id')
  @ApiZodBody(campaignSchema)
  @ApiZodResponse(200, campaignView)
  update(@Param('id', IdPipe) id: number, @Body(new ZodPipe(campaignSchema)) body: z.infer<typeof campaignSchema>) {
    return this.campaigns.update(id, body);
  }

  /** Runs with their message counts by status. */
  @Get('campaigns/:id/runs')
  @ApiZodResponse(200, campaignRuns)
  runs(@Param('id', IdPipe) id: number) {
    return this.campaigns.runs(id);
  }

  @Post('campaigns/:id/schedule')
  @ApiZodResponse(201, campaignView)
  schedule(@Param('id', IdPipe) id: number) {
    return this.campaigns.schedule(id);
  }

  @Post('campaigns/:id/pause')
  @ApiZodResponse(201, campaignView)
  pause(@Param('id', IdPipe) id: number) {
    return this.campaigns.pause(id);
  }

  @Post('campaigns/:id/resume')
  @ApiZodResponse(201, campaignView)
  resume(@Param('id', IdPipe) id: number) {
    return this.campaigns.resume(id);
  }

  @Post('campaigns/:id/cancel')
  @ApiZodResponse(201, campaignView)
  cancel(@Param('id', IdPipe) id: number) {
    return this.campaigns.cancel(id);
  }

  /** A file to attach to campaigns (a price list): stored once however many campaigns use it. */
  @Post('attachments')
  @ApiZodBody(attachmentSchema)
  @ApiZodResponse(201, storedAttachment, 'Stored')
  storeAttachment(@Body(new ZodPipe(attachmentSchema)) body: z.infer<typeof attachmentSchema>) {
    return this.campaigns.storeAttachment({
      filename: body.filename,
      contentType: body.contentType,
      data: Buffer.from(body.contentBase64, 'base64'),
    });
  }
}
