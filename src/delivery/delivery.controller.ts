import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequireRole } from '../auth/auth.decorators';
import { bigRowIdText } from '../common/ids';
import { ApiZodBody, ApiZodQuery, BigIdPipe, parseOrThrow, ZodPipe } from '../common/zod-validation';
import { DeliveryService } from './delivery.service';

const outboxQuery = z.object({
  channel: z.enum(['email', 'sms']).optional(),
  to: z.string().min(1).optional(),
  before: bigRowIdText.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const testEmailSchema = z.object({
  to: z.email(),
  from: z.email().optional(),
});

@ApiTags('delivery')
@ApiBearerAuth()
@Controller()
export class DeliveryController {
  constructor(private readonly delivery: DeliveryService) {}

  /** Messages the capture transport kept instead of sending (no SMTP or SMS provider configured). */
  @Get('outbox')
  @ApiZodQuery(outboxQuery)
  listOutbox(@Query() query: unknown) {
    return this.delivery.listOutbox(parseOrThrow(outboxQuery, query, 'query'));
  }

  @Get('outbox/:id')
  getOutbox(@Param('id', BigIdPipe) id: bigint) {
    return this.delivery.getOutboxMessage(id);
  }

  @Post('delivery/test-email')
  @RequireRole('admin')
  @ApiZodBody(testEmailSchema)
  sendTestEmail(@Body(new ZodPipe(testEmailSchema)) body: z.infer<typeof testEmailSchema>) {
    return this.delivery.sendTestEmail(body.to, body.from);
  }
}
