import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysRepository } from './api-keys.repository';
import { AuthService } from './auth.service';
import { SessionsRepository } from './sessions.repository';

@Module({
  controllers: [ApiKeysController],
  providers: [ApiKeysRepository, SessionsRepository, AuthService, { provide: APP_GUARD, useClass: ApiKeyGuard }],
  exports: [AuthService],
})
export class AuthModule {}
