// Each Edge Function as Supabase deploys it: src/edge/functions/<name>.ts and the modules it uses,
// npm packages included, bundled (esbuild) into one ES module, so the function's folder holds all it
// imports (nothing from outside supabase/functions, no node_modules, no npm download at deploy) and
// loads only what it uses: tree-shaken, minified.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The package's root: src/edge/functions lives there, whether run from a checkout or from npm. */
export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
const entriesDir = join(packageRoot, 'src/edge/functions');

export const BUNDLE_FILE = 'spacesync.js';

/** The function names: one entry file each in src/edge/functions. */
export function functionNames(): string[] {
  return readdirSync(entriesDir)
    .filter((f) => /^[a-z0-9-]+\.ts$/.test(f))
    .map((f) => f.slice(0, -3))
    .sort();
}

/**
 * Deno has node:* modules but not Node's globals; pg and its dependencies (CommonJS) call require()
 * for Node built-ins and use Buffer and process. The bundle defines them for itself.
 */
const PRELUDE = [
  'import { createRequire as __spacesyncCreateRequire } from "node:module";',
  'import { Buffer } from "node:buffer";',
  'import process from "node:process";',
  'import { setImmediate, clearImmediate, setTimeout, clearTimeout, setInterval, clearInterval } from "node:timers";',
  'const require = __spacesyncCreateRequire(import.meta.url);',
  'const global = globalThis;',
].join(' ');

export interface FunctionFiles {
  name: string;
  /** File name (in supabase/functions/<name>/) → content. */
  files: Map<string, string>;
  /** Bytes of the bundle, per npm package ("src" for spacesync's own modules). */
  inputs: Record<string, number>;
}

function header(name: string, version: string): string {
  return `// spacesync Edge Function ${name} (spacesync ${version}), written by \`spacesync supabase install\` from\n` + `// src/edge/functions/${name}.ts and the modules it uses, npm packages included. Do not edit.\n`;
}

export async function bundleFunction(name: string, version: string): Promise<FunctionFiles> {
  const result = await build({
    entryPoints: [join(entriesDir, `${name}.ts`)],
    absWorkingDir: packageRoot,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    // stripe's fetch build (no node:http), as on Deno and Workers.
    conditions: ['deno', 'worker'],
    // pg loads pg-native only when asked for its native driver; graphile-worker's config loader
    // (cosmiconfig) loads typescript only for a .ts config file, which a function never has.
    external: ['pg-native', 'typescript'],
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    metafile: true,
    banner: { js: header(name, version) + PRELUDE },
    outfile: join(packageRoot, 'supabase/functions', name, BUNDLE_FILE),
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  const inputs: Record<string, number> = {};
  for (const out of Object.values(result.metafile.outputs)) {
    for (const [path, info] of Object.entries(out.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? 'src';
      inputs[pkg] = (inputs[pkg] ?? 0) + info.bytesInOutput;
    }
  }
  const files = new Map<string, string>([
    [
      'index.ts',
      `${header(name, version)}// The function's code is ${BUNDLE_FILE}, a bundle that starts serving when loaded.\nimport './${BUNDLE_FILE}';\n`,
    ],
    [BUNDLE_FILE, output.text],
    // The function's own Deno configuration: it imports nothing from npm or the network.
    ['deno.json', JSON.stringify({ imports: {}, compilerOptions: { strict: true } }, null, 2) + '\n'],
  ]);
  return { name, files, inputs };
}

export async function bundleFunctions(version: string, onProgress?: (name: string, i: number, n: number) => void): Promise<FunctionFiles[]> {
  const names = functionNames();
  const out: FunctionFiles[] = [];
  for (const [i, name] of names.entries()) {
    onProgress?.(name, i, names.length);
    out.push(await bundleFunction(name, version));
  }
  return out;
}
