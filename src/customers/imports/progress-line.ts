// The one-line progress of a long import, for a terminal: a bar when the size is known,
// then rows, speed and what happened to them. Pure.

export interface ProgressState {
  bytesRead: number;
  totalBytes: number | null;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  elapsedMs: number;
}

const BAR_WIDTH = 24;
const number = new Intl.NumberFormat('en-US');

export function progressLine(p: ProgressState): string {
  const parts: string[] = [];
  if (p.totalBytes !== null && p.totalBytes > 0) {
    const ratio = Math.min(1, p.bytesRead / p.totalBytes);
    const filled = Math.round(ratio * BAR_WIDTH);
    parts.push(`[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}%`);
  }
  parts.push(`${number.format(p.rows)} rows`);
  if (p.elapsedMs > 0) parts.push(`${number.format(Math.round(p.rows / (p.elapsedMs / 1000)))} rows/s`);
  parts.push(
    `new ${number.format(p.inserted)}, updated ${number.format(p.updated)}, unchanged ${number.format(p.unchanged)}, rejected ${number.format(p.rejected)}`,
  );
  return parts.join('  ');
}
