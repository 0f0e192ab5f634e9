import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiZodBody, ApiZodQuery, ApiZodResponse, IdPipe, parseOrThrow, ZodPipe } from '../common/zod-validation';
import { campaignListQuery, campaignSchema } from './dto/campaign.dto';
import { campaignRuns, campaignView } from './dto/campaign-response.dto';
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
