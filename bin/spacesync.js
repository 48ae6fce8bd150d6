#!/usr/bin/env node
// The `spacesync` command. Runs the compiled build, dist/cli.js, made by `npm install` / `npm ci`
// (the `prepare` script) or `npm run build`, when it is current with src/. Otherwise (a checkout
// without a build, or sources edited since) it runs the TypeScript sources through tsx, which compiles
// them at every start (about a second more), and says so on stderr.
import { compiledBuildState } from './buildState.js';

const build = compiledBuildState();
if (build.current) {
  await import('../dist/cli.js');
} else {
  console.error(`spacesync: ${build.reason}: running the TypeScript sources with tsx (slower start; \`npm run build\` compiles them)`);
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
