// What GET /customers/:id/timeline answers, for the OpenAPI description only (nothing is
// validated on the way out; test/foundation/openapi.e2e-spec.ts checks real answers against the document).
import { z } from 'zod';
import { dateTimeText } from '../../common/openapi';
import { TrackingEventType } from '../../generated/prisma/enums';

/**
 * One entry (TIMELINE_SQL in timeline/timeline.repository.ts): when, what, the row's id, and
 * that row's details beside them (a message's channel and status, a bounce's reason, an order's
 * total …). Times inside the details are the database's UTC text without a zone.
 */
const entry = z.looseObject({
  at: dateTimeText,
  type: z.enum(['message', ...Object.values(TrackingEventType), 'bounce', 'complaint', 'reply', 'order', 'consent', 'event']),
  id: z.string().describe("The row's id in its own table, as text"),
});

/** Newest first; `next` is the cursor of the following page (pass it as `before`), null at the end. */
export const timelinePage = z.object({ items: z.array(entry), next: z.string().nullable() });
