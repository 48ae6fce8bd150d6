// examples/rental-app as its users get it: a checkout of its own, its Supabase-shaped database
// (supabaseProject.ts) with an emulator and, on demand, a worker; the real Supabase CLI and spacesync's
// CLI in subprocesses; hosts (Supabase Auth users) adding and editing their rooms as the app does,
// with role `authenticated`, their JWT claims and the app's RLS.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PoolClient } from 'pg';
import { createPool, type Pool } from '../../src/db/pool.ts';
import { withClaims } from '../../src/db/withClaims.ts';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import { createStripeClient } from '../../src/stripe/createStripeClient.ts';
import { createStripeGateway } from '../../src/stripe/stripeGateway.ts';
import { startWorker, type RunningWorker } from '../../src/sync/worker.ts';
import { createSupabaseProject, type SupabaseProject } from './supabaseProject.ts';

const root = join(import.meta.dirname, '../..');
const example = join(root, 'examples/rental-app');
const supabaseCli = join(root, 'node_modules/.bin/supabase');

export function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, SUPABASE_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', ...env }, timeout: 180_000 });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

export function dbPush(projectDir: string, url: string) {
  const r = run(supabaseCli, ['db', 'push', '--db-url', url, '--yes'], projectDir);
  assert.equal(r.code, 0, r.out);
  return r.out;
}

/** The CLI in a subprocess, without blocking this process (whose emulator it may call). */
export function spacesync(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli.ts'), ...args], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
}

/** The example app copied to a folder of its own, as a user's checkout of it. */
export function checkout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'spacesync-rental-app-'));
  cpSync(example, dir, { recursive: true });
  return dir;
}

export interface Host {
  id: string;
  email: string;
}

export async function addHost(pool: Pool, email: string): Promise<Host> {
  const id = randomUUID();
  await pool.query(`insert into auth.users (id, aud, role, email, raw_app_meta_data, created_at) values ($1, 'authenticated', 'authenticated', $2, '{"provider":"email"}', now())`, [id, email]);
  await asHost({ id, email }, pool, (c) => c.query(`insert into public.profiles (id, display_name) values (auth.uid(), $1)`, [email.split('@')[0]]));
  return { id, email };
}

/** What the app's code does with the host's session: PostgREST's role and claims, the app's RLS. */
export function asHost<T>(host: Host, pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  return withClaims(pool, { sub: host.id, role: 'authenticated', email: host.email, aud: 'authenticated' }, fn);
}

export interface RoomInput {
  title: string;
  summary?: string;
  city?: string;
  seats?: number;
  photo_urls?: string[];
  hourly_rate?: string | null;
  daily_rate?: string | null;
  is_published?: boolean;
}

export async function addRoom(pool: Pool, host: Host, room: RoomInput): Promise<string> {
  return asHost(host, pool, async (c) => {
    const { rows } = await c.query(
      `insert into public.rooms (title, summary, city, seats, photo_urls, hourly_rate, daily_rate, is_published)
       values ($1, $2, $3, $4, coalesce($5, '{}'::text[]), $6, $7, coalesce($8, false)) returning id`,
      [room.title, room.summary ?? null, room.city ?? null, room.seats ?? null, room.photo_urls ?? null, room.hourly_rate ?? null, room.daily_rate ?? null, room.is_published ?? null],
    );
    return rows[0].id as string;
  });
}

export async function spaceOf(pool: Pool, roomId: string) {
  const { rows } = await pool.query(`select * from public.spaces where source = 'rooms' and source_key = $1`, [roomId]);
  return rows[0];
}

/** The app's tables, every row and column, to compare before and after. */
export async function appRows(pool: Pool) {
  const out: Record<string, unknown[]> = {};
  for (const table of ['profiles', 'rooms', 'room_rates']) out[table] = (await pool.query(`select * from public.${table} order by id`)).rows;
  return out;
}

/** The example app in a Supabase-shaped database of its own, with an emulator and (on demand) a worker. */
export interface AppEnv {
  project: SupabaseProject;
  dir: string;
  pool: Pool;
  emulator: RunningEmulator;
  startWorker(): Promise<void>;
  stop(): Promise<void>;
}

export async function openApp(database: string): Promise<AppEnv> {
  const project = await createSupabaseProject(database);
  const dir = checkout();
  const pool = createPool(project.url, { max: 8 });
  const emulator = await startEmulator({ port: 0 });
  let worker: RunningWorker | undefined;
  return {
    project,
    dir,
    pool,
    emulator,
    async startWorker() {
      const stripe = createStripeClient({ apiUrl: emulator.url, maxNetworkRetries: 3, timeoutMs: 10_000 });
      const gateway = createStripeGateway({ stripe, ratePerSecond: 1000, retry: { baseDelayMs: 20, maxDelayMs: 200, maxRetries: 20 } });
      worker = await startWorker({ pool, stripe, gateway, config: { stripeRateLimit: 1000, workerConcurrency: 2, driftPolicy: 'enforce' } });
    },
    async stop() {
      await worker?.stop();
      await pool.end();
      await emulator.stop();
      await project.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
