// supabase/functions stays a set of thin Deno shells over src/edge, with import maps pinned to the
// versions package.json installs (the tests run the functions against node_modules).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../..');
const functionsDir = join(root, 'supabase/functions');
const FUNCTIONS = ['create-stripe-catalog', 'drain-queue', 'stripe-webhook', 'sync-space-stripe'];
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

test('the four functions, each with its index.ts and deno.json', () => {
  const dirs = readdirSync(functionsDir, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith('_')).map((d) => d.name).sort();
  assert.deepEqual(dirs, FUNCTIONS);
  for (const f of FUNCTIONS) {
    assert.ok(existsSync(join(functionsDir, f, 'index.ts')), `${f}/index.ts`);
    assert.ok(existsSync(join(functionsDir, f, 'deno.json')), `${f}/deno.json`);
  }
});

test('each deno.json maps the npm packages to the versions package.json installs', () => {
  for (const f of FUNCTIONS) {
    const { imports } = JSON.parse(readFileSync(join(functionsDir, f, 'deno.json'), 'utf8')) as { imports: Record<string, string> };
    for (const [specifier, target] of Object.entries(imports)) {
      const m = /^npm:\/?((?:@[^/@]+\/)?[^/@]+)@([^/]+)\/?$/.exec(target);
      assert.ok(m, `${f}: ${specifier} → ${target} is an npm: specifier`);
      assert.equal(m[2], pkg.dependencies[m[1]], `${f}: ${m[1]} is pinned to package.json's ${pkg.dependencies[m[1]]}`);
    }
    for (const name of ['graphile-worker', 'hono', 'jose', 'pg', 'stripe', 'zod']) assert.ok(imports[name], `${f} maps ${name}`);
  }
});

test('the functions are thin shells: imports from src/edge and _shared only, no logic', () => {
  for (const f of FUNCTIONS) {
    const text = readFileSync(join(functionsDir, f, 'index.ts'), 'utf8');
    const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    for (const i of imports) assert.match(i, /^\.\.\/(\.\.\/\.\.\/src\/edge\/|_shared\/)/, `${f} imports ${i}`);
    const code = text.split('\n').filter((l) => l.trim() && !l.trim().startsWith('//') && !l.startsWith('import'));
    assert.ok(code.length <= 2, `${f}/index.ts is a shell (${code.length} lines of code)`);
  }
});
