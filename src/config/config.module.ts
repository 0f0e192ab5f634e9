import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { keyRing, type KeyRing } from '../common/signed-token';
import { Env } from './env';

/** Typed access to the parsed environment: `config.get('DATABASE_URL', { infer: true })`. */
export type AppConfig = ConfigService<Env, true>;

/** The key ring that signs and checks links, tokens and the ids in mail (common/signed-token.ts). */
export function secretKeys(config: AppConfig): KeyRing {
  return keyRing(config.get('SECRET_KEY', { infer: true }), config.get('SECRET_KEY_PREVIOUS', { infer: true }));
}

@Global()
@Module({})
export class AppConfigModule {
  /** The env is parsed by main.ts before Nest starts, so a bad variable fails in one line. */
  static forRoot(env: Env): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => env] })],
      exports: [ConfigModule],
    };
  }
}
