// Row ids at the edges: one schema per column type, used by every route, query and body, so an
// id beyond its column is a 400 naming the field and never reaches PostgreSQL (which answered
// "value out of range for type integer" with a 500). An id has one spelling: in a path or a
// query string, digits without sign, space, leading zero, fraction or exponent; in a JSON body,
// a whole number.
import { z } from 'zod';

/** The largest value of an int4 column (`Int` in the Prisma schema). */
export const INT4_MAX = 2_147_483_647;
/** The largest value of an int8 column (`BigInt`: messages, inbound and outbox messages). */
export const INT8_MAX = 9_223_372_036_854_775_807n;

const ROW_ID = `expected an id: a whole number from 1 to ${INT4_MAX}`;
const BIG_ROW_ID = `expected an id: a whole number from 1 to ${INT8_MAX}`;
const CURSOR = `expected a cursor: a whole number from 0 to ${INT4_MAX}`;

/** An int4 row id in a JSON body. */
export const rowId = z.number({ error: ROW_ID }).int(ROW_ID).min(1, ROW_ID).max(INT4_MAX, ROW_ID);

/** An int4 row id in a path or query string (`17`, not `017`, `+17`, `17.0` or `1.7e1`). */
export const rowIdText = z
  .string({ error: ROW_ID })
  .regex(/^[1-9]\d{0,9}$/, ROW_ID)
  .transform(Number)
  .pipe(z.number().max(INT4_MAX, ROW_ID));

/** A keyset cursor over int4 ids in a query string: an id, or 0 for "from the start". */
export const rowCursorText = z
  .string({ error: CURSOR })
  .regex(/^(0|[1-9]\d{0,9})$/, CURSOR)
  .transform(Number)
  .pipe(z.number().max(INT4_MAX, CURSOR));

/** An int8 row id in a path or query string. */
export const bigRowIdText = z
  .string({ error: BIG_ROW_ID })
  .regex(/^[1-9]\d{0,18}$/, BIG_ROW_ID)
  .transform(BigInt)
  .refine((id) => id <= INT8_MAX, BIG_ROW_ID);

/** A keyset cursor over int8 ids in a query string: an id, or 0 for "from the start". */
export const bigRowCursorText = z.union([z.literal('0').transform(() => 0n), bigRowIdText], {
  error: `expected a cursor: a whole number from 0 to ${INT8_MAX}`,
});

/** The id in a signed or MAC'd payload (no field to name): the number, or null when it is none. */
export function rowIdOf(text: string): number | null {
  const parsed = rowIdText.safeParse(text);
  return parsed.success ? parsed.data : null;
}
