// What GET /health answers, for the OpenAPI description only (nothing is validated on the way out).
import { z } from 'zod';

const check = z.union([z.object({ status: z.literal('ok') }), z.object({ status: z.literal('down'), error: z.string() })]);

/** 200 with `ok` when PostgreSQL and Redis answer, 503 with `down` otherwise. */
export const healthAnswer = (status: 'ok' | 'down') =>
  z.object({ status: z.literal(status), checks: z.object({ database: check, redis: check }) });
