// The one limit of exactly-once (docs/architecture.md, "Exactly once, and its one limit"): a
// SIGKILL between a commit batch's final dots and its COMMIT leaves rows that recovery sends
// again. A duplicate counts as that only when its first copy was accepted at most this long
// before the kill; the crash test and the reliability suite fail on any other duplicate.

/** How long before a kill a message's first copy may have been accepted to count as "at the kill". */
export const KILL_WINDOW_MS = 250;

/** Copies beyond the first, split into those the kill explains and the rest (bugs). */
export function duplicatesAround(accepted: Array<{ id: string | null; at: number }>, kills: number[]): { atKill: number; other: number } {
  const first = new Map<string, number>();
  const copies = new Map<string, number>();
  for (const { id, at } of accepted) {
    if (id === null) continue;
    copies.set(id, (copies.get(id) ?? 0) + 1);
    if (!first.has(id) || at < first.get(id)!) first.set(id, at);
  }
  let atKill = 0;
  let other = 0;
  for (const [id, n] of copies) {
    if (n < 2) continue;
    const at = first.get(id)!;
    if (kills.some((kill) => at <= kill && kill - at <= KILL_WINDOW_MS)) atKill += n - 1;
    else other += n - 1;
  }
  return { atKill, other };
}
