// The command list that `spacesync --help` prints without loading any command module must agree with
// the modules themselves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commands } from '../../src/cli/commands.ts';

test('each listed command loads the module of the same name and summary', async () => {
  assert.equal(new Set(commands.map((c) => c.name)).size, commands.length, 'names are unique');
  for (const entry of commands) {
    const command = await entry.load();
    assert.equal(command.name, entry.name, `${entry.name}: the module's name`);
    assert.equal(command.summary, entry.summary, `${entry.name}: the summary printed by spacesync --help is the module's`);
    assert.match(command.usage, /Usage: spacesync/, `${entry.name}: has --help text`);
  }
});

test('the commands that serve the admin UI are marked so that it is built before they run', () => {
  assert.deepEqual(
    commands.filter((c) => c.servesUi).map((c) => c.name),
    ['start', 'api'],
  );
});
