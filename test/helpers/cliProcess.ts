// The CLI as its users run it, in subprocesses on a data folder of their own: spawn a command, wait
// for \`start\` to be ready, and find the Postgres server (and its processes) of a data folder.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../..');
const baseEnv = { LOG_LEVEL: 'warn', DATABASE_URL: '', STRIPE_SECRET_KEY: '', STRIPE_API_URL: '', PORT: '0', EMULATOR_PORT: '0' };

export function tempDataDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

export function spawnCli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli.ts'), ...args], {
    cwd: root,
    env: { ...process.env, ...baseEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code, signal) => r(code ?? (signal ? 128 : null))));
  return { child, output: () => out, exited };
}

export async function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const p = spawnCli(args, env);
  const code = await p.exited;
  return { code, output: p.output() };
}

export async function startReady(dataDir: string) {
  const s = spawnCli(['start'], { DATA_DIR: dataDir });
  const deadline = Date.now() + 90_000;
  while (!/Press Ctrl-C to stop/.test(s.output())) {
    if (s.child.exitCode !== null || Date.now() > deadline) throw new Error(`start did not become ready:\n${s.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { ...s, url: s.output().match(/admin UI and API\s+(http\S+)/)![1], emulatorUrl: s.output().match(/Stripe emulator\s+(http\S+)/)![1] };
}

export function postmaster(dataDir: string): { pid: number; port: number } | undefined {
  const file = join(dataDir, 'postgres/data/postmaster.pid');
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8').split('\n');
  return { pid: Number(lines[0]), port: Number(lines[3]) };
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Postgres processes whose working directory is this data folder (the server and its children). */
export function postgresOf(dataDir: string): number[] {
  const data = realpathSync(join(dataDir, 'postgres/data'));
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/comm`, 'utf8').startsWith('postgres') && realpathSync(`/proc/${name}/cwd`) === data) found.push(Number(name));
    } catch {
      /* gone, or not ours to read */
    }
  }
  return found;
}
