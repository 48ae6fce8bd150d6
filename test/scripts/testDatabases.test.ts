// `npm test` drops only what is its to drop on a shared Postgres: its own databases, and those of a
// run of the same host whose process is gone; never another live run's, another host's, or a database
// named otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { processIsRunning } from '../../scripts/processIsRunning.ts';
import { databasesToDrop, formatTestRun, ownerOf, parseTestRun, templateDatabaseName, testDatabaseName, testRun } from '../../scripts/testDatabases.ts';
import { createTestDatabase } from '../helpers/db.ts';

const here = testRun('ci-runner-1', 4242);

test('a run is its host’s tag and its process id, as one word and back', () => {
  assert.match(here.host, /^[0-9a-f]{8}$/);
  assert.deepEqual(testRun('ci-runner-1', 4242), here, 'the same host, the same tag');
  assert.notEqual(testRun('ci-runner-2', 4242).host, here.host, 'another host, another tag');
  assert.equal(formatTestRun(here), `${here.host}_4242`);
  assert.deepEqual(parseTestRun(formatTestRun(here)), here);
  assert.throws(() => parseTestRun('4242'), /SPACESYNC_TEST_RUN is "4242", not a test run .*npm test/);
  assert.throws(() => testRun('ci-runner-1', 0), /pid must be a positive integer, got 0/);
});

test('the template and test databases carry their run, within Postgres’s 63 characters', () => {
  const template = templateDatabaseName(here);
  const file = testDatabaseName(here, '9b1e0c7d2a6f');
  assert.equal(template, `spacesync_template_${here.host}_4242`);
  assert.equal(file, `spacesync_test_${here.host}_4242_9b1e0c7d2a6f`);
  for (const name of [template, file]) {
    assert.ok(name.length <= 63, name);
    assert.deepEqual(ownerOf(name), here, name);
  }
  assert.deepEqual(ownerOf(testDatabaseName(testRun('h', 2_147_483_647), 'ffffffffffff')), testRun('h', 2_147_483_647));
  assert.ok(testDatabaseName(testRun('h', 4_194_304), 'ffffffffffff').length <= 63);
  assert.throws(() => testDatabaseName(here, 'Not-Hex'), /unique must be lower-case hex digits, got "Not-Hex"/);
});

test('names no run gives have no owner', () => {
  for (const name of [
    'postgres',
    'spacesync_test_9b1e0c7d2a6f', // named before runs were
    'spacesync_template_4242',
    `spacesync_test_${here.host}_4242`,
    `spacesync_test_${here.host}_4242_`,
    `spacesync_test_${here.host}_0_ab`,
    `spacesync_template_${here.host}_4242_ab`,
    `spacesync_ui_bench_4242`,
    `xspacesync_test_${here.host}_4242_ab`,
  ]) {
    assert.equal(ownerOf(name), null, name);
  }
});

test('a run drops its own databases and those of a gone run of its host, nothing else', () => {
  const live = testRun('ci-runner-1', 5001);
  const gone = testRun('ci-runner-1', 5002);
  const elsewhere = testRun('ci-runner-2', 5002); // the gone run's pid, on a host whose processes we cannot see
  const running = new Set([here.pid, live.pid]);
  const isRunning = (pid: number) => running.has(pid);
  const databases = [
    'postgres',
    templateDatabaseName(here),
    testDatabaseName(here, 'aaaaaaaaaaaa'),
    templateDatabaseName(live),
    testDatabaseName(live, 'bbbbbbbbbbbb'),
    templateDatabaseName(gone),
    testDatabaseName(gone, 'cccccccccccc'),
    templateDatabaseName(elsewhere),
    testDatabaseName(elsewhere, 'dddddddddddd'),
    'spacesync_test_9b1e0c7d2a6f',
    'spacesync_template_5002',
  ];
  assert.deepEqual(databasesToDrop(databases, here, isRunning), [
    templateDatabaseName(here),
    testDatabaseName(here, 'aaaaaaaaaaaa'),
    templateDatabaseName(gone),
    testDatabaseName(gone, 'cccccccccccc'),
  ]);
  assert.deepEqual(databasesToDrop(databases, here, () => true), [templateDatabaseName(here), testDatabaseName(here, 'aaaaaaaaaaaa')], 'every other run alive: only its own');
});

test('a process is running while it runs, and not once it has exited', () => {
  assert.equal(processIsRunning(process.pid), true);
  const child = spawnSync(process.execPath, ['-e', '0']);
  assert.equal(child.status, 0);
  assert.equal(processIsRunning(child.pid!), false);
});

test('under npm test, a test file’s database and the template belong to the run', async () => {
  const run = parseTestRun(process.env.SPACESYNC_TEST_RUN ?? '');
  assert.equal(process.env.SPACESYNC_TEST_TEMPLATE, templateDatabaseName(run));
  const db = await createTestDatabase({ empty: true });
  assert.deepEqual(ownerOf(db.name), run);
  assert.deepEqual(databasesToDrop([db.name], run, () => true), [db.name]);
  assert.deepEqual(databasesToDrop([db.name], { ...run, pid: run.pid + 1 }, () => true), [], 'another live run of the host leaves it');
});
