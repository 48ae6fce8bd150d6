// A migrated database for a benchmark: on SPACESYNC_BENCH_DATABASE_URL's server when set, else on an
// embedded Postgres kept in .spacesync/bench-postgres. Each call makes a fresh database;
// startBenchPostgres gives several databases on one server (ours and a peer's, side by side).
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

export interface BenchPostgres {
  postgresVersion: string;
  /** A fresh database, migrated with spacesync's migrations unless `empty`; dropped by stop(). */
  createDatabase(options?: { empty?: boolean; poolSize?: number }): Promise<BenchDatabase>;
  /** Drops every database made here, then stops the embedded server (if one was started). */
  stop(): Promise<void>;
}

async function onAdmin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function startBenchPostgres(): Promise<BenchPostgres> {
  let adminUrl = process.env.SPACESYNC_BENCH_DATABASE_URL;
  let stopServer: (() => Promise<void>) | undefined;
  if (!adminUrl) {
    const server = await startEmbeddedPostgres({ dir: join(import.meta.dirname, '../.spacesync/bench-postgres'), fsync: false });
    adminUrl = server.url;
    stopServer = server.stop;
  }
  const admin = adminUrl;
  const postgresVersion = await onAdmin(admin, async (c) => (await c.query('show server_version')).rows[0].server_version as string);
  const made: BenchDatabase[] = [];
  return {
    postgresVersion,
    async createDatabase(options = {}) {
      const name = `spacesync_bench_${randomBytes(4).toString('hex')}`;
      await onAdmin(admin, (c) => c.query(`create database ${name}`));
      const u = new URL(admin);
      u.pathname = `/${name}`;
      const url = u.toString();
      const pool = createPool(url, { max: options.poolSize ?? 20, applicationName: 'spacesync-bench' });
      if (!options.empty) await migrate(pool);
      const db: BenchDatabase = {
        url,
        pool,
        postgresVersion,
        async stop() {
          await pool.end();
          await onAdmin(admin, (c) => c.query(`drop database if exists ${name} with (force)`));
        },
      };
      made.push(db);
      return db;
    },
    async stop() {
      for (const db of made.splice(0)) await db.stop();
      await stopServer?.();
    },
  };
}

export async function startBenchDatabase(options: { poolSize?: number } = {}): Promise<BenchDatabase> {
  const server = await startBenchPostgres();
  const db = await server.createDatabase(options);
  return { ...db, stop: () => server.stop() };
}
