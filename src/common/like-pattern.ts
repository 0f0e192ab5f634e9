// LIKE and ILIKE read `%`, `_` and `\` (PostgreSQL's default escape) in a pattern. User text
// searched "as written" goes through this first, in raw SQL and in Prisma's `contains`,
// `startsWith` and `endsWith` alike (Prisma leaves the pattern as it is: a search for "%"
// matched every customer).

/** Escapes LIKE wildcards (and the escape character itself, backslash). */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}
