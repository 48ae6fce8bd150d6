// scripts/deploy-supabase.sh in a subprocess: --dry-run prints every step with secrets masked, a live
// key needs --allow-live, a missing CLI or link is a clear error, and a real run calls the CLI (a
// stand-in that records its arguments) in order, passing secrets through a file, never arguments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../..');
const script = join(root, 'scripts/deploy-supabase.sh');
const TEST_KEY = 'sk_test_51DeployTestKeyABCDEFGHIJ';
const LIVE_KEY = 'sk_live_51DeployLiveKeyABCDEFGHIJ';
const WEBHOOK = 'whsec_deployTestSigningSecret123';
const JWT = 'a-legacy-jwt-secret-of-the-project-0123456789';
const REF = 'abcdefghijklmnopqrst';

function deploy(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync('bash', [script, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? root, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, all: r.stdout + r.stderr };
}

const secrets = { STRIPE_SECRET_KEY: TEST_KEY, STRIPE_WEBHOOK_SECRET: WEBHOOK, JWT_SECRET: JWT };

test('--dry-run prints every step in order, with the secrets masked', () => {
  const r = deploy(['--dry-run', '--project-ref', REF], secrets);
  assert.equal(r.code, 0, r.all);
  const steps = r.stdout.split('\n').filter((l) => l.startsWith('+ '));
  assert.deepEqual(steps, [
    `+ supabase link --project-ref ${REF}`,
    '+ node --import tsx scripts/generate-supabase-migrations.ts --check',
    '+ supabase db push --include-all --yes',
    '+ supabase secrets set --env-file <temporary file: STRIPE_SECRET_KEY=sk_test_**** STRIPE_WEBHOOK_SECRET=whsec_**** JWT_SECRET=****>',
    '+ supabase functions deploy create-stripe-catalog sync-space-stripe stripe-webhook drain-queue spacesync-api --no-verify-jwt --use-api',
  ]);
  assert.match(r.stdout, /dry run: nothing was changed/);
  for (const secret of [TEST_KEY, WEBHOOK, JWT]) assert.ok(!r.all.includes(secret), 'no secret value is printed');
});

test('with SUPABASE_DB_URL, db push is given the URL without its password', () => {
  const r = deploy(['--dry-run', '--project-ref', REF, '--skip-secrets', '--skip-functions'], { SUPABASE_DB_URL: 'postgresql://postgres:s3cr%40t-pw@db.abcdefghijklmnopqrst.supabase.co:5432/postgres' });
  assert.equal(r.code, 0, r.all);
  assert.match(r.stdout, /^\+ supabase db push --include-all --yes --db-url postgresql:\/\/postgres@db\.abcdefghijklmnopqrst\.supabase\.co:5432\/postgres$/m);
  assert.ok(!r.all.includes('s3cr'), 'the password is not printed');
  const bad = deploy(['--dry-run', '--project-ref', REF, '--skip-secrets'], { SUPABASE_DB_URL: 'db.example.com:5432' });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /SUPABASE_DB_URL is not a postgresql:\/\/user:password@host:port\/database URL/);
});

test('--skip-* leave steps out', () => {
  const r = deploy(['--dry-run', '--project-ref', REF, '--skip-migrations', '--skip-secrets'], {});
  assert.equal(r.code, 0, r.all);
  assert.doesNotMatch(r.stdout, /db push|secrets set/);
  assert.match(r.stdout, /functions deploy/);
});

test('a live key is refused without --allow-live, and accepted with it', () => {
  const refused = deploy(['--dry-run', '--project-ref', REF], { ...secrets, STRIPE_SECRET_KEY: LIVE_KEY });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /live key[\s\S]*--allow-live/);
  assert.doesNotMatch(refused.stdout, /^\+ /m, 'nothing runs');
  const allowed = deploy(['--dry-run', '--allow-live', '--project-ref', REF], { ...secrets, STRIPE_SECRET_KEY: LIVE_KEY });
  assert.equal(allowed.code, 0, allowed.all);
  assert.match(allowed.stdout, /STRIPE_SECRET_KEY=sk_live_\*\*\*\*/);
  assert.ok(!allowed.all.includes(LIVE_KEY));
});

test('missing or malformed secrets, an unlinked checkout, a missing CLI and --help', () => {
  assert.match(deploy(['--dry-run', '--project-ref', REF], { STRIPE_WEBHOOK_SECRET: WEBHOOK }).stderr, /STRIPE_SECRET_KEY is not set/);
  assert.match(deploy(['--dry-run', '--project-ref', REF], { STRIPE_SECRET_KEY: 'pk_test_123', STRIPE_WEBHOOK_SECRET: WEBHOOK }).stderr, /not a Stripe secret key/);
  assert.match(deploy(['--dry-run', '--project-ref', REF], { STRIPE_SECRET_KEY: TEST_KEY }).stderr, /STRIPE_WEBHOOK_SECRET is not set/);
  // This checkout is not linked (supabase/.temp is the CLI's, never committed).
  const unlinked = deploy(['--dry-run'], secrets);
  assert.equal(unlinked.code, 1);
  assert.match(unlinked.stderr, /not linked to a Supabase project: run `supabase link --project-ref <ref>`/);
  const noCli = deploy(['--project-ref', REF], { ...secrets, SUPABASE_CLI: 'supabase-cli-that-does-not-exist' });
  assert.equal(noCli.code, 1);
  assert.match(noCli.stderr, /Supabase CLI \(supabase-cli-that-does-not-exist\) is not installed/);
  assert.match(deploy(['--bogus']).stderr, /unknown option --bogus/);
  const help = deploy(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--dry-run[\s\S]*--allow-live/);
});

test('a real run calls the CLI in order and hands it the secrets in a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spacesync-deploy-'));
  const log = join(dir, 'calls.log');
  const fake = join(dir, 'supabase');
  // Records each call; for `secrets set --env-file F` it records F's content (the file is deleted after).
  writeFileSync(
    fake,
    `#!/usr/bin/env bash
echo "$*" >> "${log}"
if [ "$1" = secrets ]; then cat "$4" | sed 's/^/  /' >> "${log}"; fi
`,
  );
  chmodSync(fake, 0o755);
  const r = deploy(['--project-ref', REF, '--skip-migrations'], { ...secrets, SUPABASE_CLI: fake, DRAIN_QUEUE_SECRET: 'drain-me-0123456789' });
  assert.equal(r.code, 0, r.all);
  const calls = readFileSync(log, 'utf8');
  assert.equal(
    calls,
    [
      `link --project-ref ${REF}`,
      `secrets set --env-file ${/--env-file (\S+)/.exec(calls)?.[1]}`,
      `  STRIPE_SECRET_KEY=${TEST_KEY}`,
      `  STRIPE_WEBHOOK_SECRET=${WEBHOOK}`,
      `  JWT_SECRET=${JWT}`,
      '  DRAIN_QUEUE_SECRET=drain-me-0123456789',
      'functions deploy create-stripe-catalog sync-space-stripe stripe-webhook drain-queue spacesync-api --no-verify-jwt --use-api',
      '',
    ].join('\n'),
  );
  assert.ok(!r.all.includes(TEST_KEY) && !r.all.includes('drain-me-0123456789'), 'no secret value is printed');
});
