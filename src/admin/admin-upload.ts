// Reading a form that uploads a file (multipart/form-data) without holding the file: busboy
// streams the file part to the handler's consumer (an import stores it in 1 MB chunks), so a
// file of any allowed size costs little memory. The session's CSRF field must come before the
// file (a browser sends fields in the order of the form), so nothing is stored for a forged post;
// a script's upload (the content studio's images) sends it in the x-csrf-token header instead,
// which the session guard has checked before the body is read.
import busboy from 'busboy';
import type { Readable } from 'node:stream';
import { refuseWithoutCsrf, type AdminRequest } from './admin-http';

/** The body is not a well-formed multipart form (cut short, a bad boundary, a malformed part). */
export class MalformedUpload extends Error {}

export interface UploadedFile {
  /** The name on the user's computer (UTF-8), without a path. */
  filename: string;
  mimeType: string;
  stream: Readable;
}

export interface UploadForm<T> {
  /** The text fields, first occurrence of each. */
  fields: Record<string, string>;
  /** What the consumer made of the file; undefined when no file was chosen. */
  file: T | undefined;
}

/**
 * Reads the multipart body of `request`: text fields as they come, then the `fileField` part
 * handed to `consume` with the fields read so far (the CSRF token already checked). Rejects with
 * the consumer's error as soon as it fails; the rest of the body is then discarded.
 */
export function readUploadForm<T>(
  request: AdminRequest,
  fileField: string,
  consume: (fields: Record<string, string>, file: UploadedFile) => Promise<T>,
): Promise<UploadForm<T>> {
  const session = request.adminSession!;
  const headerToken = request.get('x-csrf-token');
  return new Promise<UploadForm<T>>((resolve, reject) => {
    const fields: Record<string, string> = {};
    let consumed: Promise<T> | undefined;
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      request.unpipe(parser);
      request.resume(); // what is left of the body is read and dropped
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    let parser: ReturnType<typeof busboy>;
    try {
      parser = busboy({
        headers: request.headers,
        defParamCharset: 'utf8',
        limits: { fields: 50, fieldSize: 10_000, fieldNameSize: 200, files: 1, parts: 60 },
      });
    } catch (error) {
      reject(new MalformedUpload(error instanceof Error ? error.message : String(error)));
      return;
    }
    parser.on('field', (name, value) => {
      if (!Object.hasOwn(fields, name))
        Object.defineProperty(fields, name, { value, enumerable: true, writable: true, configurable: true });
    });
    parser.on('file', (name, stream, info) => {
      if (name !== fileField || consumed !== undefined || !info.filename) {
        stream.resume(); // another field, a second file, or the empty part of "no file chosen"
        return;
      }
      try {
        refuseWithoutCsrf(session, fields._csrf ?? headerToken);
      } catch (error) {
        stream.resume();
        fail(error);
        return;
      }
      const filename = info.filename.split(/[\\/]/).pop() ?? info.filename;
      const snapshot = { ...fields };
      consumed = new Promise<T>((done) => done(consume(snapshot, { filename, mimeType: info.mimeType, stream }))); // a throw becomes a rejection
      consumed.catch((error: unknown) => {
        stream.resume();
        fail(error);
      });
    });
    parser.on('error', (error) => fail(new MalformedUpload(error.message)));
    request.on('aborted', () => fail(new MalformedUpload('the upload was cut short')));
    parser.on('close', () => {
      if (settled) return;
      try {
        refuseWithoutCsrf(session, fields._csrf ?? headerToken);
      } catch (error) {
        fail(error);
        return;
      }
      (consumed ?? Promise.resolve(undefined)).then((file) => {
        if (settled) return;
        settled = true;
        resolve({ fields, file });
      }, fail);
    });
    request.pipe(parser);
  });
}
