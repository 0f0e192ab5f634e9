// A raw HTTP request for the hostile-input tests: the body goes out in pieces (optionally with
// no Content-Length, i.e. chunked), and the answer is read even when the server answers
// before the body is sent, which fetch does not allow.
import { once } from 'node:events';
import http from 'node:http';

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, or undefined. */
  json: any;
  /** From the first byte sent to the end of the answer. */
  ms: number;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  /** Sent in this order; with `chunked`, without a Content-Length. */
  body?: Buffer | Buffer[];
  chunked?: boolean;
}

export function rawRequest(url: string, request: RawRequest = {}): Promise<RawAnswer> {
  const pieces = request.body === undefined ? [] : Array.isArray(request.body) ? request.body : [request.body];
  const headers: Record<string, string> = { ...request.headers };
  if (!request.chunked && pieces.length) headers['content-length'] = String(pieces.reduce((n, p) => n + p.length, 0));
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(url, { method: request.method ?? 'POST', headers, agent: false }, (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, ms: performance.now() - started });
        req.destroy();
      });
    });
    // An answer before the whole body is sent is what these tests look for; the write errors
    // that follow it (EPIPE, ECONNRESET) are not failures.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    void (async () => {
      for (const piece of pieces) {
        if (answered || req.destroyed) return;
        if (!req.write(piece)) await Promise.race([once(req, 'drain'), once(req, 'close')]).catch(() => undefined);
      }
      if (!answered && !req.destroyed) req.end();
    })();
  });
}

/** `size` bytes in 64 KB pieces. */
export function bytes(size: number, fill = 'a'): Buffer[] {
  const piece = Buffer.alloc(64 * 1024, fill);
  const out: Buffer[] = [];
  for (let left = size; left > 0; left -= piece.length) out.push(left >= piece.length ? piece : piece.subarray(0, left));
  return out;
}
