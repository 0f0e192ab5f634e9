// Bytes in, records out: sniffs the encoding and the delimiter from the first bytes, decodes
// as a stream and tokenizes, yielding the records of each input chunk together. Memory holds
// one input chunk and the records it completes, whatever the file size.
import { createDecoder, detectEncoding, hasNonAscii, SNIFF_MAX_BYTES, SNIFF_NON_ASCII_BYTES } from './csv-encoding';
import { CsvRecordTooLongError, CsvTokenizer, type CsvRecord } from './csv-tokenizer';
import { CsvImportError, type CsvInput, type CsvReadOptions } from './import.types';

export interface CsvDialect {
  encoding: string;
  encodingBasis: string;
  delimiter: string;
  delimiterBasis: 'explicit' | 'sep-line' | 'header' | 'default';
}

/** Filled in while reading; the import layer reads it for progress and the summary. */
export interface CsvReadState {
  dialect: CsvDialect | null;
  bytesRead: number;
  /** U+FFFD produced by the decoder. */
  undecodableChars: number;
}

export function newReadState(): CsvReadState {
  return { dialect: null, bytesRead: 0, undecodableChars: 0 };
}

const DELIMITER_CANDIDATES = [';', ',', '\t'] as const;
const SEP_LINE = /^"?sep=(.)"?[,;\t]?$/i; // Excel's hint line: sep=;

/**
 * Reads `input` as CSV. The first yielded arrays start with the header record; a leading
 * Excel "sep=;" line is consumed and not yielded. Throws CsvImportError for a file that
 * cannot be read at all.
 */
export async function* readCsvRecords(
  input: CsvInput,
  options: CsvReadOptions,
  state: CsvReadState,
): AsyncGenerator<CsvRecord[], void, undefined> {
  const iterator = openIterator(input);
  try {
    // 1. Sniff: read ahead until the sample shows enough non-ASCII bytes to judge.
    const sampleChunks: Uint8Array[] = [];
    let sampleSize = 0;
    let ended = false;
    while (sampleSize < SNIFF_MAX_BYTES) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        break;
      }
      const chunk = asBytes(next.value);
      sampleChunks.push(chunk);
      sampleSize += chunk.length;
      state.bytesRead += chunk.length;
      if (hasNonAscii(chunk, SNIFF_NON_ASCII_BYTES)) break;
    }
    const sample = sampleChunks.length === 1 ? sampleChunks[0] : Buffer.concat(sampleChunks);

    let encoding: string;
    let encodingBasis: string;
    if (options.encoding !== undefined) {
      encoding = options.encoding;
      encodingBasis = 'explicit';
    } else {
      const guess = detectEncoding(sample, ended);
      encoding = guess.encoding;
      encodingBasis = guess.basis;
    }
    let decoder;
    try {
      decoder = createDecoder(encoding);
    } catch {
      throw new CsvImportError('unsupported_encoding', `unsupported encoding "${encoding}"`);
    }
    const sampleText = decoder.write(sample);

    // 2. Delimiter, from the first line.
    const firstLine = firstNonBlankLine(sampleText);
    const sep = SEP_LINE.exec(firstLine.text);
    let delimiter: string;
    let delimiterBasis: CsvDialect['delimiterBasis'];
    if (options.delimiter !== undefined) {
      delimiter = options.delimiter;
      delimiterBasis = 'explicit';
    } else if (sep) {
      delimiter = sep[1];
      delimiterBasis = 'sep-line';
    } else {
      const guessed = detectDelimiter(firstLine.text);
      delimiter = guessed ?? ',';
      delimiterBasis = guessed ? 'header' : 'default';
    }
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
      throw new CsvImportError('invalid_delimiter', `invalid delimiter ${JSON.stringify(delimiter)}`);
    }
    state.dialect = { encoding, encodingBasis, delimiter, delimiterBasis };
    const skipLine = sep ? firstLine.line : 0;

    // 3. Tokenize the sample, then the rest of the input chunk by chunk.
    const tokenizer = new CsvTokenizer({ delimiter, maxRecordChars: options.maxRecordChars });
    const countBad = (text: string) => {
      if (text.indexOf('\uFFFD') === -1) return;
      for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) state.undecodableChars++;
    };
    const emit = (records: CsvRecord[]): CsvRecord[] => {
      if (skipLine !== 0 && records.length > 0 && records[0].line === skipLine) records.shift();
      return records;
    };
    try {
      countBad(sampleText);
      let records = emit(tokenizer.push(sampleText));
      if (records.length > 0) yield records;
      while (!ended) {
        const next = await iterator.next();
        if (next.done) break;
        const chunk = asBytes(next.value);
        state.bytesRead += chunk.length;
        const text = decoder.write(chunk);
        countBad(text);
        records = emit(tokenizer.push(text));
        if (records.length > 0) yield records;
      }
      const tail = decoder.end();
      countBad(tail);
      records = emit(tokenizer.push(tail));
      tokenizer.end(records);
      if (records.length > 0) yield records;
    } catch (error) {
      if (error instanceof CsvRecordTooLongError) {
        throw new CsvImportError('record_too_long', error.message, error.line);
      }
      throw error;
    }
  } finally {
    await iterator.return();
  }
}

/**
 * The delimiter of a header line: the candidate (";", ",", tab) found most often outside quotes,
 * or null when none occurs (a one-column file). Ties go to ";" then ",": a header rarely
 * contains a semicolon that is not a delimiter, while "Имя, фамилия" happens.
 */
export function detectDelimiter(headerLine: string): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (const candidate of DELIMITER_CANDIDATES) {
    let count = 0;
    let quoted = false;
    for (let i = 0; i < headerLine.length; i++) {
      const c = headerLine[i];
      if (c === '"') quoted = !quoted;
      else if (!quoted && c === candidate) count++;
    }
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

function firstNonBlankLine(text: string): { text: string; line: number } {
  let line = 1;
  let start = 0;
  while (start < text.length) {
    let end = start;
    while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
    const content = text.slice(start, end);
    if (content.trim() !== '' || end >= text.length) return { text: content, line };
    start = text[end] === '\r' && text[end + 1] === '\n' ? end + 2 : end + 1;
    line++;
  }
  return { text: '', line };
}

interface ChunkIterator {
  next(): Promise<IteratorResult<unknown>>;
  return(): Promise<void>;
}

function openIterator(input: CsvInput): ChunkIterator {
  if (input instanceof Uint8Array) input = [input];
  const source = input as { [Symbol.asyncIterator]?: () => AsyncIterator<unknown>; [Symbol.iterator]?: () => Iterator<unknown> };
  const asyncOpen = source[Symbol.asyncIterator];
  const syncOpen = source[Symbol.iterator];
  let iterator: Iterator<unknown> | AsyncIterator<unknown>;
  if (typeof asyncOpen === 'function') iterator = asyncOpen.call(source);
  else if (typeof syncOpen === 'function') iterator = syncOpen.call(source);
  else throw new CsvImportError('input_type', 'input must be an iterable of byte chunks');
  return {
    next: async () => iterator.next(),
    // Closes a file stream when the caller stops early or an error aborts the read.
    return: async () => {
      await iterator.return?.();
    },
  };
}

function asBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  throw new CsvImportError('input_type', 'input chunks must be bytes (Buffer or Uint8Array), not decoded text');
}
