// `spacesync attach` and `spacesync detach` as users run them (subprocesses): --help, a bad mapping
// refused with its fields named, --dry-run writing nothing, then attach with its backfill and catalog
// sync reaching the emulator, and detach.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../helpers/cliProcess.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { startEmulator } from '../../src/emulator/index.ts';
import { asOwner, COLUMN_MAPPING, createAppTables } from './appSchema.ts';
import { emulatorState } from '../sync/helpers.ts';

test('attach --dry-run, attach, detach from the command line', async () => {
  const db = await createTestDatabase();
  await createAppTables(db.pool);
  for (const [title, rate] of [['Blue', 25], ['Red', 40]] as const) {
    await asOwner(db.pool, `insert into rooms (title, hourly_rate, is_published) values ($1, $2, true)`, [title, rate]);
  }
  const emulator = await startEmulator({ port: 0 });
  after(() => emulator.stop());
  const dir = mkdtempSync(join(tmpdir(), 'spacesync-attach-'));
  const file = join(dir, 'spacesync.mapping.json');
  writeFileSync(file, JSON.stringify(COLUMN_MAPPING, null, 2));
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ ...COLUMN_MAPPING, fields: { name: 'titel', capacity: { value: 0 } } }));
  const env = { DATABASE_URL: db.url, STRIPE_API_URL: emulator.url, DATA_DIR: dir };

  const help = await run(['attach', '--help'], env);
  assert.equal(help.code, 0);
  assert.match(help.output, /Usage: spacesync attach --mapping FILE \[--dry-run\] \[--no-backfill\] \[--no-sync\] \[--json\]/);

  const refused = await run(['attach', '--mapping', bad], env);
  assert.equal(refused.code, 1, refused.output);
  assert.match(refused.output, /bad\.json is not a valid mapping:\n {2}fields\.capacity\.value: /);
  const unfit = await run(['attach', '--mapping', (writeFileSync(bad, JSON.stringify({ ...COLUMN_MAPPING, fields: { name: 'titel' } })), bad)], env);
  assert.equal(unfit.code, 1, unfit.output);
  assert.match(unfit.output, /does not fit the database:\n {2}fields\.name: column public\.rooms\.titel does not exist \(did you mean "title"\?\)/);

  const dry = await run(['attach', '--mapping', file, '--dry-run'], env);
  assert.equal(dry.code, 0, dry.output);
  assert.match(dry.output, /create trigger "spacesync_rooms_insert" after insert on "public"\."rooms"/);
  assert.match(dry.output, /-- Attach would bring in 2 row\(s\): 2 new space\(s\), 0 changed, 0 archived; 2 new price row\(s\), 0 archived\./);
  const written = await db.pool.query(`select (select count(*)::int from spacesync_sources) as sources, (select count(*)::int from spaces) as spaces,
                                              (select count(*)::int from pg_trigger where tgname like 'spacesync\\_%') as triggers`);
  assert.deepEqual(written.rows[0], { sources: 0, spaces: 0, triggers: 0 }, 'the dry run wrote nothing');

  const attached = await run(['attach', '--mapping', file], env);
  assert.equal(attached.code, 0, attached.output);
  assert.match(attached.output, /Attached: source "rooms": public\.rooms \(key id\) → spaces, 2 price column\(s\), soft delete by deleted_at/);
  assert.match(attached.output, /Backfilled 2 row\(s\) in [\d.]+s: 2 new space\(s\), 0 changed, 0 archived\./);
  assert.match(attached.output, /catalog sync [0-9a-f-]+: 2 applied, 0 failed/);
  const state = await emulatorState(emulator.url);
  assert.deepEqual(state.products.map((p) => p.name).sort(), ['Blue', 'Red']);
  assert.deepEqual(state.prices.map((p) => p.unit_amount).sort((a, b) => a! - b!), [2500, 4000]);

  const again = await run(['attach', '--mapping', file, '--no-sync', '--json'], env);
  assert.equal(again.code, 0, again.output);
  assert.match(again.output, /"state": "same"/);

  const unknown = await run(['detach', '--source', 'venues'], env);
  assert.equal(unknown.code, 1);
  assert.match(unknown.output, /no attached source "venues": the sources are rooms/);
  const detached = await run(['detach', '--source', 'rooms'], env);
  assert.equal(detached.code, 0, detached.output);
  assert.match(detached.output, /Detached "rooms" \(public\.rooms\): its triggers are removed; 2 space\(s\) stay/);
  assert.equal((await db.pool.query(`select count(*)::int as n from pg_trigger where tgname like 'spacesync\\_%'`)).rows[0].n, 0);

  // A row the catalog refuses, met by the backfill: named, with what to do, no stack trace.
  await asOwner(db.pool, `insert into rooms (title, is_published) values ('  ', true)`);
  const refusedRow = await run(['attach', '--mapping', file, '--no-sync'], env);
  assert.equal(refusedRow.code, 1, refusedRow.output);
  assert.match(refusedRow.output, /spacesync cannot take public\.rooms row id = 3 into its catalog: .*spaces_name_not_empty.*\nThe triggers are in place and the rows before it are in\. Fix that row, then run attach again/);
  assert.doesNotMatch(refusedRow.output, /\n\s+at /, 'no stack trace');
});
