// The migrator: graphile-worker's schema first, then ours, one transaction per numbered migration,
// serialised across processes by an advisory lock. Running it again is a no-op.
import { Logger, runMigrations } from 'graphile-worker';
import type pg from 'pg';
import { migrations as allMigrations, type Migration } from './migrations.generated.ts';

const MIGRATE_LOCK = 7_391_204_118; // pg_advisory_lock key shared by every spacesync migrator

const silentLogger = new Logger(() => () => {});

export interface MigrateResult {
  applied: string[];
}

export async function migrate(
  pool: pg.Pool,
  options: { migrations?: Migration[]; onApplied?: (name: string) => void } = {},
): Promise<MigrateResult> {
  const migrations = options.migrations ?? allMigrations;
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATE_LOCK]);
    try {
      await runMigrations({ pgPool: pool, logger: silentLogger });
      await client.query(`create table if not exists public.spacesync_migrations (
        id integer primary key,
        name text not null,
        applied_at timestamptz not null default now()
      )`);
      // Not for API roles: on Supabase, default privileges would otherwise publish it over PostgREST.
      await client.query(`alter table public.spacesync_migrations enable row level security`);
      await client.query(`do $$
        declare r text;
        begin
          revoke all on public.spacesync_migrations from public;
          foreach r in array array['anon', 'authenticated', 'service_role'] loop
            if exists (select 1 from pg_roles where rolname = r) then
              execute format('revoke all on public.spacesync_migrations from %I', r);
            end if;
          end loop;
        end $$`);
      const { rows } = await client.query<{ id: number }>('select id from public.spacesync_migrations');
      const done = new Set(rows.map((r) => r.id));
      for (const m of migrations) {
        if (done.has(m.id)) continue;
        await client.query('begin');
        try {
          // The row goes in first, so a concurrent migrator without the lock collides instead of
          // applying the migration twice.
          await client.query('insert into public.spacesync_migrations (id, name) values ($1, $2)', [m.id, m.name]);
          await client.query(m.sql);
          await client.query('commit');
        } catch (error) {
          await client.query('rollback');
          throw new Error(`migration ${String(m.id).padStart(6, '0')}_${m.name} failed: ${errorMessage(error)}`, { cause: error });
        }
        const label = `${String(m.id).padStart(6, '0')}_${m.name}`;
        applied.push(label);
        options.onApplied?.(label);
      }
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATE_LOCK]);
    }
  } finally {
    client.release();
  }
  return { applied };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
