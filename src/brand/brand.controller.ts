// GET /settings/brand (any role), PUT /settings/brand (admins): the brand messages show.
import { Body, Controller, Get, Inject, Put } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/auth.decorators';
import { ApiZodBody, ApiZodResponse, parseOrThrow } from '../common/zod-validation';
import type { AppConfig } from '../config/config.module';
import { phoneRegion } from '../customers/contact-normalise';
import { BrandService } from './brand.service';
import { brandView } from './dto/brand-response.dto';
import { brandInputSchema } from './dto/brand.dto';

@ApiTags('settings')
@ApiBearerAuth()
@Controller('settings/brand')
export class BrandController {
  private readonly inputSchema: ReturnType<typeof brandInputSchema>;

  constructor(
    private readonly brand: BrandService,
    @Inject(ConfigService) config: AppConfig,
  ) {
    this.inputSchema = brandInputSchema(phoneRegion(config.get('DEFAULT_PHONE_REGION', { infer: true })));
  }

  @Get()
  @ApiZodResponse(200, brandView)
  get() {
    return this.brand.get();
  }

  /** Replaces the whole brand: a field left out is unset. */
  @Put()
  @RequireRole('admin')
  @ApiZodBody(brandInputSchema('RU'))
  @ApiZodResponse(200, brandView)
  replace(@Body() body: unknown) {
    return this.brand.replace(parseOrThrow(this.inputSchema, body));
  }
}
