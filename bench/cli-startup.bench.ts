// How fast the `spacesync` command starts, as a user runs it: `spacesync --help` (median of many runs;
// aim ≤ 300 ms) and `spacesync start` from spawn until /healthz answers 200 on existing data (the
// embedded Postgres already initialised; aim ≤ 1.5 s). The compiled build (bin/spacesync.js → dist/)
// is measured beside the same sources run through tsx, as the bin ran them before, in alternation.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compiledBuildState } from '../bin/buildState.js';
import { figure, round, summarize, writeReport, type Row } from './lib.ts';

const root = join(import.meta.dirname, '..');
const HELP_RUNS = 21;
const START_RUNS = 5;
const HELP_AIM_MS = 300;
const READY_AIM_MS = 1_500;

interface Variant {
  name: string;
  command: string;
  args: string[];
}
const compiled: Variant = { name: 'compiled (node bin/spacesync.js → dist/)', command: process.execPath, args: [join(root, 'bin/spacesync.js')] };
const sources: Variant = { name: 'sources through tsx (node --import tsx src/cli.ts)', command: process.execPath, args: ['--import', 'tsx', join(root, 'src/cli.ts')] };
const nodeAlone: Variant = { name: 'node alone (node -e 0): the floor', command: process.execPath, args: ['-e', '0'] };

const loadAtStart = os.loadavg().map((x) => round(x));
console.log('bringing dist/ and web/dist up to date (npm run build -- --if-stale)…');
const build = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/build.ts'), '--if-stale'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0 || !compiledBuildState().current) throw new Error('the build failed: the compiled CLI cannot be measured');

function timeRun(v: Variant, extra: string[]): number {
  const started = performance.now();
  const r = spawnSync(v.command, [...v.args, ...extra], { cwd: root, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`${v.name} ${extra.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

// --help, the three variants in alternation so a burst of load elsewhere hits them all alike.
const help = new Map<Variant, number[]>([[compiled, []], [sources, []], [nodeAlone, []]]);
for (let i = 0; i < HELP_RUNS; i++) {
  for (const v of help.keys()) {
    if (v === sources && i % 2 === 1) continue; // the slow one, half as many times
    help.get(v)!.push(timeRun(v, v === nodeAlone ? [] : ['--help']));
  }
  process.stdout.write(`\r--help: ${i + 1}/${HELP_RUNS} rounds`);
}
console.log();
// npx adds npm's own start (resolving the bin through the package) on top of ours: shown for reference.
const npx: number[] = [];
for (let i = 0; i < 5; i++) {
  const started = performance.now();
  const r = spawnSync('npx', ['--no-install', 'spacesync', '--help'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npx spacesync --help exited ${r.status}: ${r.stderr}`);
  npx.push(performance.now() - started);
}

/** Spawn `start` and time until /healthz answers 200; then stop it with SIGTERM. */
async function timeStart(v: Variant, dataDir: string): Promise<number> {
  const started = performance.now();
  const child = spawn(v.command, [...v.args, 'start'], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', EMULATOR_PORT: '0', LOG_LEVEL: 'warn', DATABASE_URL: '', STRIPE_SECRET_KEY: '', STRIPE_API_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  try {
    let url: string | undefined;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${v.name}: start exited early:\n${out}`);
      if (performance.now() - started > 120_000) throw new Error(`${v.name}: start not ready in 120 s:\n${out}`);
      url ??= out.match(/admin UI and API\s+(http\S+)/)?.[1];
      if (url) {
        const res = await fetch(`${url}/healthz`).catch(() => undefined);
        if (res?.status === 200) return performance.now() - started;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    child.kill('SIGTERM');
    const code = await exited;
    if (code !== 0) console.error(`${v.name}: start exited ${code} after SIGTERM:\n${out}`);
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'spacesync-startup-bench-'));
chmodSync(dataDir, 0o755);
const ready = new Map<Variant, number[]>([[compiled, []], [sources, []]]);
let firstStart: number;
try {
  console.log('first start (initialises the embedded Postgres and migrates)…');
  firstStart = await timeStart(compiled, dataDir);
  for (let i = 0; i < START_RUNS; i++) {
    for (const v of ready.keys()) ready.get(v)!.push(await timeStart(v, dataDir));
    console.log(`start on existing data: ${i + 1}/${START_RUNS} rounds`);
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

const med = (samples: number[]) => round(summarize(samples).p50, 0);
const rows: Row[] = [];
for (const [v, samples] of help) {
  const s = summarize(samples);
  rows.push({ case: v === nodeAlone ? 'node -e 0' : 'spacesync --help', variant: v.name, runs: s.n, median_ms: round(s.p50, 0), max_ms: round(s.max, 0) });
}
rows.push({ case: 'npx spacesync --help', variant: 'compiled, through npx', runs: npx.length, median_ms: med(npx), max_ms: round(Math.max(...npx), 0) });
for (const [v, samples] of ready) {
  const s = summarize(samples);
  rows.push({ case: 'spacesync start → /healthz 200 (existing data)', variant: v.name, runs: s.n, median_ms: round(s.p50, 0), max_ms: round(s.max, 0) });
}
rows.push({ case: 'first spacesync start → /healthz 200 (initialises Postgres)', variant: compiled.name, runs: 1, median_ms: round(firstStart, 0), max_ms: round(firstStart, 0) });

const helpMs = med(help.get(compiled)!);
const readyMs = med(ready.get(compiled)!);
const figures = [
  figure('spacesync --help (median)', helpMs, 'ms', 'lower', { kind: 'aim', name: 'aim', value: HELP_AIM_MS }),
  figure('spacesync --help (median)', helpMs, 'ms', 'lower', { kind: 'peer', name: 'the sources through tsx', value: med(help.get(sources)!) }),
  // Node's own start in the same rounds: the part of --help that load on the machine inflates alike.
  figure('spacesync --help (median)', helpMs, 'ms', 'lower', { kind: 'peer', name: 'node -e 0 (Node’s own start)', value: med(help.get(nodeAlone)!) }),
  figure('spacesync start ready on existing data (median)', readyMs, 'ms', 'lower', { kind: 'aim', name: 'aim', value: READY_AIM_MS }),
  figure('spacesync start ready on existing data (median)', readyMs, 'ms', 'lower', { kind: 'peer', name: 'the sources through tsx', value: med(ready.get(sources)!) }),
];
const report = {
  name: 'cli-startup',
  description: `spacesync --help (median of ${HELP_RUNS}) and spacesync start until /healthz answers 200 on existing data (median of ${START_RUNS}), compiled build vs the sources through tsx, in alternation`,
  figures,
  rows,
  details: { helpRuns: HELP_RUNS, startRuns: START_RUNS, helpAimMs: HELP_AIM_MS, readyAimMs: READY_AIM_MS, loadAverage: { atStart: loadAtStart, atEnd: os.loadavg().map((x) => round(x)) } },
};
writeReport(report);
for (const f of figures) console.log(`${f.name}: ${f.value} ${f.unit} vs ${f.against.name} ${f.against.value} ${f.unit} → ratio ${f.ratio}`);
