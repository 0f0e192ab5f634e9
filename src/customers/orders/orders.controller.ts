import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiNoContent, ApiZodBody, ApiZodQuery, ApiZodResponse, IdPipe, parseOrThrow, ZodPipe } from '../../common/zod-validation';
import { orderPage, orderView } from '../dto/order-response.dto';
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
  @ApiZodResponse(200, orderPage)
  list(@Query() query: unknown) {
    return this.orders.list(parseOrThrow(orderListQuery, query, 'query'));
  }

  @Get(':id')
  @ApiZodResponse(200, orderView)
  get(@Param('id', IdPipe) id: number) {
    return this.orders.get(id);
  }

  @Post()
  @ApiZodBody(createOrderSchema)
  @ApiZodResponse(201, orderView, 'Created')
  create(@Body(new ZodPipe(createOrderSchema)) body: CreateOrderBody) {
    return this.orders.create(body);
  }

  @Patch(':id')
  @ApiZodBody(updateOrderSchema)
  @ApiZodResponse(200, orderView)
  update(@Param('id', IdPipe) id: number, @Body(new ZodPipe(updateOrderSchema)) body: UpdateOrderBody) {
    return this.orders.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContent()
  async delete(@Param('id', IdPipe) id: number): Promise<void> {
    await this.orders.delete(id);
  }
}
