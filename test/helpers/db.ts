// Each test file gets its own database, cloned from the migrated template that scripts/test.ts made.
import { after } from 'node:test';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import pg from 'pg';
import { createPool, type Pool } from '../../src/db/pool.ts';
import { parseTestRun, testDatabaseName, testRun } from '../../scripts/testDatabases.ts';

export interface TestDatabase {
  name: string;
  url: string;
  pool: Pool;
  /** Ends the pool and drops the database (done after the file's tests unless `manual`). */
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.SPACESYNC_TEST_ADMIN_URL;
  if (!url) throw new Error('SPACESYNC_TEST_ADMIN_URL is not set: run the tests with `npm test`.');
  return url;
}

export function databaseUrl(database: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${database}`;
  return u.toString();
}

/** The `npm test` run this file belongs to (its databases carry it), or this process when run otherwise. */
function currentRun() {
  const run = process.env.SPACESYNC_TEST_RUN;
  return run ? parseTestRun(run) : testRun(hostname(), process.pid);
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database for this test file: migrated (a clone of the template) unless `empty`, dropped
 * after the file's tests (its pool ended first). With `manual`, the caller drops it: for use inside a
 * `before` hook, whose own `after` registrations would run too early.
 */
export async function createTestDatabase(options: { empty?: boolean; manual?: boolean } = {}): Promise<TestDatabase> {
  const name = testDatabaseName(currentRun(), randomBytes(6).toString('hex'));
  const template = options.empty ? 'template1' : process.env.SPACESYNC_TEST_TEMPLATE;
  if (!template) throw new Error('SPACESYNC_TEST_TEMPLATE is not set: run the tests with `npm test`.');
  await withAdmin(async (client) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`create database ${name} template ${template}`);
        return;
      } catch (error) {
        // "source database is being accessed by other users": another file is cloning it right now.
        if ((error as { code?: string }).code === '55006' && attempt < 50) {
          await new Promise((r) => setTimeout(r, 100 + Math.random() * 100));
          continue;
        }
        throw error;
      }
    }
  });
  const url = databaseUrl(name);
  const pool = createPool(url, { max: 10 });
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await pool.end().catch(() => {});
    await withAdmin((client) => client.query(`drop database if exists ${name} with (force)`));
  };
  if (!options.manual) after(drop);
  return { name, url, pool, drop };
}
