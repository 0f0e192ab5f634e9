import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequireRole } from '../auth/auth.decorators';
import { ApiZodBody, ApiZodQuery, ApiZodResponse, BigIdPipe, parseOrThrow, ZodPipe } from '../common/zod-validation';
import { DeliveryService } from './delivery.service';
import { outboxQuery, testEmailSchema } from './dto/delivery.dto';
import { outboxItems, outboxMessage, testEmailResult } from './dto/delivery-response.dto';

@ApiTags('delivery')
@ApiBearerAuth()
@Controller()
export class DeliveryController {
  constructor(private readonly delivery: DeliveryService) {}

  /** Messages the capture transport kept instead of sending (no SMTP or SMS provider configured). */
  @Get('outbox')
  @ApiZodQuery(outboxQuery)
  @ApiZodResponse(200, outboxItems)
  listOutbox(@Query() query: unknown) {
    return this.delivery.listOutbox(parseOrThrow(outboxQuery, query, 'query'));
  }

  @Get('outbox/:id')
  @ApiZodResponse(200, outboxMessage)
  getOutbox(@Param('id', BigIdPipe) id: bigint) {
    return this.delivery.getOutboxMessage(id);
  }

  @Post('delivery/test-email')
  @RequireRole('admin')
  @ApiZodBody(testEmailSchema)
  @ApiZodResponse(201, testEmailResult, 'Handed to the email transport')
  sendTestEmail(@Body(new ZodPipe(testEmailSchema)) body: z.infer<typeof testEmailSchema>) {
    return this.delivery.sendTestEmail(body.to, body.from);
  }
}
