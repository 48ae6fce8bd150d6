// What a catalog apply's progress writes cost as the run grows: 10,000 entries finished 10 at a time
// (1,000 writes, about what a 10,000-entry apply makes at 4 writes a second), each write timed, with
// the run row's size and the WAL written. Two designs, in one run, on one database:
//  - rows: each entry's outcome a row of catalog_run_outcomes, the run row keeps its counters
//    (writeCatalogProgress, migration 000105);
//  - jsonb (the peer, as before migration 000105): every write merges the new outcomes into
//    catalog_runs.outcomes (`outcomes = outcomes || $new`), the column added back for the measure.
// Both runs carry the same stored plan of 10,000 entries, written once before the first write.
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Pool } from '../src/db/pool.ts';
import { writeCatalogProgress, type EntryOutcome } from '../src/sync/writeCatalogProgress.ts';
import { startBenchDatabase } from './db.ts';
import { figure, round, summarize, writeReport, type Row } from './lib.ts';

const ENTRIES = 10_000;
const PER_WRITE = 10;
const FAILED_EVERY = 50; // 2% of entries fail, with Stripe's message
const TAIL = 100; // the last writes: the run at (nearly) 10,000 entries

const loadBefore = os.loadavg();
const db = await startBenchDatabase({ poolSize: 4 });
const { pool } = db;

const entryIds = Array.from({ length: ENTRIES }, () => randomUUID());
const storedPlan = {
  totals: { create: ENTRIES, recreate: 0, update: 0, reprice: 0, archive_orphan: 0, adopt: 0, unchanged: 0 },
  calls: ENTRIES * 4,
  listCalls: 1,
  entries: entryIds.map((id, i) => ({
    kind: 'create',
    spaceId: id,
    productId: null,
    name: `Meeting room ${i}`,
    changes: [
      { field: 'name', from: null, to: `Meeting room ${i}` },
      { field: 'price.hourly', from: null, to: { unit_amount: 2500 + i, currency: 'eur' } },
    ],
    calls: 4,
  })),
};

function outcomeOf(i: number): EntryOutcome {
  return i % FAILED_EVERY === 0 ? { status: 'failed', error: `No such price: 'price_${i.toString(36).padStart(14, '0')}'` } : { status: 'done' };
}

async function newApplyRun(): Promise<string> {
  const { rows } = await pool.query(
    `insert into catalog_runs (dry_run, status, plan, total, started_at, apply_started_at) values (false, 'applying', $1, $2, now(), now()) returning id`,
    [JSON.stringify(storedPlan), ENTRIES],
  );
  return rows[0].id;
}

async function walLsn(): Promise<string> {
  return (await pool.query(`select pg_current_wal_lsn()::text as lsn`)).rows[0].lsn;
}

async function walSince(lsn: string): Promise<number> {
  return (await pool.query(`select pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::bigint as bytes`, [lsn])).rows[0].bytes;
}

async function measure(label: string, write: (runId: string, counters: { done: number; failed: number; calls: number }, batch: Map<string, EntryOutcome>) => Promise<void>) {
  const runId = await newApplyRun();
  const times: number[] = [];
  const counters = { done: 0, failed: 0, calls: 0 };
  const wal = await walLsn();
  for (let i = 0; i < ENTRIES; i += PER_WRITE) {
    const batch = new Map<string, EntryOutcome>();
    for (let j = i; j < i + PER_WRITE; j++) {
      const o = outcomeOf(j);
      batch.set(entryIds[j], o);
      if (o.status === 'done') counters.done++;
      else counters.failed++;
      counters.calls += 4;
    }
    const t0 = performance.now();
    await write(runId, { ...counters }, batch);
    times.push(performance.now() - t0);
  }
  const walBytes = await walSince(wal);
  const { rows: [size] } = await pool.query(
    `select pg_column_size(r.*)::int as row_bytes, pg_column_size(r.plan)::int as plan_bytes from catalog_runs r where r.id = $1`,
    [runId],
  );
  const all = summarize(times);
  const tail = summarize(times.slice(-TAIL));
  const head = summarize(times.slice(0, TAIL));
  const result = { label, runId, all, head, tail, walPerWrite: walBytes / times.length, rowBytes: size.row_bytes as number, planBytes: size.plan_bytes as number };
  console.log(`${label}: mean ${all.mean.toFixed(2)} ms, first ${TAIL} ${head.mean.toFixed(2)} ms, last ${TAIL} ${tail.mean.toFixed(2)} ms, row ${size.row_bytes} B`);
  return result;
}

