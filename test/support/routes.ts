// The routes the app serves, read at run time from the Express router (so they include the
// admin UI and tracking routes that the OpenAPI document leaves out).
import type { INestApplication } from '@nestjs/common';

export interface RouterLike {
  stack: Array<{ name?: string; route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: unknown } }>;
}

export const routeId = (method: string, path: string) => `${method} ${path}`;

export function appRouter(app: INestApplication): RouterLike {
  const express = app.getHttpAdapter().getInstance() as { router?: RouterLike; _router?: RouterLike };
  const router = express.router ?? express._router;
  if (!router) throw new Error('no Express router found');
  return router;
}

/** Every method + path pattern the Express router serves (Nest controllers and the /docs routes). */
export function registeredRoutes(app: INestApplication): Array<{ method: string; path: string }> {
  return appRouter(app).stack.flatMap((layer) =>
    layer.route
      ? Object.entries(layer.route.methods)
          .filter(([method, on]) => on && method !== '_all')
          .map(([method]) => ({ method: method.toUpperCase(), path: layer.route!.path }))
      : [],
  );
}
