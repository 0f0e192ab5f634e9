import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { INT4_MAX } from '../common/ids';
import { dateTimeText } from '../common/openapi';
import { ApiZodBody, ApiZodResponse, IdPipe, ZodPipe } from '../common/zod-validation';
import { RequireRole } from './auth.decorators';
import { AuthService } from './auth.service';

const createKeySchema = z.object({
  name: z.string().trim().min(1).max(100),
  role: z.enum(['admin', 'marketer', 'viewer']),
});

/** A key as listed (documentation only): `prefix` is its first characters, to tell keys apart. */
export const listedKey = z.object({
  id: z.int().min(1).max(INT4_MAX),
  name: z.string(),
  prefix: z.string(),
  role: z.enum(['admin', 'marketer', 'viewer']),
  createdAt: dateTimeText,
  lastUsedAt: dateTimeText.nullable(),
  revokedAt: dateTimeText.nullable(),
});

@ApiTags('api-keys')
@ApiBearerAuth()
@RequireRole('admin')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly auth: AuthService) {}

  @Get()
  @ApiZodResponse(200, z.array(listedKey))
  list() {
    return this.auth.listKeys();
  }

  /** The response holds the key in clear, once; only its hash is stored. */
  @Post()
  @ApiZodBody(createKeySchema)
  @ApiZodResponse(
    201,
    listedKey.extend({ key: z.string().describe('The key in clear: shown this once, send it as "Authorization: Bearer <key>"') }),
    'Created',
  )
  create(@Body(new ZodPipe(createKeySchema)) body: z.infer<typeof createKeySchema>) {
    return this.auth.createKey(body.name, body.role);
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@Param('id', IdPipe) id: number): Promise<void> {
    await this.auth.revokeKey(id);
  }
}
