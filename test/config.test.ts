// The configuration: parsed once, refused with the variable's name, and documented truthfully.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ConfigError, configVariables, loadConfig } from '../src/config.ts';

test('defaults: embedded Postgres, the emulator, port 3000 and the emulator on the next port', () => {
  const c = loadConfig({});
  assert.equal(c.databaseUrl, undefined);
  assert.equal(c.stripeMode, 'emulator');
  assert.equal(c.port, 3000);
  assert.equal(c.emulatorPort, 3001);
  assert.equal(c.dataDir, '.spacesync');
  assert.equal(c.driftPolicy, 'enforce');
});

test('the rate limit defaults to 90% of Stripe’s: 90/s live, 22.5/s test', () => {
  assert.equal(loadConfig({ STRIPE_SECRET_KEY: 'sk_live_abc' }).stripeRateLimit, 90);
  assert.equal(loadConfig({ STRIPE_SECRET_KEY: 'sk_test_abc' }).stripeRateLimit, 22.5);
  assert.equal(loadConfig({ STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_RATE_LIMIT: '5' }).stripeRateLimit, 5);
});

test('each bad value names its variable', () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ PORT: '-1' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ STRIPE_SECRET_KEY: 'pk_live_x' }, 'STRIPE_SECRET_KEY'],
    [{ STRIPE_WEBHOOK_SECRET: 'secret' }, 'STRIPE_WEBHOOK_SECRET'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ DRIFT_POLICY: 'ignore' }, 'DRIFT_POLICY'],
    [{ STRIPE_API_URL: 'ftp://x' }, 'STRIPE_API_URL'],
    [{ WORKER_CONCURRENCY: '0' }, 'WORKER_CONCURRENCY'],
    [{ ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD'],
  ];
  for (const [env, variable] of cases) {
    assert.throws(() => loadConfig(env), (e: unknown) => e instanceof ConfigError && e.variable === variable && e.message.startsWith(`${variable}: `));
  }
});

test('the README’s configuration table lists exactly the variables the code reads, with their defaults', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 5));
  const rows = [...section.matchAll(/^\| `([A-Z_]+)` \|([^|]*)\|/gm)].map((m) => [m[1], m[2].trim()]);
  assert.deepEqual(rows.map(([name]) => name), configVariables.map(([name]) => name));
  for (const [name, def] of configVariables) {
    const documented = rows.find(([n]) => n === name)![1].replace(/`/g, '');
    const expected = def.replace(/[()]/g, '').replace(/’/g, "'");
    assert.equal(documented.replace(/’/g, "'"), expected, `default of ${name}`);
  }
});

test('the key for Supabase Auth: the default publishable key, else the anon key; a bad SUPABASE_PUBLISHABLE_KEYS names itself', () => {
  assert.equal(loadConfig({ SUPABASE_ANON_KEY: 'eyJanon' }).supabaseAnonKey, 'eyJanon');
  assert.equal(loadConfig({ SUPABASE_ANON_KEY: 'eyJanon', SUPABASE_PUBLISHABLE_KEYS: '{"default":"sb_publishable_x","web":"sb_publishable_y"}' }).supabaseAnonKey, 'sb_publishable_x');
  assert.equal(loadConfig({ SUPABASE_PUBLISHABLE_KEYS: '{"web":"sb_publishable_y"}' }).supabaseAnonKey, 'sb_publishable_y');
  assert.equal(loadConfig({}).supabaseAnonKey, undefined);
  for (const bad of ['sb_publishable_x', '{"a":"x","b":"y"}', '{"default":""}', '[]']) {
    assert.throws(() => loadConfig({ SUPABASE_PUBLISHABLE_KEYS: bad }), (e: unknown) => e instanceof ConfigError && e.variable === 'SUPABASE_PUBLISHABLE_KEYS');
  }
});
