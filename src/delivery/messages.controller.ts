import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { rowId } from '../common/ids';
import { ApiZodBody, ApiZodResponse, BigIdPipe, ZodPipe } from '../common/zod-validation';
import { messageView, sentMessage } from './dto/message-response.dto';
import { TransactionalService } from './transactional.service';

const sendSchema = z
  .object({
    template: z.string().min(1).max(100).describe('template key, e.g. order-shipped'),
    channel: z.enum(['email', 'sms']).default('email'),
    customerId: rowId.optional(),
    to: z.string().min(3).max(320).optional().describe('an email address or phone number, for someone not in the base'),
    locale: z.string().min(2).max(10).optional(),
    data: z.record(z.string(), z.unknown()).default({}).describe('template data, e.g. {"orderId": 17} or {"promoCode": "X"}'),
    idempotencyKey: z.string().min(1).max(200).optional(),
  })
  .refine((body) => body.customerId !== undefined || body.to !== undefined, { message: 'give customerId or to', path: ['customerId'] });

@ApiTags('messages')
@ApiBearerAuth()
@Controller('messages')
export class MessagesController {
  constructor(private readonly transactional: TransactionalService) {}

  /** Sends one message now through the transactional lane (202: queued; poll GET /messages/:id). */
  @Post()
  @ApiZodBody(sendSchema)
  @ApiZodResponse(201, sentMessage, 'Queued')
  send(@Body(new ZodPipe(sendSchema)) body: z.infer<typeof sendSchema>) {
    return this.transactional.send(body);
  }

  @Get(':id')
  @ApiZodResponse(200, messageView)
  get(@Param('id', BigIdPipe) id: bigint) {
    return this.transactional.get(id);
  }
}
