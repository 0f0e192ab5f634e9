import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiNoContent, ApiZodBody, ApiZodQuery, ApiZodResponse, IdPipe, parseOrThrow, ZodPipe } from '../common/zod-validation';
import { customerEventResult, orderEventResult } from './dto/event-response.dto';
import { firingPage, triggerItems, triggerView } from './dto/trigger-response.dto';
import { customerEventSchema, orderEventSchema } from './dto/event.dto';
import { createTriggerSchema, firingsQuery, triggerListQuery, updateTriggerSchema } from './dto/trigger.dto';
import { EventsService } from './events.service';
import { TriggersService } from './triggers.service';

/** Automations: viewers read, marketers and admins configure them. */
@ApiTags('triggers')
@ApiBearerAuth()
@Controller('triggers')
export class TriggersController {
  constructor(private readonly triggers: TriggersService) {}

  @Post()
  @ApiZodBody(createTriggerSchema)
  @ApiZodResponse(201, triggerView, 'Created')
  create(@Body(new ZodPipe(createTriggerSchema)) body: z.infer<typeof createTriggerSchema>) {
    return this.triggers.create(body);
  }

  @Get()
  @ApiZodQuery(triggerListQuery)
  @ApiZodResponse(200, triggerItems)
  list(@Query() query: unknown) {
    return this.triggers.list(parseOrThrow(triggerListQuery, query, 'query'));
  }

  @Get(':id')
  @ApiZodResponse(200, triggerView)
  get(@Param('id', IdPipe) id: number) {
    return this.triggers.get(id);
  }

  @Patch(':id')
  @ApiZodBody(updateTriggerSchema)
  @ApiZodResponse(200, triggerView)
  update(@Param('id', IdPipe) id: number, @Body(new ZodPipe(updateTriggerSchema)) body: z.infer<typeof updateTriggerSchema>) {
    return this.triggers.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContent()
  async remove(@Param('id', IdPipe) id: number): Promise<void> {
    await this.triggers.remove(id);
  }

  /** Each firing: customer, occurrence key, channel (or why none), and its message's status. */
  @Get(':id/firings')
  @ApiZodQuery(firingsQuery)
  @ApiZodResponse(200, firingPage)
  firings(@Param('id', IdPipe) id: number, @Query() query: unknown) {
    const q = parseOrThrow(firingsQuery, query, 'query');
    return this.triggers.firings(id, q.after, q.limit);
  }
}

/** What shops and CRMs report (marketer or admin keys, like other writes). */
@ApiTags('events')
@ApiBearerAuth()
@Controller('events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  /** An order status change: upserts the order and sends the matching notification once per (order, status). */
  @Post('orders')
  @ApiZodBody(orderEventSchema)
  @ApiZodResponse(201, orderEventResult, 'Taken')
  order(@Body(new ZodPipe(orderEventSchema)) body: z.infer<typeof orderEventSchema>) {
    return this.events.orderEvent(body);
  }

  /** A named event with properties; automations of type `event` with that name react. */
  @Post()
  @ApiZodBody(customerEventSchema)
  @ApiZodResponse(201, customerEventResult, 'Recorded')
  event(@Body(new ZodPipe(customerEventSchema)) body: z.infer<typeof customerEventSchema>) {
    return this.events.customerEvent(body);
  }
}
