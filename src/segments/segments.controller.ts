import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequireRole } from '../auth/auth.decorators';
import { ApiNoContent, ApiZodBody, ApiZodQuery, ApiZodResponse, IdPipe, parseOrThrow, ZodPipe } from '../common/zod-validation';
import { CONSENT_REQUIREMENTS } from './audience';
import { AudienceService } from './audience.service';
import { MAX_SAMPLE } from './dsl/compile-segment';
import { CHANNELS } from './dsl/fields';
import { segmentRulesSchema as validRules } from './dsl/segment-rules';
import { SEGMENT_RULE_REF } from './dsl/segment-rules.openapi';
import { fieldCatalogue } from './dsl/field-catalogue';
import { rulesPreview, segmentCount, segmentPreview, segmentView } from './dto/segment-response.dto';
import { SegmentsService } from './segments.service';

// The same validation; the description points at the DSL's schema in the document.
const segmentRulesSchema = validRules.meta(SEGMENT_RULE_REF);
const name = z.string().trim().min(1).max(200);
const description = z.string().trim().max(2000).nullable().optional();
const createBody = z.strictObject({ name, description, rules: segmentRulesSchema });
const updateBody = z
  .strictObject({ name: name.optional(), description, rules: segmentRulesSchema.optional() })
  .refine((b) => Object.keys(b).length > 0, { message: 'expected at least one of "name", "description", "rules"' });

const audienceFilter = {
  channel: z.enum(CHANNELS).optional(),
  consent: z.enum(CONSENT_REQUIREMENTS as ['opted_in', 'not_opted_out']).optional(),
};
const countQuery = z.object(audienceFilter);
const limit = z.coerce.number().int().min(1).max(MAX_SAMPLE).default(20);
const previewQuery = z.object({ ...audienceFilter, limit });
const previewBody = z.strictObject({ rules: segmentRulesSchema, ...audienceFilter, limit });

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
  @ApiZodResponse(200, z.array(segmentView))
  list() {
    return this.segments.list();
  }

  /** Every field a rule may use, with its operators: for rule editors. */
  @Get('fields')
  fields() {
    return fieldCatalogue();
  }

  /** Count and first customers of rules that are not saved yet (changes nothing, so viewers may). */
  @Post('preview')
  @HttpCode(200)
  @RequireRole('viewer')
  @ApiZodBody(previewBody)
  @ApiZodResponse(200, rulesPreview)
  async previewRules(@Body(new ZodPipe(previewBody)) body: z.infer<typeof previewBody>) {
    const { rules, limit: size, ...filter } = body;
    return this.preview({ rules }, size, filter);
  }

  @Get(':id')
  @ApiZodResponse(200, segmentView)
  get(@Param('id', IdPipe) id: number) {
    return this.segments.get(id);
  }

  @Post()
  @ApiZodBody(createBody)
  @ApiZodResponse(201, segmentView, 'Created')
  create(@Body(new ZodPipe(createBody)) body: z.infer<typeof createBody>) {
    return this.segments.create(body);
  }

  @Patch(':id')
  @ApiZodBody(updateBody)
  @ApiZodResponse(200, segmentView)
  update(@Param('id', IdPipe) id: number, @Body(new ZodPipe(updateBody)) body: z.infer<typeof updateBody>) {
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
  @ApiZodQuery(countQuery)
  @ApiZodResponse(200, segmentCount)
  async count(@Param('id', IdPipe) id: number, @Query() query: unknown) {
    const filter = parseOrThrow(countQuery, query, 'query');
    return { segmentId: id, ...filter, count: await this.audience.count({ segmentId: id }, filter) };
  }

  @Get(':id/preview')
  @ApiZodQuery(previewQuery)
  @ApiZodResponse(200, segmentPreview)
  async previewSaved(@Param('id', IdPipe) id: number, @Query() query: unknown) {
    const { limit: size, ...filter } = parseOrThrow(previewQuery, query, 'query');
    return { segmentId: id, ...(await this.preview({ segmentId: id }, size, filter)) };
  }

  private async preview(source: { segmentId: number } | { rules: unknown }, size: number, filter: z.infer<typeof countQuery>) {
    const [count, sample] = await Promise.all([
      this.audience.count(source, filter),
      this.audience.sample(source, { ...filter, limit: size }),
    ]);
    return { count, sample };
  }
}
