import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiZodQuery, IdPipe, parseOrThrow } from '../../common/zod-validation';
import { TimelineService } from './timeline.service';

const timelineQuery = z.object({
  before: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

@ApiTags('customers')
@ApiBearerAuth()
@Controller('customers/:id/timeline')
export class TimelineController {
  constructor(private readonly timeline: TimelineService) {}

  /** Newest first; `next` is the cursor of the following page: pass it as `before`. */
  @Get()
  @ApiZodQuery(timelineQuery)
  page(@Param('id', IdPipe) id: number, @Query() query: unknown) {
    const { before, limit } = parseOrThrow(timelineQuery, query, 'query');
    return this.timeline.page(id, before, limit);
  }
}
