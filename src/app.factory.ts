import './common/bigint-json';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { AppModule, servesHttp } from './app.module';
import { DomainErrorFilter, FORM_FIELD_LIMIT } from './common/domain-error.filter';
import { JsonLogger } from './common/json-logger';
import { finishOpenApiDocument, OPENAPI_VERSION } from './common/openapi';
import { clientRateLimit, publicRateLimits } from './common/public-rate-limits';
import { rejectUnstorableInput } from './common/storable-input.middleware';
import { loggablePath } from './common/redact';
import type { Env } from './config/env';
import { SEGMENT_RULE_SCHEMA } from './segments/dsl/segment-rules.openapi';
import { secretValuesOf } from './config/env-secrets';

export const BODY_LIMIT = '2mb';

/** The JSON body of POST /images: the image in base64 (4 characters per 3 bytes) and its name. */
export function imageBodyLimit(maxImageBytes: number): number {
  return Math.ceil(maxImageBytes / 3) * 4 + (64 << 10);
}

function isImageUpload(request: { method?: string; url?: string; headers: Record<string, unknown> }): boolean {
  const type = request.headers['content-type'];
  return request.method === 'POST' && (request.url ?? '').split('?')[0] === '/images' && typeof type === 'string' && /json/i.test(type);
}

/** Builds the process for its role: an HTTP app for api/all, a bare context for worker/scheduler. */
export async function createOtklik(
  env: Env,
  logger = new JsonLogger(env.LOG_LEVEL, env.OTKLIK_ROLE, undefined, secretValuesOf(env)),
): Promise<INestApplicationContext> {
  if (!servesHttp(env)) {
    const context = await NestFactory.createApplicationContext(AppModule.forRole(env), { logger });
    context.enableShutdownHooks();
    return context;
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRole(env), { logger, bodyParser: false });
  configureHttp(app, env, logger);
  app.enableShutdownHooks();
  return app;
}

function configureHttp(app: NestExpressApplication, env: Env, logger: JsonLogger): void {
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  // Before the body parsers: a refused request's body is never read (public-rate-limits.ts
  // lists every public route and its limit; /health and /docs have none, on purpose).
  for (const limit of publicRateLimits(env)) app.use(limit.path, clientRateLimit(limit));
  // POST /images carries an image in base64, up to IMAGE_MAX_BYTES: its own, larger limit (the
  // general parser below then finds the body read and skips it).
  app.useBodyParser('json', { limit: imageBodyLimit(env.IMAGE_MAX_BYTES), type: isImageUpload });
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: false, parameterLimit: FORM_FIELD_LIMIT });
  app.use(rejectUnstorableInput);
  app.useGlobalFilters(new DomainErrorFilter());
  app.use(requestLog(logger));

  const document = finishOpenApiDocument(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setOpenAPIVersion(OPENAPI_VERSION)
        .setTitle('Otklik API')
        .setDescription(
          'Customers, segments, templates, campaigns, automations and feedback. Send an API key as "Authorization: Bearer <key>".',
        )
        .setVersion('0.1.0')
        .addBearerAuth()
        .build(),
      // `Customers_create`, not `CustomersController_create`: generated clients name their
      // functions after it (customersCreate).
      { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` },
    ),
    { SegmentRule: SEGMENT_RULE_SCHEMA },
  );
  // The JSON is serialised once, not per request (@nestjs/swagger stringifies the document on
  // every GET): the document is large, and a burst of fetches must not stall /health.
  const json = JSON.stringify(document);
  const http = app.getHttpAdapter() as unknown as { get(path: string, handler: (request: Request, response: Response) => void): void };
  http.get('/docs/openapi.json', (_request, response) => {
    response.type('application/json').send(json);
  });
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json', raw: ['yaml'] });
}

/** One structured line per request. The query string is left out, and a `:token` path is logged as its route: links carry tokens. */
function requestLog(logger: JsonLogger) {
  return (request: Request, response: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const path = loggablePath(request.path, (request.route as { path?: string } | undefined)?.path);
      logger.log({ msg: 'request', method: request.method, path, status: response.statusCode, ms: Math.round(ms * 10) / 10 }, 'Http');
    });
    next();
  };
}

export function isHttpApp(app: INestApplicationContext): app is INestApplication {
  return typeof (app as INestApplication).listen === 'function';
}
