import { Controller, HttpCode, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../../auth/auth.decorators';
import { ApiZodResponse, IdPipe } from '../../common/zod-validation';
import { erasure, personalDataExport } from '../dto/gdpr-response.dto';
import { GdprService } from './gdpr.service';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('customers/:id')
export class GdprController {
  constructor(private readonly gdpr: GdprService) {}

  /** Everything stored about the customer, as one JSON document (subject access request). Marketer or admin. */
  @Get('export')
  @RequireRole('marketer')
  @ApiZodResponse(200, personalDataExport)
  export(@Param('id', IdPipe) id: number) {
    return this.gdpr.export(id);
  }

  /**
   * Erases the customer's personal data for good: names, contacts, birthday, attributes,
   * consent proof, message addresses, inbound mail. Aggregates stay; the email and phone stay
   * suppressed as hashes. Admin only: it cannot be undone.
   */
  @Post('erase')
  @RequireRole('admin')
  @HttpCode(200)
  @ApiZodResponse(200, erasure, 'Erased')
  erase(@Param('id', IdPipe) id: number) {
    return this.gdpr.erase(id);
  }
}