async function jsonbMerge(p: Pool, runId: string, c: { done: number; failed: number; calls: number }, batch: Map<string, EntryOutcome>) {
  await p.query(`update public.catalog_runs set done = $2, failed = $3, calls = $4, outcomes = outcomes || $5::jsonb where id = $1`, [
    runId,
    c.done,
    c.failed,
    c.calls,
    JSON.stringify(Object.fromEntries(batch)),
  ]);
}

// Warm both statements up on a throwaway run, then measure the shipped design first, on the schema
// as migrated.
await pool.query(`alter table catalog_runs add column outcomes jsonb not null default '{}'::jsonb`);
const warm = await newApplyRun();
for (let i = 0; i < 20; i++) {
  const batch = new Map<string, EntryOutcome>([[randomUUID(), { status: 'done' }]]);
  await writeCatalogProgress(pool, warm, { done: i, failed: 0, calls: i }, batch);
  await jsonbMerge(pool, warm, { done: i, failed: 0, calls: i }, batch);
}
await pool.query(`delete from catalog_runs where id = $1`, [warm]);
await pool.query(`vacuum analyze catalog_runs`);

const rowsDesign = await measure('rows (catalog_run_outcomes)', (runId, c, batch) => writeCatalogProgress(pool, runId, c, batch));
const outcomesTable = (await pool.query(`select pg_total_relation_size('catalog_run_outcomes')::bigint as bytes`)).rows[0].bytes as number;
const jsonbDesign = await measure('jsonb (outcomes merged into the run row)', (runId, c, batch) => jsonbMerge(pool, runId, c, batch));
const { rows: [jsonbColumn] } = await pool.query(`select pg_column_size(outcomes)::int as stored, octet_length(outcomes::text)::int as text from catalog_runs where id = $1`, [jsonbDesign.runId]);
const loadAfter = os.loadavg();
await db.stop();

const kb = (b: number) => round(b / 1024, 1);
const rows: Row[] = [rowsDesign, jsonbDesign].map((d) => ({
  design: d.label,
  'writes': d.all.n,
  'ms/write mean': round(d.all.mean, 3),
  [`ms/write, first ${TAIL}`]: round(d.head.mean, 3),
  [`ms/write, last ${TAIL}`]: round(d.tail.mean, 3),
  'ms/write p99': round(d.all.p99, 3),
  'run row bytes (without plan)': d.rowBytes - d.planBytes,
  'plan bytes (written once)': d.planBytes,
  'WAL bytes/write': Math.round(d.walPerWrite),
}));
const peer = 'outcomes merged into the run row (jsonb, before migration 000105)';
writeReport({
  name: 'catalog-progress',
  description: `catalog apply progress writes: ${ENTRIES.toLocaleString('en')} entries, ${PER_WRITE} per write, outcomes as rows vs merged into the run row's jsonb`,
  rows,
  figures: [
    figure(`catalog progress write at ${ENTRIES.toLocaleString('en')} entries (mean of the last ${TAIL})`, round(rowsDesign.tail.mean, 3), 'ms', 'lower', { kind: 'peer', name: peer, value: round(jsonbDesign.tail.mean, 3) }),
    figure(`catalog run row after ${ENTRIES.toLocaleString('en')} entries (without its plan)`, rowsDesign.rowBytes - rowsDesign.planBytes, 'bytes', 'lower', { kind: 'peer', name: peer, value: jsonbDesign.rowBytes - jsonbDesign.planBytes }),
    figure('WAL per catalog progress write', Math.round(rowsDesign.walPerWrite), 'bytes', 'lower', { kind: 'peer', name: peer, value: Math.round(jsonbDesign.walPerWrite) }),
  ],
  details: {
    entries: ENTRIES,
    perWrite: PER_WRITE,
    failedShare: 1 / FAILED_EVERY,
    outcomesTableBytes: outcomesTable,
    outcomesTableKb: kb(outcomesTable),
    jsonbOutcomesStoredBytes: jsonbColumn.stored,
    jsonbOutcomesTextBytes: jsonbColumn.text,
    loadAverage: { before: loadBefore.map((x) => round(x, 2)), after: loadAfter.map((x) => round(x, 2)), cpus: os.cpus().length },
    note: 'measured while other work shared the machine (see loadAverage); compare the two designs, measured one after the other in the same run',
  },
});
