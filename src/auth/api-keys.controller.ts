import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiNoContent, ApiZodBody, ApiZodResponse, IdPipe, ZodPipe } from '../common/zod-validation';
import { RequireRole } from './auth.decorators';
import { AuthService } from './auth.service';
import { createKeySchema } from './dto/api-key.dto';
import { createdKey, listedKey } from './dto/api-key-response.dto';

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
  @ApiZodResponse(201, createdKey, 'Created')
  create(@Body(new ZodPipe(createKeySchema)) body: z.infer<typeof createKeySchema>) {
    return this.auth.createKey(body.name, body.role);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContent()
  async revoke(@Param('id', IdPipe) id: number): Promise<void> {
    await this.auth.revokeKey(id);
  }
}
