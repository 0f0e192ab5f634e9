// A wall-clock time in an IANA zone → the UTC instant, for the timestamps of a large import.
// luxon's DateTime.fromObject answers the same but asks Intl for the zone's offset several
// times per call (~20 µs): at five million order lines that alone is the import's biggest cost.
// Here the offsets come from luxon's own zone, cached per 15-minute span of UTC time (every
// offset change in the tz database falls on a quarter hour); a span whose two ends disagree is
// never cached, so the answer equals luxon's own. Pure.
import { IANAZone } from 'luxon';

const SPAN_MS = 15 * 60_000;
const CACHE_LIMIT = 200_000; // spans per zone (≈ 5.7 years of quarter hours); then start over

interface ZoneOffsets {
  zone: IANAZone;
  /** Span number → offset in minutes, or null when the offset changes inside the span. */
  spans: Map<number, number | null>;
}

const zones = new Map<string, ZoneOffsets | null>();

function zoneOffsets(name: string): ZoneOffsets | null {
  let found = zones.get(name);
  if (found === undefined) {
    found = IANAZone.isValidZone(name) ? { zone: IANAZone.create(name), spans: new Map() } : null;
    zones.set(name, found);
  }
  return found;
}

/** The zone's UTC offset in minutes at instant `ts`. */
function offsetAt(z: ZoneOffsets, ts: number): number {
  const span = Math.floor(ts / SPAN_MS);
  let offset = z.spans.get(span);
  if (offset === undefined) {
    const start = z.zone.offset(span * SPAN_MS);
    offset = start === z.zone.offset((span + 1) * SPAN_MS - 1) ? start : null;
    if (z.spans.size >= CACHE_LIMIT) z.spans.clear();
    z.spans.set(span, offset);
  }
  return offset ?? z.zone.offset(ts);
}

/**
 * Milliseconds since the epoch of a wall-clock time in `zone`, or null for an unknown zone.
 * A time in a daylight-saving gap moves forward by the gap; a time the clocks repeat takes one
 * of its two instants, as luxon's correction settles from the offset at that wall-clock time.
 */
export function zonedTimeToUtc(
  zone: string,
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millisecond: number,
): number | null {
  const z = zoneOffsets(zone);
  if (z === null) return null;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  // luxon's fixOffset: guess an offset, check it at the instant it gives, correct once.
  const o1 = offsetAt(z, local);
  let utc = local - o1 * 60_000;
  const o2 = offsetAt(z, utc);
  if (o1 === o2) return utc;
  utc -= (o2 - o1) * 60_000;
  const o3 = offsetAt(z, utc);
  if (o2 === o3) return utc;
  return local - Math.min(o2, o3) * 60_000;
}
