/**
 * A page of a keyset-paginated list: `next` is the id of its last item when the page is full
 * (pass it back as the cursor), null when there is nothing after it.
 */
export function keysetPage<T extends { id: number | bigint }>(items: T[], limit: number): { items: T[]; next: string | null } {
  const last = items[items.length - 1];
  return { items, next: items.length === limit && last ? String(last.id) : null };
}
