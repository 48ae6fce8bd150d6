// The search of GET /api/spaces on a large catalog: the plans Postgres really runs for it (logged by
// auto_explain, the statements inside spacesync_search_spaces included), as an admin and as anon
// under row level security, with the planner left free to choose (sequential scans allowed). A term
// found in few spaces is read once through the trigram index on the stored folded column, whose
// recheck folds nothing, then counted and sorted in any order; a term found in every space stops
// counting at the limit and walks the sort's index to the end of the page; the page's rows are then
// read by id. bench/space-search.bench.ts measures how fast it is (timings belong
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
  const matches = plans.filter((p) => /Query Text: with s as materialized \(\s+select s\.id, .* from public\.spaces s where s\.search_text like \$1 .* limit \$6\)/s.test(p));
  const walks = plans.filter((p) => /Query Text: select array\(select s\.id from public\.spaces s where s\.search_text like \$1/.test(p));
  const rows = plans.find((p) => /unnest\(\$1::uuid\[\]\) with ordinality/.test(p));
  const all = plans.join('\n---\n');
  assert.equal(matches.length, 1, `the search read its matches once:\n${all}`);
  assert.ok(rows, `the read of the page's rows was logged:\n${all}`);
  return { result, matches: matches[0], walks, rows };
}

test.after(async () => {
  await explained.end();
  await db.drop();
});

for (const [who, claims] of [['an admin', ADMIN], ['anon', ANON]] as const) {
  test(`${who}: a term in 2% of ${SPACES.toLocaleString('en')} spaces ("reunion") is read once through the trigram index on search_text, whatever the sort`, async () => {
    for (const sort of ['created_at', 'name', 'location'] as const) {
      const { result, matches, walks, rows } = await search(claims, 'reunion', { sort });
      assert.match(matches, /Bitmap Index Scan on spaces_search_idx/, matches);
      assert.match(matches, /Recheck Cond: \(search_text ~~ '%reunion%'::text\)/, matches);
      assert.doesNotMatch(matches, /lower\(translate/, 'no row is folded again, to match or to sort');
      assert.deepEqual(walks, [], 'all the matches were counted: the page is sorted from them');
      assert.doesNotMatch(rows, /Seq Scan on spaces/, rows);
      assert.match(rows, /spaces_pkey/, rows);
      assert.deepEqual([result.total, result.total_capped, result.data.length], [2000, false, 50]);
      assert.ok(result.data.every((s) => /Salle de réunion/.test(String(s.name))), '"reunion" finds "Réunion"');
    }
  });

  test(`${who}: a term in every space ("etage") stops counting at 2,000 and reads its page off the sort's index`, async () => {
    const { result, matches, walks } = await search(claims, 'etage');
    assert.match(matches, /Limit/, matches);
    assert.equal(walks.length, 1);
    assert.match(walks[0], /Index Scan Backward using spaces_created_at_id_idx/, walks[0]);
    assert.deepEqual([result.total, result.total_capped, result.data.length], [2000, true, 50]);
    const byName = await search(claims, 'etage', { sort: 'name', order: 'desc' });
    assert.match(byName.walks[0], /Index Scan Backward using spaces_name_sort_idx/, byName.walks[0]);
    const byLocation = await search(claims, 'etage', { sort: 'location', order: 'asc' });
    assert.match(byLocation.walks[0], /Index Scan using spaces_location_sort_idx/, byLocation.walks[0]);
    assert.doesNotMatch(byLocation.walks[0], /lower\(translate/, 'no location is folded to sort');
  });
}
