// A Supabase project's database for the end-to-end tests: a database shaped like a new project's
// (supabaseFixture.ts) into which the real Supabase CLI pushed spacesync's migrations
// (`supabase db push --db-url`, as its owner `postgres`), as docs/INSTALL.md has users do.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPool, type Pool } from '../../src/db/pool.ts';
import { startSupabaseCluster } from './supabaseFixture.ts';

const root = join(import.meta.dirname, '../..');

export interface SupabaseProjectDatabase {
  /** `postgres`'s URL: what Supabase gives the functions as SUPABASE_DB_URL. */
  url: string;
  /** A pool as `postgres`, for the test's own reads and writes (plain SQL, as in the SQL editor). */
  pool: Pool;
  stop(): Promise<void>;
}

export async function startSupabaseProjectDatabase(): Promise<SupabaseProjectDatabase> {
  const cluster = await startSupabaseCluster();
  try {
    const url = await cluster.createSupabaseDatabase('project');
    const dir = mkdtempSync(join(tmpdir(), 'spacesync-project-'));
    mkdirSync(join(dir, 'supabase'));
    cpSync(join(root, 'supabase/migrations'), join(dir, 'supabase/migrations'), { recursive: true });
    const out = await new Promise<string>((resolve, reject) =>
      execFile(join(root, 'node_modules/.bin/supabase'), ['db', 'push', '--db-url', url, '--yes'], { cwd: dir, env: { ...process.env, SUPABASE_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' }, timeout: 180_000 }, (error, stdout, stderr) =>
        error ? reject(new Error(`supabase db push failed:\n${stdout}\n${stderr}`, { cause: error })) : resolve(stdout + stderr),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
    if (!/Finished supabase db push/.test(out)) throw new Error(`supabase db push did not finish:\n${out}`);
    const pool = createPool(url, { max: 4 });
    return {
      url,
      pool,
      async stop() {
        await pool.end();
        await cluster.stop();
      },
    };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}
