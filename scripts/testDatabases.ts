// The databases `npm test` creates on its Postgres carry the run that owns them: the runner's process
// id and a tag of its host, e.g. spacesync_template_3fa4c2d1_4242 and
// spacesync_test_3fa4c2d1_4242_9b1e0c7d2a6f. A run drops its own databases when it ends, and those a
// run of the same host left behind once that run's process is gone; anything else on the server
// (another run's, another host's, databases named otherwise) is left alone, so runs can share a server.
import { createHash } from 'node:crypto';

export interface TestRun {
  /** A tag of the host the run's process lives on (its process ids mean nothing elsewhere). */
  host: string;
  pid: number;
}

const NAME = /^spacesync_(?:template_([0-9a-f]{8})_([1-9]\d*)|test_([0-9a-f]{8})_([1-9]\d*)_[0-9a-f]+)$/;

/** The run of the process `pid` on the host named `hostname`. */
export function testRun(hostname: string, pid: number): TestRun {
  if (!Number.isSafeInteger(pid) || pid <= 0) throw new RangeError(`pid must be a positive integer, got ${pid}`);
  return { host: createHash('sha256').update(hostname).digest('hex').slice(0, 8), pid };
}

/** The run as one word, passed to the test files in SPACESYNC_TEST_RUN. */
export function formatTestRun(run: TestRun): string {
  return `${run.host}_${run.pid}`;
}

/** SPACESYNC_TEST_RUN's value back to its run. */
export function parseTestRun(text: string): TestRun {
  const m = /^([0-9a-f]{8})_([1-9]\d*)$/.exec(text);
  if (!m) throw new Error(`SPACESYNC_TEST_RUN is "${text}", not a test run (8 hex digits, "_", a process id): run the tests with \`npm test\`.`);
  return { host: m[1], pid: Number(m[2]) };
}

/** The migrated database the run's test files clone. */
export function templateDatabaseName(run: TestRun): string {
  return `spacesync_template_${formatTestRun(run)}`;
}

/** A test file's database: `unique` (lower-case hex) tells the run's databases apart. */
export function testDatabaseName(run: TestRun, unique: string): string {
  if (!/^[0-9a-f]+$/.test(unique)) throw new Error(`unique must be lower-case hex digits, got "${unique}"`);
  return `spacesync_test_${formatTestRun(run)}_${unique}`;
}

/** The run that owns a database, or null for a name no run gives. */
export function ownerOf(database: string): TestRun | null {
  const m = NAME.exec(database);
  if (!m) return null;
  return m[1] ? { host: m[1], pid: Number(m[2]) } : { host: m[3], pid: Number(m[4]) };
}

/**
 * Of the server's `databases`, those `run` may drop: its own, and those of a run of the same host
 * whose process `isRunning` says is gone.
 */
export function databasesToDrop(databases: readonly string[], run: TestRun, isRunning: (pid: number) => boolean): string[] {
  return databases.filter((name) => {
    const owner = ownerOf(name);
    if (!owner || owner.host !== run.host) return false;
    return owner.pid === run.pid || !isRunning(owner.pid);
  });
}
