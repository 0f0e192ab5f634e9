import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiFileResponse, ApiZodQuery, ApiZodResponse, IdPipe, parseOrThrow } from '../common/zod-validation';
import { bounceQuery, campaignQuery, cleanupQuery, complaintQuery, csvQuery, leadQuery } from './dto/report.dto';
import { bounceReport, campaignReport, cleanupReport, complaintReport, leadReport } from './dto/report-response.dto';
import { ReportsService } from './reports.service';

/** Read-only reports: a viewer key is enough (GET routes default to the viewer role). */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** Audience, sending, bounces, person opens/clicks (machine ones apart), unsubscribes, complaints, replies, leads, attributed orders; per A/B variant; per link; over time. */
  @Get('campaigns/:id')
  @ApiZodQuery(campaignQuery)
  @ApiZodResponse(200, campaignReport)
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
  @ApiZodResponse(200, bounceReport)
  bounces(@Query() query: unknown) {
    return this.reports.bounces(parseOrThrow(bounceQuery, query, 'query'));
  }

  /** Feedback-loop complaints and reclamations with their text, newest first. */
  @Get('complaints')
  @ApiZodQuery(complaintQuery)
  @ApiZodResponse(200, complaintReport)
  complaints(@Query() query: unknown) {
    return this.reports.complaints(parseOrThrow(complaintQuery, query, 'query'));
  }

  /** What the feedback loop changed in the base, when and why, with the inbound message that is the evidence. */
  @Get('cleanup')
  @ApiZodQuery(cleanupQuery)
  @ApiZodResponse(200, cleanupReport)
  cleanup(@Query() query: unknown) {
    return this.reports.cleanup(parseOrThrow(cleanupQuery, query, 'query'));
  }

  /** The leads inbox: replies that look like interest, newest first. */
  @Get('leads')
  @ApiZodQuery(leadQuery)
  @ApiZodResponse(200, leadReport)
  leads(@Query() query: unknown) {
    return this.reports.leads(parseOrThrow(leadQuery, query, 'query'));
  }
}
