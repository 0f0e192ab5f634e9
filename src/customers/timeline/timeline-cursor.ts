// Keyset cursor of a customer's timeline: the (time, type, id) of the last entry of a page.
// Opaque to callers (base64url), checked when read back.

export interface TimelinePosition {
  /** UTC time, as stored (the timestamps are UTC without a zone). */
  at: Date;
  type: string;
  /** Zero-padded id, so ids compare as numbers. */
  key: string;
}

export function encodeTimelineCursor(position: TimelinePosition): string {
  return Buffer.from(`${position.at.toISOString()}|${position.type}|${position.key}`, 'utf8').toString('base64url');
}

export function decodeTimelineCursor(cursor: string): TimelinePosition | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([a-z_]{1,20})\|(\d{20})$/.exec(
    Buffer.from(cursor, 'base64url').toString('utf8'),
  );
  if (!m) return null;
  const at = new Date(m[1]);
  return Number.isNaN(at.getTime()) ? null : { at, type: m[2], key: m[3] };
}

/** The sort key of an id: 20 digits, zero-padded. */
export function timelineKey(id: string | number | bigint): string {
  return String(id).padStart(20, '0');
}
