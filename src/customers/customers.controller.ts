import { Controller, Get, Param, ParseIntPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiZodQuery, parseOrThrow } from '../common/zod-validation';
import { CustomersService } from './customers.service';

const listQuery = z.object({
  after: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  kind: z.enum(['person', 'company']).optional(),
  email: z.string().trim().toLowerCase().optional(),
  phone: z.string().trim().optional(),
  externalId: z.string().optional(),
  tag: z.string().optional(),
  companyId: z.coerce.number().int().optional(),
  search: z.string().trim().min(1).max(100).optional(),
});

@ApiTags('customers')
@ApiBearerAuth()
@Controller('customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  /** `next` is the cursor for the following page: pass it as `after`. */
  @Get()
  @ApiZodQuery(listQuery)
  list(@Query() query: unknown) {
    return this.customers.list(parseOrThrow(listQuery, query, 'query'));
  }

  @Get(':id')
  get(@Param('id', ParseIntPipe) id: number) {
    return this.customers.get(id);
  }
}
