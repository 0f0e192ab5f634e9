// Pieces of Provider.config shared by the HTTP gateways.
import { z } from 'zod';

export const DEFAULT_TIMEOUT_MS = 10_000;

const URL_HINT = 'expected an http:// or https:// URL';

export const httpUrl = z.string({ error: URL_HINT }).refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}, URL_HINT);

export const timeoutMs = z
  .int({ error: 'expected a whole number of milliseconds' })
  .min(100, 'expected at least 100 ms')
  .max(120_000, 'expected at most 120000 ms (2 minutes)')
  .default(DEFAULT_TIMEOUT_MS);
