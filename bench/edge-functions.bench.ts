// Each Edge Function as Supabase deploys it (supabase/functions/<name>/ alone, no node_modules) under
// Deno 2.1.4, the version Supabase's edge runtime embeds: its module graph's size (`deno info`, the
// bundle and all it imports) and its cold start, from process start to the first answer (a request
// without a token: the handler is built, the caller refused), median of several starts.
// Aims: ≤ 5 MB and ≤ 500 ms per function.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import os from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { functionNames } from '../src/supabase/bundleFunctions.ts';
import { startBenchDatabase } from './db.ts';
import { printTable, resultsDir, round, summarize, type Row } from './lib.ts';

const root = join(import.meta.dirname, '..');
const deno = join(root, 'node_modules/@deno/linux-x64-glibc/deno');
const SIZE_AIM_BYTES = 5 * 1024 * 1024;
const COLD_START_AIM_MS = 500;
const STARTS = 7;

const sandbox = mkdtempSync(join(tmpdir(), 'spacesync-edge-bench-'));
const denoDir = join(sandbox, '.deno');
const env = { PATH: process.env.PATH ?? '', HOME: sandbox, DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };

function graphBytes(dir: string): number {
  const r = spawnSync(deno, ['info', '--json', '--no-remote', '--config', join(dir, 'deno.json'), join(dir, 'index.ts')], { cwd: dir, encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`deno info failed: ${r.stderr}`);
  const info = JSON.parse(r.stdout) as { modules: Array<{ size?: number }>; npmPackages: Record<string, unknown> };
  if (Object.keys(info.npmPackages).length) throw new Error('a function imports npm packages: they would be downloaded at deploy');
  return info.modules.reduce((sum, m) => sum + (m.size ?? 0), 0);
}

async function coldStart(name: string, dir: string, fnEnv: Record<string, string>): Promise<number> {
  const started = performance.now();
  const child = spawn(deno, ['run', '--no-remote', '--config', join(dir, 'deno.json'), '--allow-net', '--allow-env', '--allow-read', '--allow-sys', join(dir, 'index.ts')], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...env, ...fnEnv, PORT: '0' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const port = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not start`)), 30_000);
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const p = /"listening":(\d+)/.exec(line)?.[1];
        if (p) {
          clearTimeout(timer);
          resolve(p);
        }
      });
      child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
    });
    const res = await fetch(`http://127.0.0.1:${port}/${name}${name === 'spacesync-api' ? '/api/spaces' : ''}`, { method: 'POST', body: '{}' });
    await res.arrayBuffer();
    return performance.now() - started;
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const db = await startBenchDatabase({ poolSize: 2 });
const rows: Row[] = [];
const figures: unknown[] = [];
try {
  const version = spawnSync(deno, ['--version'], { encoding: 'utf8', env }).stdout.split('\n')[0];
  const fnEnv = { DATABASE_URL: db.url, STRIPE_API_URL: 'http://127.0.0.1:9', JWT_SECRET: 'bench-secret-0123456789abcdef0123456789', STRIPE_WEBHOOK_SECRET: 'whsec_bench', DRAIN_QUEUE_SECRET: 'bench-drain-secret-0123456789', LOG_LEVEL: 'error' };
  for (const name of functionNames()) {
    const dir = join(sandbox, name);
    cpSync(join(root, 'supabase/functions', name), dir, { recursive: true });
    const bytes = graphBytes(dir);
    const samples: number[] = [];
    for (let i = 0; i < STARTS; i++) samples.push(await coldStart(name, dir, fnEnv));
    const s = summarize(samples);
    rows.push({ function: name, graph_mb: round(bytes / 1024 / 1024, 2), size_vs_aim: round(bytes / SIZE_AIM_BYTES, 3), cold_start_p50_ms: round(s.p50, 1), cold_start_max_ms: round(s.max, 1), start_vs_aim: round(s.p50 / COLD_START_AIM_MS, 3), deno: version });
    figures.push(
      { name: `${name} module graph`, value: bytes, unit: 'bytes', against: { kind: 'aim', name: 'function size aim (5 MB)', value: SIZE_AIM_BYTES }, ratio: round(bytes / SIZE_AIM_BYTES, 3), better: 'lower' },
      { name: `${name} cold start (p50 of ${STARTS})`, value: round(s.p50, 1), unit: 'ms', against: { kind: 'aim', name: 'cold start aim (500 ms)', value: COLD_START_AIM_MS }, ratio: round(s.p50 / COLD_START_AIM_MS, 3), better: 'lower' },
    );
  }
} finally {
  await db.stop();
  rmSync(sandbox, { recursive: true, force: true });
}

mkdirSync(resultsDir, { recursive: true });
const report = {
  name: 'edge-functions',
  description: 'Each Edge Function as deployed (its folder alone) under Deno 2.1.4: module graph size (deno info) and cold start, process start to first answer',
  figures,
  rows,
  measuredAt: new Date().toISOString(),
  machine: { node: process.version, cpus: os.cpus().length, platform: `${os.platform()}-${os.arch()}`, loadavg: os.loadavg().map((x) => round(x, 2)) },
};
writeFileSync(join(resultsDir, 'edge-functions.json'), JSON.stringify(report, null, 2) + '\n');
console.log(`\n${report.name}: ${report.description}`);
printTable(rows);
