// A migrated database for a benchmark: on SPACESYNC_BENCH_DATABASE_URL's server when set, else on an
// embedded Postgres kept in .spacesync/bench-postgres. Each call makes a fresh database.
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPool, type Pool } from '../src/db/pool.ts';
import { migrate } from '../src/db/migrate.ts';
import { startEmbeddedPostgres } from '../src/node/embeddedPostgres.ts';

export interface BenchDatabase {
  url: string;
  pool: Pool;
  postgresVersion: string;
  stop(): Promise<void>;
}

export async function startBenchDatabase(options: { poolSize?: number } = {}): Promise<BenchDatabase> {
  let adminUrl = process.env.SPACESYNC_BENCH_DATABASE_URL;
  let stopServer: (() => Promise<void>) | undefined;
  if (!adminUrl) {
    const server = await startEmbeddedPostgres({ dir: join(import.meta.dirname, '../.spacesync/bench-postgres'), fsync: false });
    adminUrl = server.url;
    stopServer = server.stop;
  }
  const name = `spacesync_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const postgresVersion = (await admin.query('show server_version')).rows[0].server_version as string;
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const pool = createPool(url, { max: options.poolSize ?? 20 });
  await migrate(pool);
  return {
    url,
    pool,
    postgresVersion,
    async stop() {
      await pool.end();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
      await stopServer?.();
    },
  };
}
