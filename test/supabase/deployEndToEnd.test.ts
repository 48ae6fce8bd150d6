// scripts/deploy-supabase.sh end to end with the real Supabase CLI (npm `supabase`, pinned), pointed
// at a local stand-in for the Management API (a profile file, SUPABASE_PROFILE) and at a database
// shaped like a Supabase project: link, db push (the migrations land in that database), secrets set
// (the values arrive in the request body, never on a command line nor in the output), and functions
// deploy --use-api (each of the five functions' files and metadata arrive; no Docker).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ACCESS_TOKEN, parseMultipart, startManagementApiStandIn, type ManagementApiStandIn } from './managementApiStandIn.ts';
import { POSTGRES_PASSWORD, startSupabaseCluster, type SupabaseCluster } from './supabaseFixture.ts';

const root = join(import.meta.dirname, '../..');
const script = join(root, 'scripts/deploy-supabase.sh');
const supabaseCli = join(root, 'node_modules/.bin/supabase');
const REF = 'spacesyncdeploytestz';
const FUNCTIONS = ['create-stripe-catalog', 'sync-space-stripe', 'stripe-webhook', 'drain-queue', 'spacesync-api'];
const SECRETS = {
  STRIPE_SECRET_KEY: 'sk_test_51EndToEndDeployKeyABCDEFGH',
  STRIPE_WEBHOOK_SECRET: 'whsec_endToEndDeploySigningSecret',
  JWT_SECRET: 'the-project-legacy-jwt-secret-0123456789abcdef',
  DRAIN_QUEUE_SECRET: 'drain-queue-secret-end-to-end-0123456789',
};

let cluster: SupabaseCluster;
let api: ManagementApiStandIn;
let workdir: string;
let home: string;
let dbUrl: string;
const argvLog = () => join(home, 'cli-argv.log');

before(async () => {
  cluster = await startSupabaseCluster();
  dbUrl = await cluster.createSupabaseDatabase('deployed_project');
  api = await startManagementApiStandIn({ projectRef: REF, pooler: { host: '127.0.0.1', port: cluster.port, database: 'deployed_project', user: 'postgres' } });
  // The project folder: what `spacesync supabase install` writes into an empty project (this
  // checkout's supabase/, kept so by test/supabase/layout.test.ts), without the CLI's own state.
  workdir = mkdtempSync(join(tmpdir(), 'spacesync-deploy-project-'));
  cpSync(join(root, 'supabase'), join(workdir, 'supabase'), { recursive: true, filter: (src) => !src.includes(`${join('supabase', '.temp')}`) });
  home = mkdtempSync(join(tmpdir(), 'spacesync-deploy-home-'));
  // The CLI, through a wrapper that records each command line it is given.
  writeFileSync(join(home, 'supabase'), `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >> "${argvLog()}"\nexec "${supabaseCli}" "$@"\n`);
  chmodSync(join(home, 'supabase'), 0o755);
});

after(async () => {
  await api?.stop();
  await cluster?.stop();
  for (const dir of [workdir, home]) if (dir) rmSync(dir, { recursive: true, force: true });
});

