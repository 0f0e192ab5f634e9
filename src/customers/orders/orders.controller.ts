import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiZodBody, ApiZodQuery, IdPipe, parseOrThrow, ZodPipe } from '../../common/zod-validation';
import { createOrderSchema, orderListQuery, updateOrderSchema, type CreateOrderBody, type UpdateOrderBody } from '../dto/order.dto';
import { OrdersService } from './orders.service';

/** Every write updates the customer's order count, sum and first/last order dates in the same transaction. */
@ApiTags('orders')
@ApiBearerAuth()
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get()
  @ApiZodQuery(orderListQuery)
  list(@Query() query: unknown) {
    return this.orders.list(parseOrThrow(orderListQuery, query, 'query'));
  }

  @Get(':id')
  get(@Param('id', IdPipe) id: number) {
    return this.orders.get(id);
  }

  @Post()
  @ApiZodBody(createOrderSchema)
  create(@Body(new ZodPipe(createOrderSchema)) body: CreateOrderBody) {
    return this.orders.create(body);
  }

  @Patch(':id')
  @ApiZodBody(updateOrderSchema)
  update(@Param('id', IdPipe) id: number, @Body(new ZodPipe(updateOrderSchema)) body: UpdateOrderBody) {
    return this.orders.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id', IdPipe) id: number): Promise<void> {
    await this.orders.delete(id);
  }
}
