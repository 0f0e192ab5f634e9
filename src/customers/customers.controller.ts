import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '../auth/auth.decorators';
import { ApiNoContent, ApiZodBody, ApiZodQuery, ApiZodResponse, IdPipe, parseOrThrow, ZodPipe } from '../common/zod-validation';
import { CustomersService } from './customers.service';
import { sourceOf } from './principal-source';
import {
  createCustomerSchema,
  customerListQuery,
  customerLookupQuery,
  updateCustomerSchema,
  type CreateCustomerBody,
  type CustomerFieldsBody,
} from './dto/customer.dto';
import { contactItems, customerDetail, customerItems, customerPage } from './dto/customer-response.dto';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  /**
   * `next` is the cursor for the following page: pass it as `after`. `q` is the search box: a name
   * or «Имя Фамилия» in either order (patronymic too), an email or part of it, a phone in any form,
   * a company name or an external id.
   */
  @Get()
  @ApiZodQuery(customerListQuery)
  @ApiZodResponse(200, customerPage)
  list(@Query() query: unknown) {
    return this.customers.list(parseOrThrow(customerListQuery, query, 'query'));
  }

  /** By email, phone or external id, written in any form ("8 (912) 345-67-89", "Ivan@Mail.RU"). */
  @Get('lookup')
  @ApiZodQuery(customerLookupQuery)
  @ApiZodResponse(200, customerItems)
  lookup(@Query() query: unknown) {
    return this.customers.lookup(parseOrThrow(customerLookupQuery, query, 'query'));
  }

  @Get(':id')
  @ApiZodResponse(200, customerDetail)
  get(@Param('id', IdPipe) id: number) {
    return this.customers.get(id);
  }

  @Post()
  @ApiZodBody(createCustomerSchema)
  @ApiZodResponse(201, customerDetail, 'Created')
  create(@Body(new ZodPipe(createCustomerSchema)) body: CreateCustomerBody, @CurrentPrincipal() principal?: Principal) {
    return this.customers.create(body, sourceOf(principal));
  }

  /** Fields left out stay as they are; null clears a field. */
  @Patch(':id')
  @ApiZodBody(updateCustomerSchema)
  @ApiZodResponse(200, customerDetail)
  update(@Param('id', IdPipe) id: number, @Body(new ZodPipe(updateCustomerSchema)) body: CustomerFieldsBody) {
    return this.customers.update(id, body);
  }

  /**
   * Deletes the customer with its orders and consents. Suppressions stay. To honour a data
   * request while keeping statistics, erase instead (POST /customers/:id/erase).
   */
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContent()
  async delete(@Param('id', IdPipe) id: number): Promise<void> {
    await this.customers.delete(id);
  }

  /** The contacts (people) of a company, each a customer of its own. */
  @Get(':id/contacts')
  @ApiZodResponse(200, contactItems)
  contacts(@Param('id', IdPipe) id: number) {
    return this.customers.contacts(id);
  }

  @Post(':id/contacts')
  @ApiZodBody(createCustomerSchema)
  @ApiZodResponse(201, customerDetail, 'Created')
  createContact(
    @Param('id', IdPipe) id: number,
    @Body(new ZodPipe(createCustomerSchema)) body: CreateCustomerBody,
    @CurrentPrincipal() principal?: Principal,
  ) {
    return this.customers.createContact(id, body, sourceOf(principal));
  }
}