function runScript(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  // Asynchronously: the stand-in answers from this process.
  return new Promise((resolve) => {
    execFile('bash', [script, ...args], { cwd: root, env, timeout: 240_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

test('deploy-supabase.sh with the real CLI: link, db push, secrets in the body, five functions uploaded', async () => {
  const r = await runScript(['--project-ref', REF], {
    PATH: process.env.PATH ?? '',
    HOME: home,
    SUPABASE_CLI: join(home, 'supabase'),
    SUPABASE_PROFILE: api.profilePath,
    SUPABASE_ACCESS_TOKEN: ACCESS_TOKEN,
    SUPABASE_WORKDIR: workdir,
    SUPABASE_DB_URL: dbUrl,
    SUPABASE_TELEMETRY_DISABLED: '1',
    DO_NOT_TRACK: '1',
    ...SECRETS,
  });
  const output = r.stdout + r.stderr;
  assert.equal(r.code, 0, output);
  assert.match(r.stdout, /deployed\. Next:/);

  // The steps, in order, as the CLI was given them: no secret and no password on any command line.
  const argv = readFileSync(argvLog(), 'utf8').trim().split('\n');
  assert.deepEqual(
    argv.map((l) => l.replace(/--env-file \S+/, '--env-file <file>').replace(/--db-url \S+/, '--db-url <url>')),
    [`link --project-ref ${REF}`, 'db push --include-all --yes --db-url <url>', 'secrets set --env-file <file>', `functions deploy ${FUNCTIONS.join(' ')} --no-verify-jwt --use-api`],
  );
  for (const secret of [...Object.values(SECRETS), POSTGRES_PASSWORD]) {
    assert.ok(!argv.join('\n').includes(secret), `${secret.slice(0, 8)}… is on no command line`);
    assert.ok(!output.includes(secret), `${secret.slice(0, 8)}… is not in the output`);
  }

  // link: the project, its keys, its pooler; every call with the access token.
  const paths = api.requests.map((q) => `${q.method} ${q.path}`);
  assert.equal(paths[0], `GET /v1/projects/${REF}`);
  assert.ok(paths.includes(`GET /v1/projects/${REF}/api-keys`), paths.join('\n'));
  assert.ok(api.requests.every((q) => q.authorization === `Bearer ${ACCESS_TOKEN}`), 'every call carries the access token');

  // db push: every migration applied to the project's database, recorded in the CLI's history.
  const client = new pg.Client({ connectionString: cluster.adminUrl('deployed_project') });
  await client.connect();
  try {
    const history = await client.query<{ version: string }>('select version from supabase_migrations.schema_migrations order by version');
    assert.deepEqual(history.rows.map((h) => h.version), readdirSync(join(workdir, 'supabase/migrations')).sort().map((f) => f.slice(0, 14)));
    const spaces = await client.query<{ owner: string }>(`select tableowner as owner from pg_tables where schemaname = 'public' and tablename = 'spaces'`);
    assert.deepEqual(spaces.rows, [{ owner: 'postgres' }], 'pushed as the project owner postgres');
  } finally {
    await client.end();
  }

  // secrets set: one POST whose JSON body holds every value.
  const secretCalls = api.requests.filter((q) => q.method === 'POST' && q.path === `/v1/projects/${REF}/secrets`);
  assert.equal(secretCalls.length, 1);
  const sent = Object.fromEntries((JSON.parse(secretCalls[0].body.toString('utf8')) as Array<{ name: string; value: string }>).map((s) => [s.name, s.value]));
  assert.deepEqual(sent, SECRETS);

  // functions deploy --use-api: each function's files uploaded as they are in supabase/functions/<name>/,
  // with its metadata, then one bulk update activating the five.
  const uploads = api.requests.filter((q) => q.method === 'POST' && q.path === `/v1/projects/${REF}/functions/deploy`);
  assert.deepEqual(uploads.map((u) => u.query.slug).sort(), [...FUNCTIONS].sort());
  for (const upload of uploads) {
    const name = upload.query.slug;
    const parts = parseMultipart(upload.body, upload.contentType ?? '');
    const metadata = JSON.parse(parts.find((p) => p.name === 'metadata')!.content.toString('utf8'));
    assert.equal(metadata.name, name);
    assert.equal(metadata.verify_jwt, false, `${name} is deployed with --no-verify-jwt`);
    assert.equal(metadata.entrypoint_path, `supabase/functions/${name}/index.ts`);
    assert.equal(metadata.import_map_path, `supabase/functions/${name}/deno.json`);
    const files = parts.filter((p) => p.name === 'file');
    assert.deepEqual(files.map((f) => f.filename).sort(), ['deno.json', 'index.ts', 'spacesync.js'].map((f) => `supabase/functions/${name}/${f}`));
    for (const file of files) assert.ok(file.content.equals(readFileSync(join(workdir, file.filename))), `${file.filename} arrives whole`);
  }
  const bulk = api.requests.filter((q) => q.method === 'PUT' && q.path === `/v1/projects/${REF}/functions`);
  assert.equal(bulk.length, 1);
  assert.deepEqual((JSON.parse(bulk[0].body.toString('utf8')) as Array<{ slug: string }>).map((f) => f.slug).sort(), [...FUNCTIONS].sort());

  // The order: link's calls, then the secrets, then the functions.
  const firstSecret = paths.indexOf(`POST /v1/projects/${REF}/secrets`);
  assert.ok(paths.lastIndexOf(`GET /v1/projects/${REF}/api-keys`) < firstSecret && firstSecret < paths.indexOf(`POST /v1/projects/${REF}/functions/deploy`));
});
