// One bulk writer of the customer base at a time per database (imports, the derived-field
// rebuild): two of them would lock the same customers in different orders and deadlock.
// A session-level advisory lock on the writer's own connection; API writes do not take it.
import type { Client } from 'pg';

const IMPORT_LOCK = '4211001, 3';

/** Runs `work` holding the lock; waits for the holder first (and says so through `onWait`). */
export async function withImportLock<T>(client: Client, onWait: () => void, work: () => Promise<T>): Promise<T> {
  const { rows } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${IMPORT_LOCK}) AS ok`);
  if (!rows[0].ok) {
    onWait();
    await client.query(`SELECT pg_advisory_lock(${IMPORT_LOCK})`);
  }
  try {
    return await work();
  } finally {
    await client.query(`SELECT pg_advisory_unlock(${IMPORT_LOCK})`).catch(() => undefined);
  }
}
