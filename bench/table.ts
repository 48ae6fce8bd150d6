// `npm run bench:table [-- --write]`: the performance table (every figure of bench/results/*.json
// beside its peer, limit, aim or minimum), as Markdown. --write puts it into README.md between the
// performance markers.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { figureMet, resultsDir, type Figure } from './lib.ts';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log('Usage: npm run bench:table [-- --write]\n\nPrints the performance table from bench/results/*.json.\n  --write  also replace the table in README.md (between <!-- performance:start --> and <!-- performance:end -->)');
  process.exit(0);
}

const kindWords: Record<Figure['against']['kind'], string> = { peer: 'peer', limit: 'limit', aim: 'aim', minimum: 'minimum' };

function format(value: number, unit: string): string {
  const text = Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en') : String(value);
  return unit === '×' ? `${text}×` : `${text} ${unit}`;
}

const results = readdirSync(resultsDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(resultsDir, f), 'utf8')) as { name: string; figures?: Figure[]; measuredAt?: string });

const lines = [
  '| benchmark | figure | value | compared with | ratio | met | measured |',
  '|---|---|---|---|---|---|---|',
];
for (const r of results) {
  for (const f of r.figures ?? []) {
    const against = `${kindWords[f.against.kind]}: ${f.against.name}, ${format(f.against.value, f.unit)}`;
    const mark = figureMet(f) ? '✓' : '✗';
    lines.push(`| \`${r.name}\` | ${f.name} | ${format(f.value, f.unit)} | ${against} | ${f.ratio} (${f.better} is better) | ${mark} | ${r.measuredAt?.slice(0, 10) ?? ''} |`);
  }
}
const table = lines.join('\n');
console.log(table);

if (args.includes('--write')) {
  const readme = join(import.meta.dirname, '../README.md');
  const text = readFileSync(readme, 'utf8');
  const start = '<!-- performance:start -->';
  const end = '<!-- performance:end -->';
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) {
    console.error(`README.md has no ${start} … ${end} markers: add them where the table belongs.`);
    process.exit(1);
  }
  writeFileSync(readme, `${text.slice(0, i + start.length)}\n${table}\n${text.slice(j)}`);
  console.log('\n→ README.md');
}
