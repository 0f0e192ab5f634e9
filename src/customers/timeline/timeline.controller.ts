import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiZodQuery, ApiZodResponse, IdPipe, parseOrThrow } from '../../common/zod-validation';
import { timelineQuery } from '../dto/timeline.dto';
import { timelinePage } from '../dto/timeline-response.dto';
import { TimelineService } from './timeline.service';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('customers/:id/timeline')
export class TimelineController {
  constructor(private readonly timeline: TimelineService) {}

  /** Newest first; `next` is the cursor of the following page: pass it as `before`. */
  @Get()
  @ApiZodQuery(timelineQuery)
  @ApiZodResponse(200, timelinePage)
  page(@Param('id', IdPipe) id: number, @Query() query: unknown) {
    const { before, limit } = parseOrThrow(timelineQuery, query, 'query');
    return this.timeline.page(id, before, limit);
  }
}
