// /settings/dkim-keys: the DKIM keys of each sender domain. Any role reads (the DNS record to
// publish, never the private key); only admins generate, import, deactivate and delete.
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../../auth/auth.decorators';
import { ApiNoContent, ApiZodBody, ApiZodQuery, ApiZodResponse, IdPipe, parseOrThrow, ZodPipe } from '../../common/zod-validation';
import { dkimKeyList, dkimKeyView } from '../dto/dkim-key-response.dto';
import {
  createDkimKeySchema,
  dkimKeyListQuery,
  updateDkimKeySchema,
  type CreateDkimKeyBody,
  type UpdateDkimKeyBody,
} from '../dto/dkim-key.dto';
import { DkimKeysService } from './dkim-keys.service';

@ApiTags('settings')
@ApiBearerAuth()
@Controller('settings/dkim-keys')
export class DkimKeysController {
  constructor(private readonly keys: DkimKeysService) {}

  @Get()
  @ApiZodQuery(dkimKeyListQuery)
  @ApiZodResponse(200, dkimKeyList)
  list(@Query() query: unknown) {
    return this.keys.list(parseOrThrow(dkimKeyListQuery, query, 'query'));
  }

  @Get(':id')
  @ApiZodResponse(200, dkimKeyView)
  get(@Param('id', IdPipe) id: number) {
    return this.keys.get(id);
  }

  /** Generates a 2048-bit RSA key, or imports `privateKey`; the newest active key of a domain signs its mail. */
  @Post()
  @RequireRole('admin')
  @ApiZodBody(createDkimKeySchema)
  @ApiZodResponse(201, dkimKeyView, 'Created')
  create(@Body(new ZodPipe(createDkimKeySchema)) body: CreateDkimKeyBody) {
    return this.keys.create(body);
  }

  @Patch(':id')
  @RequireRole('admin')
  @ApiZodBody(updateDkimKeySchema)
  @ApiZodResponse(200, dkimKeyView)
  update(@Param('id', IdPipe) id: number, @Body(new ZodPipe(updateDkimKeySchema)) body: UpdateDkimKeyBody) {
    return this.keys.setActive(id, body.active);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireRole('admin')
  @ApiNoContent()
  delete(@Param('id', IdPipe) id: number) {
    return this.keys.delete(id);
  }
}
