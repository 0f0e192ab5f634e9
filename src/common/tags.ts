// The one form tags are stored and compared in: trimmed and lower-case ("VIP " → "vip"). The
// customers module stores tags through it and the segment compiler normalises a rule's literal
// through it, so `tags has "SyncA"` finds a customer tagged "synca" (issue 21).

export function normaliseTag(tag: string): string {
  return tag.trim().toLowerCase();
}
