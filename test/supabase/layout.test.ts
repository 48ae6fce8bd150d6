// supabase/functions holds one folder per function of src/edge/functions, each self-contained: its
// index.ts imports only its own bundle, which imports only node:* built-ins (nothing from npm, the
// network, or outside supabase/functions), and its deno.json maps nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { functionNames } from '../../src/supabase/bundleFunctions.ts';

const root = join(import.meta.dirname, '../..');
const functionsDir = join(root, 'supabase/functions');
const FUNCTIONS = ['create-stripe-catalog', 'drain-queue', 'spacesync-api', 'stripe-webhook', 'sync-space-stripe'];

test('one folder per function, each with index.ts, deno.json and its bundle', () => {
  assert.deepEqual(functionNames(), FUNCTIONS);
  const dirs = readdirSync(functionsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  assert.deepEqual(dirs, FUNCTIONS, 'no _shared folder: nothing is shared between functions');
  for (const f of FUNCTIONS) assert.deepEqual(readdirSync(join(functionsDir, f)).sort(), ['deno.json', 'index.ts', 'spacesync.js']);
});

test('self-contained: imports stay inside the function folder or are node:* built-ins', () => {
  for (const f of FUNCTIONS) {
    const index = readFileSync(join(functionsDir, f, 'index.ts'), 'utf8');
    assert.deepEqual([...index.matchAll(/^import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]), ['./spacesync.js']);
    const bundle = readFileSync(join(functionsDir, f, 'spacesync.js'), 'utf8');
    // Static imports (ES module statements at the top level of the bundle).
    const specifiers = new Set([...bundle.matchAll(/(?:^|;)\s*import\s*(?:[\w$*{}\s,]+from\s*)?["']([^"']+)["']/gm)].map((m) => m[1]));
    assert.ok(specifiers.has('node:module'), 'the bundle has its prelude');
    for (const s of specifiers) assert.match(s, /^node:/, `${f}/spacesync.js imports ${s}`);
    const { imports } = JSON.parse(readFileSync(join(functionsDir, f, 'deno.json'), 'utf8')) as { imports: Record<string, string> };
    assert.deepEqual(imports, {}, `${f}/deno.json maps nothing`);
  }
});
