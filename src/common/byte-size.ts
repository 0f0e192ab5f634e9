// Sizes in messages people read: the limits named in 413 answers.

/** 2097152 → "2 MB", 16384 → "16 KB", 1000 → "1000 bytes". */
export function byteSize(bytes: number): string {
  if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes / (1 << 20)} MB`;
  if (bytes >= 1 << 10 && bytes % (1 << 10) === 0) return `${bytes / (1 << 10)} KB`;
  return `${bytes} bytes`;
}
