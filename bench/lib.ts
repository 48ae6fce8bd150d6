// Shared helpers for benchmarks: percentiles, a printed table, and bench/results/<name>.json, whose
// `figures` carry each headline figure beside what it is compared with (a peer measured in the same
// run, a limit, an aim or a minimum) and the ratio, for `npm run bench:table` and the README.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { figuresOf } from './figures.ts';

export const resultsDir = join(dirname(fileURLToPath(import.meta.url)), 'results');

export type Row = Record<string, string | number | boolean | null>;

/** What a figure is compared with: a peer tool measured alongside, a hard limit, an aim, a floor. */
export interface FigureAgainst {
  kind: 'peer' | 'limit' | 'aim' | 'minimum';
  name: string;
  value: number;
}

export interface Figure {
  name: string;
  value: number;
  unit: string;
  against: FigureAgainst;
  /** value ÷ against.value. */
  ratio: number;
  better: 'higher' | 'lower';
}

/** A figure with its ratio to what it is compared with. */
export function figure(name: string, value: number, unit: string, better: Figure['better'], against: FigureAgainst): Figure {
  return { name, value, unit, against, ratio: against.value === 0 ? NaN : round(value / against.value, 3), better };
}

/** Whether a figure is on the good side of what it is compared with (ties count as met). */
export function figureMet(f: Figure): boolean {
  return f.better === 'higher' ? f.value >= f.against.value : f.value <= f.against.value;
}

export interface BenchReport {
  /** File name under bench/results/, without `.json`. */
  name: string;
  /** What was measured, in one sentence. */
  description: string;
  /** One row per measured figure or case; printed as a table. */
  rows: Row[];
  /** Headline figures, each with its peer, limit, aim or minimum and the ratio. */
  figures?: Figure[];
  /** Anything else worth keeping (parameters, raw samples summary). */
  details?: Record<string, unknown>;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export function summarize(samples: number[]): { n: number; p50: number; p99: number; max: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((s, x) => s + x, 0) / (sorted.length || 1);
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN, mean };
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function printTable(rows: Row[]): void {
  if (rows.length === 0) return;
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i])).join('  ');
  console.log(line(columns));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(columns.map((c) => cell(r[c]))));
}

export function writeReport(report: BenchReport): string {
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${report.name}.json`);
  const body = {
    name: report.name,
    description: report.description,
    figures: figuresOf(report.name, report.rows, report.figures),
    rows: report.rows,
    details: report.details,
    measuredAt: new Date().toISOString(),
    machine: { node: process.version, cpus: os.cpus().length, platform: `${os.platform()}-${os.arch()}` },
  };
  writeFileSync(file, JSON.stringify(body, null, 2) + '\n');
  console.log(`\n${report.name}: ${report.description}`);
  printTable(report.rows);
  if (body.figures.length) {
    console.log('');
    printTable(body.figures.map(figureRow));
  }
  console.log(`→ ${file}`);
  return file;
}

/** A figure as a printable row: value, what it is compared with, ratio, met or not. */
export function figureRow(f: Figure): Row {
  return {
    figure: f.name,
    value: `${f.value} ${f.unit}`,
    against: `${f.against.kind}: ${f.against.name} ${f.against.value} ${f.unit}`,
    ratio: f.ratio,
    better: f.better,
    met: figureMet(f) ? 'yes' : 'no',
  };
}
