import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiZodResponse } from '../common/zod-validation';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { HealthService } from './health.service';

const check = z.union([z.object({ status: z.literal('ok') }), z.object({ status: z.literal('down'), error: z.string() })]);
const health = (status: 'ok' | 'down') => z.object({ status: z.literal(status), checks: z.object({ database: check, redis: check }) });

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** 200 when PostgreSQL and Redis answer, 503 otherwise (for load balancers and orchestrators). */
  @Public()
  @Get()
  @ApiZodResponse(200, health('ok'))
  @ApiZodResponse(503, health('down'), 'PostgreSQL or Redis does not answer')
  async get(@Res({ passthrough: true }) response: Response) {
    const result = await this.health.check();
    response.status(result.status === 'ok' ? 200 : 503);
    return result;
  }
}
