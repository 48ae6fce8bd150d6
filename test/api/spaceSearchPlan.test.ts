// The search of GET /api/spaces on a large catalog: the plans Postgres really runs for it (logged by
// auto_explain, the statements inside spacesync_search_spaces included), as an admin and as anon
// under row level security, with the planner left free to choose (sequential scans allowed). A term
// found in few spaces goes through the trigram index on the stored folded column, whose recheck folds
// nothing, for its count and its page in any order; a term found in every space walks the sort's
// index and stops at the end of the page; the page's rows are then read by id. bench/space-search.bench.ts measures how fast it is (timings belong
// there, not in a test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { listSpaces, type ListFilters } from '../../src/api/spaceQueries.ts';
import { withClaims, type Claims } from '../../src/db/withClaims.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { SEARCH_CATALOG_SPACES, seedSearchCatalog } from '../../bench/seedSearchCatalog.ts';
import { ADMIN_ID } from './helpers.ts';

const db = await createTestDatabase({ manual: true });
const SPACES = SEARCH_CATALOG_SPACES;
const started = performance.now();
await seedSearchCatalog(db.pool, SPACES);
console.log(`# seeded ${SPACES} spaces in ${Math.round(performance.now() - started)} ms`);

// One connection, with auto_explain logging every statement's plan to the client (as a notice).
const plans: string[] = [];
const explained = new pg.Pool({ connectionString: db.url, max: 1 });
explained.on('connect', (client) => {
  client.on('notice', (n) => {
    if (n.message?.includes('Query Text:')) plans.push(n.message);
  });
});
await explained.query(`load 'auto_explain'`);
await explained.query(`set auto_explain.log_min_duration = 0; set auto_explain.log_nested_statements = on; set client_min_messages = log`);

const ADMIN: Claims = { sub: ADMIN_ID, role: 'authenticated', app_metadata: { role: 'admin' } };
const ANON: Claims = { role: 'anon' };

async function search(claims: Claims, q: string, more: Partial<ListFilters> = {}) {
  plans.length = 0;
  const result = await withClaims(explained, claims, (client) => listSpaces(client, { q, limit: 50, offset: 0, includeDeleted: false, ...more }));
  const count = plans.filter((p) => /select count\(\*\)::integer from \(select from public\.spaces s where s\.search_text like \$1/.test(p));
  const page = plans.filter((p) => /select array\(select s\.id from/.test(p));
  const rows = plans.find((p) => /unnest\(\$1::uuid\[\]\) with ordinality/.test(p));
  const all = plans.join('\n---\n');
  assert.equal(count.length, 1, `the search's count was logged once:\n${all}`);
  assert.equal(page.length, 1, `the search's page was logged once:\n${all}`);
  assert.ok(rows, `the read of the page's rows was logged:\n${all}`);
  return { result, count: count[0], page: page[0], rows };
}

test.after(async () => {
  await explained.end();
  await db.drop();
});

for (const [who, claims] of [['an admin', ADMIN], ['anon', ANON]] as const) {
  test(`${who}: a term in 2% of ${SPACES.toLocaleString('en')} spaces ("reunion") goes through the trigram index on search_text, whatever the sort`, async () => {
    for (const sort of ['created_at', 'name', 'location'] as const) {
      const { result, count, page, rows } = await search(claims, 'reunion', { sort });
      for (const plan of [count, page]) {
        assert.match(plan, /Bitmap Index Scan on spaces_search_idx/, plan);
        assert.match(plan, /Recheck Cond: \(search_text ~~ '%reunion%'::text\)/, plan);
        assert.doesNotMatch(plan, /lower\(translate/, 'no row is folded again');
      }
      assert.doesNotMatch(rows, /Seq Scan on spaces/, rows);
      assert.match(rows, /spaces_pkey/, rows);
      assert.deepEqual([result.total, result.total_capped, result.data.length], [2000, false, 50]);
      assert.ok(result.data.every((s) => /Salle de réunion/.test(String(s.name))), '"reunion" finds "Réunion"');
    }
  });

  test(`${who}: a term in every space ("etage") reads its page off the sort's index and stops counting at 2,000`, async () => {
    const { result, count, page } = await search(claims, 'etage');
    assert.match(page, /Index Scan Backward using spaces_created_at_id_idx/, page);
    assert.match(count, /Limit/, count);
    assert.deepEqual([result.total, result.total_capped, result.data.length], [2000, true, 50]);
    const byName = await search(claims, 'etage', { sort: 'name', order: 'desc' });
    assert.match(byName.page, /Index Scan Backward using spaces_name_sort_idx/, byName.page);
    const byLocation = await search(claims, 'etage', { sort: 'location', order: 'asc' });
    assert.match(byLocation.page, /Index Scan using spaces_location_sort_idx/, byLocation.page);
    assert.doesNotMatch(byLocation.page, /lower\(translate/, 'no location is folded to sort');
  });
}
