import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiZodBody, IdPipe, ZodPipe } from '../common/zod-validation';
import { RequireRole } from './auth.decorators';
import { AuthService } from './auth.service';

const createKeySchema = z.object({
  name: z.string().trim().min(1).max(100),
  role: z.enum(['admin', 'marketer', 'viewer']),
});

@ApiTags('api-keys')
@ApiBearerAuth()
@RequireRole('admin')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly auth: AuthService) {}

  @Get()
  list() {
    return this.auth.listKeys();
  }

  /** The response holds the key in clear, once; only its hash is stored. */
  @Post()
  @ApiZodBody(createKeySchema)
  create(@Body(new ZodPipe(createKeySchema)) body: z.infer<typeof createKeySchema>) {
    return this.auth.createKey(body.name, body.role);
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@Param('id', IdPipe) id: number): Promise<void> {
    await this.auth.revokeKey(id);
  }
}
