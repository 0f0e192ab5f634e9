// An import of a file on disk, recorded as an import job like an upload (CLI and benchmark).
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { runImport, type Connect, type ImportRequest, type ImportResult } from './import-pipeline';
import { ImportRunRepository } from './import-run.repository';

export type FileImportOptions = Omit<ImportRequest, 'jobId' | 'input' | 'filename'> & { createdBy: string };

export async function importCsvFile(connect: Connect, path: string, options: FileImportOptions): Promise<ImportResult & { jobId: number }> {
  const totalBytes = statSync(path).size;
  const filename = basename(path);
  const client = await connect();
  const jobId = await new ImportRunRepository(client)
    .create({
      kind: options.kind,
      filename,
      dryRun: options.dryRun,
      options: { encoding: options.read.encoding, delimiter: options.read.delimiter, mapping: options.read.mapping },
      createdBy: options.createdBy,
      totalBytes,
    })
    .finally(() => client.end());
  const input = createReadStream(path, { highWaterMark: 1 << 16 });
  const result = await runImport(connect, { ...options, jobId, filename, input, read: { ...options.read, totalBytes } });
  return { ...result, jobId };
}
