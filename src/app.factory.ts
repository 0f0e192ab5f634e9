import './common/bigint-json';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { AppModule, servesHttp } from './app.module';
import { DomainErrorFilter } from './common/domain-error.filter';
import { JsonLogger } from './common/json-logger';
import type { Env } from './config/env';

export const BODY_LIMIT = '2mb';

/** Builds the process for its role: an HTTP app for api/all, a bare context for worker/scheduler. */
export async function createOtklik(env: Env, logger = new JsonLogger(env.LOG_LEVEL, env.OTKLIK_ROLE)): Promise<INestApplicationContext> {
  if (!servesHttp(env)) {
    const context = await NestFactory.createApplicationContext(AppModule.forRole(env), { logger });
    context.enableShutdownHooks();
    return context;
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRole(env), { logger, bodyParser: false });
  configureHttp(app, logger);
  app.enableShutdownHooks();
  return app;
}

function configureHttp(app: NestExpressApplication, logger: JsonLogger): void {
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: false });
  app.useGlobalFilters(new DomainErrorFilter());
  app.use(requestLog(logger));

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Otklik API')
      .setDescription('Customers, segments, templates, campaigns, automations and feedback. Send an API key as "Authorization: Bearer <key>".')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}

/** One structured line per request. The query string is left out: links may carry tokens. */
function requestLog(logger: JsonLogger) {
  return (request: Request, response: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.log({ msg: 'request', method: request.method, path: request.path, status: response.statusCode, ms: Math.round(ms * 10) / 10 }, 'Http');
    });
    next();
  };
}

export function isHttpApp(app: INestApplicationContext): app is INestApplication {
  return typeof (app as INestApplication).listen === 'function';
}
