// `npm run bench:refigure`: recomputes the `figures` of every bench/results/*.json from its stored
// rows (bench/figures.ts), without rerunning anything. Results that bring their own figures (a peer
// measured in the same run) keep them.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { figuresFor } from './figures.ts';
import { resultsDir, type Figure, type Row } from './lib.ts';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log('Usage: npm run bench:refigure\n\nRecomputes "figures" in bench/results/*.json from their rows (no benchmark is rerun).');
  process.exit(0);
}

for (const file of readdirSync(resultsDir).filter((f) => f.endsWith('.json')).sort()) {
  const path = join(resultsDir, file);
  const result = JSON.parse(readFileSync(path, 'utf8')) as { name: string; description: string; rows: Row[]; figures?: Figure[] } & Record<string, unknown>;
  const derive = figuresFor[result.name];
  if (!derive) {
    console.log(`${file}: ${result.figures?.length ?? 0} figures of its own, kept`);
    continue;
  }
  const { name, description, rows, figures: _old, ...rest } = result;
  const figures = derive(rows);
  writeFileSync(path, JSON.stringify({ name, description, figures, rows, ...rest }, null, 2) + '\n');
  console.log(`${file}: ${figures.length} figures`);
}
