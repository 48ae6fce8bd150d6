// The search of GET /api/spaces on a large catalog: the very queries the endpoint runs (its count and
// its page, as an admin under row level security) go through the trigram index for an accent-free
// query such as "reunion", with the planner left free to choose (sequential scans allowed).
// bench/space-search.bench.ts measures how fast it is (timings belong there, not in a test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { listSpaces } from '../../src/api/spaceQueries.ts';
import { withClaims } from '../../src/db/withClaims.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { SEARCH_CATALOG_SPACES, seedSearchCatalog } from '../../bench/seedSearchCatalog.ts';
import { ADMIN_ID } from './helpers.ts';

const db = await createTestDatabase();
const SPACES = SEARCH_CATALOG_SPACES;
const started = performance.now();
await seedSearchCatalog(db.pool, SPACES);
console.log(`# seeded ${SPACES} spaces in ${Math.round(performance.now() - started)} ms`);

/** A client that EXPLAINs each query instead of running it, keeping the plans. */
function explaining(client: pg.PoolClient, plans: string[]): pg.PoolClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== 'query') return Reflect.get(target, prop, receiver);
      return async (sql: string, params?: unknown[]) => {
        const result = await target.query<{ 'QUERY PLAN': string }>(`explain ${sql}`, params);
        plans.push(result.rows.map((r) => r['QUERY PLAN']).join('\n'));
        return { rows: [{}], rowCount: 0 };
      };
    },
  });
}

test(`the search's count and page use the trigram index at ${SPACES.toLocaleString('en')} spaces`, async () => {
  const plans: string[] = [];
  const admin = { sub: ADMIN_ID, role: 'authenticated', app_metadata: { role: 'admin' } };
  await withClaims(db.pool, admin, (client) => listSpaces(explaining(client, plans), { q: 'reunion', limit: 50, offset: 0, includeDeleted: false }));
  assert.equal(plans.length, 2, 'the count and the page');
  for (const plan of plans) {
    assert.match(plan, /spacesync_search_space_ids/, plan);
    assert.doesNotMatch(plan, /Seq Scan on spaces/, plan);
  }
  // The search the endpoint delegates, planned as it runs (as the table's owner): the trigram index.
  const { rows } = await db.pool.query<{ 'QUERY PLAN': string }>(
    `explain select s.id from public.spaces s
      where public.spacesync_fold(s.name || ' ' || coalesce(s.location, '')) like public.spacesync_fold($1)
        and ((s.deleted_at is null and s.active) or public.is_admin())`,
    ['%reunion%'],
  );
  const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
  assert.match(plan, /Bitmap Index Scan on spaces_search_idx/, plan);
  const body = (await db.pool.query<{ src: string }>(`select prosrc as src from pg_proc where proname = 'spacesync_search_space_ids'`)).rows[0].src;
  assert.match(body.replace(/\s+/g, ' '), /spacesync_fold\(s\.name \|\| ' ' \|\| coalesce\(s\.location, ''\)\) like public\.spacesync_fold\(pattern\) and \(\(s\.deleted_at is null and s\.active\) or public\.is_admin\(\)\)/, 'the plan above is of the function\'s own query');
  // And the answer is right: "reunion" finds the accented names.
  const found = await withClaims(db.pool, admin, (client) => listSpaces(client, { q: 'reunion', limit: 50, offset: 0, includeDeleted: false }));
  assert.ok(found.total > 0 && found.total < SPACES / 10, `a selective query (${found.total} found)`);
  assert.ok(found.data.every((s) => /r[ée]union/i.test(`${s.name} ${s.location ?? ''}`)));
});
