// The brand settings. Global, because templates' preview takes the brand through BRAND_SOURCE
// without importing this module (it sits below it in the layering).
import { Global, Module } from '@nestjs/common';
import { BRAND_SOURCE } from '../templates/brand-source';
import { BrandController } from './brand.controller';
import { BrandRepository } from './brand.repository';
import { BrandService } from './brand.service';

@Global()
@Module({
  controllers: [BrandController],
  providers: [BrandRepository, BrandService, { provide: BRAND_SOURCE, useExisting: BrandService }],
  exports: [BrandService, BRAND_SOURCE],
})
export class BrandModule {}
