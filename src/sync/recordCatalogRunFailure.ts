// Marks a catalog run failed with the error's message (the API and the UI show it).
import type { Pool } from '../db/pool.ts';

export async function recordCatalogRunFailure(pool: Pool, runId: string, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await pool.query(`update public.catalog_runs set status = 'failed', error = left($2, 4000), finished_at = now() where id = $1`, [runId, message]);
}
