import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiZodResponse } from '../common/zod-validation';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { healthAnswer } from './dto/health-response.dto';
import { HealthService } from './health.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** 200 when PostgreSQL and Redis answer, 503 otherwise (for load balancers and orchestrators). */
  @Public()
  @Get()
  @ApiZodResponse(200, healthAnswer('ok'))
  @ApiZodResponse(503, healthAnswer('down'), 'PostgreSQL or Redis does not answer')
  async get(@Res({ passthrough: true }) response: Response) {
    const result = await this.health.check();
    response.status(result.status === 'ok' ? 200 : 503);
    return result;
  }
}
