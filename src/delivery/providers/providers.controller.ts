// /providers: SMTP relays and SMS gateways as settings. Any role reads (secrets masked); only
// admins create, edit, disable and test them.
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../../auth/auth.decorators';
import { ApiZodBody, ApiZodQuery, ApiZodResponse, IdPipe, parseOrThrow, ZodPipe } from '../../common/zod-validation';
import { providerList, providerTest, providerView } from '../dto/provider-response.dto';
import {
  createProviderSchema,
  providerListQuery,
  updateProviderSchema,
  type CreateProviderBody,
  type UpdateProviderBody,
} from '../dto/provider.dto';
import { ProvidersService } from './providers.service';

@ApiTags('providers')
@ApiBearerAuth()
@Controller('providers')
export class ProvidersController {
  constructor(private readonly providers: ProvidersService) {}

  @Get()
  @ApiZodQuery(providerListQuery)
  @ApiZodResponse(200, providerList)
  list(@Query() query: unknown) {
    return this.providers.listProviders(parseOrThrow(providerListQuery, query, 'query'));
  }

  @Get(':id')
  @ApiZodResponse(200, providerView)
  get(@Param('id', IdPipe) id: number) {
    return this.providers.getProvider(id);
  }

  @Post()
  @RequireRole('admin')
  @ApiZodBody(createProviderSchema)
  @ApiZodResponse(201, providerView, 'Created')
  create(@Body(new ZodPipe(createProviderSchema)) body: CreateProviderBody) {
    return this.providers.createProvider(body);
  }

  /** `config` replaces the stored one; a secret left out or sent back as "***" is kept. */
  @Patch(':id')
  @RequireRole('admin')
  @ApiZodBody(updateProviderSchema)
  @ApiZodResponse(200, providerView)
  update(@Param('id', IdPipe) id: number, @Body(new ZodPipe(updateProviderSchema)) body: UpdateProviderBody) {
    return this.providers.updateProvider(id, body);
  }

  /** Campaigns whose sender names it send through the server's default transport instead. */
  @Post(':id/disable')
  @HttpCode(200)
  @RequireRole('admin')
  @ApiZodResponse(200, providerView)
  disable(@Param('id', IdPipe) id: number) {
    return this.providers.updateProvider(id, { active: false });
  }

  /** Connects as a send would and sends nothing; 200 either way, `ok` says how it went. */
  @Post(':id/test')
  @HttpCode(200)
  @RequireRole('admin')
  @ApiZodResponse(200, providerTest)
  test(@Param('id', IdPipe) id: number) {
    return this.providers.testProvider(id);
  }
}
