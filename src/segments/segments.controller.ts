import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequireRole } from '../auth/auth.decorators';
import { ApiNoContent, ApiZodBody, ApiZodQuery, ApiZodResponse, IdPipe, parseOrThrow, ZodPipe } from '../common/zod-validation';
import { AudienceService } from './audience.service';
import { fieldCatalogue } from './dsl/field-catalogue';
import { audienceCountQuery, createSegmentSchema, rulesPreviewSchema, audiencePreviewQuery, updateSegmentSchema } from './dto/segment.dto';
import { fieldList, rulesPreview, segmentCount, segmentPreview, segmentView, segmentViews } from './dto/segment-response.dto';
import { SegmentsService } from './segments.service';

/** Viewers read segments and their counts; marketers create, change and delete them. */
@ApiTags('segments')
@ApiBearerAuth()
@Controller('segments')
export class SegmentsController {
  constructor(
    private readonly segments: SegmentsService,
    private readonly audience: AudienceService,
  ) {}

  @Get()
  @ApiZodResponse(200, segmentViews)
  list() {
    return this.segments.list();
  }

  /** Every field a rule may use, with its operators: for rule editors. */
  @Get('fields')
  @ApiZodResponse(200, fieldList)
  fields() {
    return fieldCatalogue();
  }

  /**
   * Count and first customers of rules that are not saved yet (changes nothing, so viewers may),
   * with the total and the reachable count per channel.
   */
  @Post('preview')
  @HttpCode(200)
  @RequireRole('viewer')
  @ApiZodBody(rulesPreviewSchema)
  @ApiZodResponse(200, rulesPreview)
  async previewRules(@Body(new ZodPipe(rulesPreviewSchema)) body: z.infer<typeof rulesPreviewSchema>) {
    const { rules, limit: size, ...filter } = body;
    return this.preview({ rules }, size, filter);
  }

  @Get(':id')
  @ApiZodResponse(200, segmentView)
  get(@Param('id', IdPipe) id: number) {
    return this.segments.get(id);
  }

  @Post()
  @ApiZodBody(createSegmentSchema)
  @ApiZodResponse(201, segmentView, 'Created')
  create(@Body(new ZodPipe(createSegmentSchema)) body: z.infer<typeof createSegmentSchema>) {
    return this.segments.create(body);
  }

  @Patch(':id')
  @ApiZodBody(updateSegmentSchema)
  @ApiZodResponse(200, segmentView)
  update(@Param('id', IdPipe) id: number, @Body(new ZodPipe(updateSegmentSchema)) body: z.infer<typeof updateSegmentSchema>) {
    return this.segments.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContent()
  async remove(@Param('id', IdPipe) id: number): Promise<void> {
    await this.segments.remove(id);
  }

  /** The live count; with `channel`, only customers reachable on it (address, suppression, consent). */
  @Get(':id/count')
  @ApiZodQuery(audienceCountQuery)
  @ApiZodResponse(200, segmentCount)
  async count(@Param('id', IdPipe) id: number, @Query() query: unknown) {
    const filter = parseOrThrow(audienceCountQuery, query, 'query');
    return { segmentId: id, ...filter, count: await this.audience.count({ segmentId: id }, filter) };
  }

  @Get(':id/preview')
  @ApiZodQuery(audiencePreviewQuery)
  @ApiZodResponse(200, segmentPreview)
  async previewSaved(@Param('id', IdPipe) id: number, @Query() query: unknown) {
    const { limit: size, ...filter } = parseOrThrow(audiencePreviewQuery, query, 'query');
    return { segmentId: id, ...(await this.preview({ segmentId: id }, size, filter)) };
  }

  /**
   * `count` and `sample` follow the filter (with `channel`: reachable on it); `total`,
   * `reachableEmail` and `reachableSms` are always given, for the builder's live counts.
   */
  private async preview(source: { segmentId: number } | { rules: unknown }, size: number, filter: z.infer<typeof audienceCountQuery>) {
    const now = new Date();
    const [count, reach, sample] = await Promise.all([
      this.audience.count(source, { ...filter, now }),
      this.audience.reach(source, { consent: filter.consent, now }),
      this.audience.sample(source, { ...filter, now, limit: size }),
    ]);
    return { count, ...reach, sample };
  }
}
