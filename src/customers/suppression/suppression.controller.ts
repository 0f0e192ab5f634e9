import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentPrincipal, RequireRole, type Principal } from '../../auth/auth.decorators';
import { ApiNoContent, ApiZodBody, ApiZodQuery, ApiZodResponse, IdPipe, parseOrThrow, ZodPipe } from '../../common/zod-validation';
import { suppressionCheck, suppressionCreated, suppressionPage } from '../dto/suppression-response.dto';
import { createSuppressionSchema, suppressionCheckQuery, suppressionListQuery } from '../dto/suppression.dto';
import { keysetPage } from '../keyset-page';
import { sourceOf } from '../principal-source';
import { SuppressionService } from './suppression.service';

@ApiTags('suppressions')
@ApiBearerAuth()
@Controller('suppressions')
export class SuppressionController {
  constructor(private readonly suppressions: SuppressionService) {}

  /** Newest first; `next` is the cursor for the following page: pass it as `before`. */
  @Get()
  @ApiZodQuery(suppressionListQuery)
  @ApiZodResponse(200, suppressionPage)
  async list(@Query() query: unknown) {
    const filter = parseOrThrow(suppressionListQuery, query, 'query');
    const items = await this.suppressions.list(filter);
    return keysetPage(items, filter.limit);
  }

  @Get('check')
  @ApiZodQuery(suppressionCheckQuery)
  @ApiZodResponse(200, suppressionCheck)
  async check(@Query() query: unknown) {
    const { channel, address } = parseOrThrow(suppressionCheckQuery, query, 'query');
    const entry = await this.suppressions.suppressionOf(channel, address);
    return { channel, suppressed: entry !== null, reason: entry?.reason ?? null, since: entry?.createdAt ?? null };
  }

  /** Adds an address by hand; `created: false` when it was already suppressed (its first reason stays). */
  @Post()
  @ApiZodBody(createSuppressionSchema)
  @ApiZodResponse(201, suppressionCreated, 'Suppressed (or already was)')
  async create(
    @Body(new ZodPipe(createSuppressionSchema)) body: z.infer<typeof createSuppressionSchema>,
    @CurrentPrincipal() principal?: Principal,
  ) {
    const source = body.source ?? sourceOf(principal);
    const result = await this.suppressions.suppress(body.channel, body.address, body.reason, source);
    return { created: result.created, ...result.suppression };
  }

  @Delete(':id')
  @RequireRole('admin')
  @HttpCode(204)
  @ApiNoContent()
  async remove(@Param('id', IdPipe) id: number): Promise<void> {
    await this.suppressions.remove(id);
  }
}
