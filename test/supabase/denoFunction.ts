// The Edge Functions as Supabase runs them, for the tests: each supabase/functions/<name>/ copied
// alone into a temporary folder (no node_modules, nothing of the repository around it) and run under
// Deno 2.1.4, the version Supabase's edge runtime embeds, with the function's own deno.json and
// --no-remote (it downloads nothing), on a free port of 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const root = join(import.meta.dirname, '../..');
// The binary itself, not node_modules/.bin/deno (a Node wrapper whose child would outlive a kill).
export const deno = join(root, 'node_modules/@deno/linux-x64-glibc/deno');
export const FUNCTIONS = ['create-stripe-catalog', 'drain-queue', 'spacesync-api', 'stripe-webhook', 'sync-space-stripe'];

export interface RunningFunction {
  /** http://127.0.0.1:<port>/<name>, the function's own URL (as the runtime sees it, without /functions/v1). */
  url: string;
  port: number;
  output: string[];
  stop(): Promise<void>;
}

export interface FunctionSandbox {
  dir: string;
  /** The environment Deno runs in: nothing of this process's but PATH. */
  denoEnv(extra?: Record<string, string>): Record<string, string>;
  /** Starts <name>/index.ts under Deno; resolves once it listens. */
  start(name: string, env: Record<string, string>): Promise<RunningFunction>;
  remove(): void;
}

export function createFunctionSandbox(): FunctionSandbox {
  const dir = mkdtempSync(join(tmpdir(), 'spacesync-functions-'));
  for (const name of FUNCTIONS) cpSync(join(root, 'supabase/functions', name), join(dir, name), { recursive: true });
  const denoDir = join(dir, '.deno');
  // The system's certificates: `deno check` fetches @types/node (the types of node:*) from the npm registry.
  const denoEnv = (extra: Record<string, string> = {}) => ({ PATH: process.env.PATH ?? '', HOME: dir, DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: '1', DENO_TLS_CA_STORE: 'system', NO_COLOR: '1', ...extra });
  const running = new Set<RunningFunction>();

  async function start(name: string, env: Record<string, string>): Promise<RunningFunction> {
    const fnDir = join(dir, name);
    const child: ChildProcess = spawn(
      deno,
      ['run', '--no-remote', '--config', join(fnDir, 'deno.json'), '--allow-net', '--allow-env', '--allow-read', '--allow-sys', join(fnDir, 'index.ts')],
      { cwd: fnDir, stdio: ['ignore', 'pipe', 'pipe'], env: denoEnv({ PORT: '0', LOG_LEVEL: 'warn', ...env }) },
    );
    const output: string[] = [];
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not start within 60 s:\n${output.join('\n')}`)), 60_000);
      for (const stream of [child.stdout, child.stderr]) {
        createInterface({ input: stream! }).on('line', (line) => {
          output.push(line);
          const listening = /"listening":(\d+)/.exec(line)?.[1];
          if (listening) {
            clearTimeout(timer);
            resolve(Number(listening));
          }
        });
      }
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`${name} could not start: ${error.message}`, { cause: error }));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited with ${code} before listening:\n${output.join('\n')}`));
      });
    });
    const fn: RunningFunction = {
      url: `http://127.0.0.1:${port}/${name}`,
      port,
      output,
      async stop() {
        running.delete(fn);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
      },
    };
    running.add(fn);
    return fn;
  }

  return {
    dir,
    denoEnv,
    start,
    remove() {
      for (const fn of running) void fn.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
