import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiZodBody, ApiZodQuery, ApiZodResponse, IdPipe, parseOrThrow, ZodPipe } from '../common/zod-validation';
import { campaignListQuery, campaignSchema, testSendSchema } from './dto/campaign.dto';
import { campaignRuns, campaignView, preflightReport, testSendResult } from './dto/campaign-response.dto';
import { CampaignsService } from './campaigns.service';

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
  @ApiZodQuery(campaignListQuery)
  @ApiZodResponse(200, z.array(campaignView))
  list(@Query() query: unknown) {
    return this.campaigns.list(parseOrThrow(campaignListQuery, query, 'query'));
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

  /**
   * The pre-flight: the campaign's message rendered for a sample of its recipients (a few at
   * random, the longest and the emptiest profiles) and every problem found at once. Schedules
   * and changes nothing; scheduling and each run's start run the same check.
   */
  @Post('campaigns/:id/preflight')
  @HttpCode(200)
  @ApiZodResponse(200, preflightReport)
  preflight(@Param('id', IdPipe) id: number) {
    return this.campaigns.preflight(id);
  }

  /**
   * Sends the real message of a customer (default: one of the campaign's recipients) to an
   * address (default: the sender's own), subject prefixed «[ТЕСТ] », header X-Otklik-Test: 1.
   * Outside stats, counters and frequency caps: no message row is written.
   */
  @Post('campaigns/:id/test-send')
  @HttpCode(200)
  @ApiZodBody(testSendSchema)
  @ApiZodResponse(200, testSendResult)
  testSend(@Param('id', IdPipe) id: number, @Body(new ZodPipe(testSendSchema)) body: z.infer<typeof testSendSchema>) {
    return this.campaigns.testSend(id, body);
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
}
