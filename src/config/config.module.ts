import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Env } from './env';

/** Typed access to the parsed environment: `config.get('DATABASE_URL', { infer: true })`. */
export type AppConfig = ConfigService<Env, true>;

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
