import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiZodBody, ApiZodResponse, BigIdPipe, ZodPipe } from '../common/zod-validation';
import { sendSchema } from './dto/message.dto';
import { messageView, sentMessage } from './dto/message-response.dto';
import { TransactionalService } from './transactional.service';

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
