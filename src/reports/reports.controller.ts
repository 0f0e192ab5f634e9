import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { rowIdText } from '../common/ids';
import { timeZoneSchema } from '../common/time-zone';
import { ApiFileResponse, ApiZodQuery, IdPipe, parseOrThrow } from '../common/zod-validation';
import { ReportsService } from './reports.service';

const timeZone = timeZoneSchema;

const campaignQuery = z.object({
  runId: rowIdText.optional(),
  /** Orders placed within this many days after a message count for the campaign. */
  attributionDays: z.coerce.number().int().min(1).max(90).default(7),
  interval: z.enum(['hour', 'day']).optional(),
  timeZone: timeZone.optional(),
  linkLimit: z.coerce.number().int().min(1).max(1000).default(100),
});

const csvQuery = campaignQuery.extend({ section: z.enum(['summary', 'links', 'chart']).default('summary') });

const range = {
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
};

const page = {
  /** Keyset cursor: the `next` of the previous page. */
  before: rowIdText.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
};

const bounceQuery = z.object({
  ...range,
  campaignId: rowIdText.optional(),
  interval: z.enum(['hour', 'day']).optional(),
  timeZone: timeZone.optional(),
  /** Rows of the by-domain and by-campaign tables. */
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const complaintQuery = z.object({
  ...range,
  ...page,
  kind: z.enum(['feedback_loop', 'reclamation']).optional(),
  status: z.enum(['open', 'resolved']).optional(),
  campaignId: rowIdText.optional(),
});

const cleanupQuery = z.object({
  ...range,
  ...page,
  action: z.string().trim().min(1).max(100).optional(),
  customerId: rowIdText.optional(),
  undone: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

const leadQuery = z.object({
  ...page,
  status: z.enum(['new', 'contacted', 'won', 'lost']).optional(),
  campaignId: rowIdText.optional(),
});

/** Read-only reports: a viewer key is enough (GET routes default to the viewer role). */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** Audience, sending, bounces, person opens/clicks (machine ones apart), unsubscribes, complaints, replies, leads, attributed orders; per A/B variant; per link; over time. */
  @Get('campaigns/:id')
  @ApiZodQuery(campaignQuery)
  campaign(@Param('id', IdPipe) id: number, @Query() query: unknown) {
    return this.reports.campaign(id, parseOrThrow(campaignQuery, query, 'query'));
  }

  /** The campaign report as CSV (UTF-8 with BOM): `section` = summary (default), links or chart. */
  @Get('campaigns/:id/export.csv')
  @ApiFileResponse('text/csv', 'The section as CSV (UTF-8 with BOM)')
  @ApiZodQuery(csvQuery)
  async campaignCsv(@Param('id', IdPipe) id: number, @Query() query: unknown, @Res() response: Response): Promise<void> {
    const { section, ...rest } = parseOrThrow(csvQuery, query, 'query');
    const csv = await this.reports.campaignCsv(id, rest, section);
    response
      .status(200)
      .set({
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="campaign-${id}-${section}.csv"`,
        'cache-control': 'no-store',
      })
      .send(csv);
  }

  /** Bounces in a time range (default: the last 30 days): by reason, domain and campaign, and the trend. */
  @Get('bounces')
  @ApiZodQuery(bounceQuery)
  bounces(@Query() query: unknown) {
    return this.reports.bounces(parseOrThrow(bounceQuery, query, 'query'));
  }

  /** Feedback-loop complaints and reclamations with their text, newest first. */
  @Get('complaints')
  @ApiZodQuery(complaintQuery)
  complaints(@Query() query: unknown) {
    return this.reports.complaints(parseOrThrow(complaintQuery, query, 'query'));
  }

  /** What the feedback loop changed in the base, when and why, with the inbound message that is the evidence. */
  @Get('cleanup')
  @ApiZodQuery(cleanupQuery)
  cleanup(@Query() query: unknown) {
    return this.reports.cleanup(parseOrThrow(cleanupQuery, query, 'query'));
  }

  /** The leads inbox: replies that look like interest, newest first. */
  @Get('leads')
  @ApiZodQuery(leadQuery)
  leads(@Query() query: unknown) {
    return this.reports.leads(parseOrThrow(leadQuery, query, 'query'));
  }
}
