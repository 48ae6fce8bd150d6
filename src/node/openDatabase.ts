// The database the CLI works on: DATABASE_URL when set, else the embedded Postgres under DATA_DIR
// (its `spacesync` database). Migrated before use.
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { createPool, type Pool } from '../db/pool.ts';
import { migrate } from '../db/migrate.ts';
import type { Logger } from '../log.ts';
import { ensureDatabase, startEmbeddedPostgres } from './embeddedPostgres.ts';

export interface OpenDatabase {
  url: string;
  pool: Pool;
  embedded: boolean;
  close(): Promise<void>;
}

export async function openDatabase(config: Config, log: Logger, options: { migrate?: boolean; poolSize?: number } = {}): Promise<OpenDatabase> {
  let url = config.databaseUrl;
  let stopServer: (() => Promise<void>) | undefined;
  if (!url) {
    const server = await startEmbeddedPostgres({
      dir: join(config.dataDir, 'postgres'),
      log: (line) => log.debug({ source: 'postgres' }, line),
      notice: (line) => log.info({ source: 'postgres' }, line),
    });
    stopServer = server.stop;
    await ensureDatabase(server.url, 'spacesync');
    url = server.databaseUrl('spacesync');
    log.info({ port: server.port, dataDir: server.dataDir }, 'embedded Postgres started');
  }
  const pool = createPool(url, {
    max: options.poolSize ?? 20,
    onConnectionError: (error) => log.warn({ err: { message: error.message } }, 'a database connection was lost; the next query reconnects'),
  });
  try {
    if (options.migrate !== false) {
      const { applied } = await migrate(pool);
      if (applied.length) log.info({ applied }, `applied ${applied.length} migration(s)`);
    }
  } catch (error) {
    await pool.end();
    await stopServer?.();
    throw error;
  }
  return {
    url,
    pool,
    embedded: Boolean(stopServer),
    async close() {
      await pool.end();
      await stopServer?.();
    },
  };
}
