// The row level security matrix: each API role × table × operation, every cell asserted. Queries run
// through withClaims, the same path the API uses for every request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../helpers/db.ts';
import { withClaims, type Claims } from '../../src/db/withClaims.ts';

const db = await createTestDatabase();

const { rows: [live] } = await db.pool.query(`insert into spaces (name) values ('Live') returning id`);
const { rows: [inactive] } = await db.pool.query(`insert into spaces (name, active) values ('Inactive', false) returning id`);
const { rows: [deleted] } = await db.pool.query(`insert into spaces (name) values ('Deleted') returning id`);
await db.pool.query(`delete from spaces where id = $1`, [deleted.id]);
await db.pool.query(
  `insert into space_prices (space_id, pricing_type, unit_amount, currency, active) values
     ($1, 'hourly', 1000, 'eur', true), ($1, 'daily', 5000, 'eur', false), ($2, 'hourly', 900, 'eur', true)`,
  [live.id, inactive.id],
);
await db.pool.query(`insert into application_logs (source, event, message) values ('test', 'seed', 'seed row')`);
await db.pool.query(`insert into stripe_events (id, type, payload) values ('evt_seed', 'product.updated', '{}')`);
const { rows: [seedRun] } = await db.pool.query(`insert into catalog_runs (dry_run) values (true) returning id`);
await db.pool.query(`insert into catalog_run_outcomes (run_id, entry_key, status) values ($1, $2, 'done')`, [seedRun.id, live.id]);
await db.pool.query(`insert into users (email, password_hash) values ('seed@example.com', 'hash')`);

const roles: Record<string, Claims | null> = {
  anon: null,
  user: { sub: '00000000-0000-4000-8000-000000000001', role: 'authenticated', app_metadata: { role: 'user' } },
  admin: { sub: '00000000-0000-4000-8000-000000000002', role: 'authenticated', app_metadata: { role: 'admin' } },
  service: { role: 'service_role' },
};

const statements: Record<string, { select: string; insert: string; update: string; delete: string }> = {
  spaces: {
    select: 'select id from spaces',
    insert: `insert into spaces (name) values ('New')`,
    update: 'update spaces set name = name',
    delete: 'delete from spaces where deleted_at is null',
  },
  space_prices: {
    select: 'select id from space_prices',
    insert: `insert into space_prices (space_id, pricing_type, unit_amount, currency) values ('${live.id}', 'weekly', 100, 'eur')`,
    update: 'update space_prices set nickname = nickname',
    delete: 'delete from space_prices where deleted_at is null',
  },
  application_logs: {
    select: 'select id from application_logs',
    insert: `insert into application_logs (source, event, message) values ('x', 'x', 'x')`,
    update: 'update application_logs set message = message',
    delete: 'delete from application_logs',
  },
  stripe_events: {
    select: 'select id from stripe_events',
    insert: `insert into stripe_events (id, type, payload) values ('evt_new', 'price.updated', '{}')`,
    update: 'update stripe_events set type = type',
    delete: 'delete from stripe_events',
  },
  catalog_runs: {
    select: 'select id from catalog_runs',
    insert: 'insert into catalog_runs (dry_run) values (false)',
    update: 'update catalog_runs set error = error',
    delete: 'delete from catalog_runs',
  },
  catalog_run_outcomes: {
    select: 'select entry_key from catalog_run_outcomes',
    insert: `insert into catalog_run_outcomes (run_id, entry_key, status) values ('${seedRun.id}', 'prod_new', 'done')`,
    update: 'update catalog_run_outcomes set error = error',
    delete: 'delete from catalog_run_outcomes',
  },
  users: {
    select: 'select id from users',
    insert: `insert into users (email, password_hash) values ('new@example.com', 'h')`,
    update: 'update users set email = email',
    delete: 'delete from users',
  },
};

// Expected: a number = rows returned or affected; 'denied' = refused (42501: no privilege, or the
// row level security policy refuses the new row). Soft deletes affect 0 rows as the DELETE statement
// itself but hide the row: `delete` on spaces/prices is checked separately below.
type Cell = number | 'denied';
const expected: Record<string, Record<string, [Cell, Cell, Cell, Cell]>> = {
  //               anon                                  user                         admin               service
  spaces:           { select: [1, 1, 3, 3], insert: ['denied', 'denied', 1, 1], update: ['denied', 0, 3, 3], delete: ['denied', 0, 0, 0] },
  space_prices:     { select: [1, 1, 3, 3], insert: ['denied', 'denied', 1, 1], update: ['denied', 0, 3, 3], delete: ['denied', 0, 0, 0] },
  application_logs: { select: ['denied', 0, 1, 1], insert: ['denied', 'denied', 'denied', 1], update: ['denied', 'denied', 'denied', 1], delete: ['denied', 'denied', 'denied', 1] },
  stripe_events:    { select: ['denied', 0, 1, 1], insert: ['denied', 'denied', 'denied', 1], update: ['denied', 'denied', 'denied', 1], delete: ['denied', 'denied', 'denied', 1] },
  catalog_runs:     { select: ['denied', 0, 1, 1], insert: ['denied', 'denied', 'denied', 1], update: ['denied', 'denied', 'denied', 1], delete: ['denied', 'denied', 'denied', 1] },
  catalog_run_outcomes: { select: ['denied', 0, 1, 1], insert: ['denied', 'denied', 'denied', 1], update: ['denied', 'denied', 'denied', 1], delete: ['denied', 'denied', 'denied', 1] },
  users:            { select: ['denied', 'denied', 'denied', 'denied'], insert: ['denied', 'denied', 'denied', 'denied'], update: ['denied', 'denied', 'denied', 'denied'], delete: ['denied', 'denied', 'denied', 'denied'] },
};

class Rollback extends Error {}

async function run(claims: Claims | null, sql: string): Promise<{ cell: Cell; liveAfter?: number }> {
  let outcome: { cell: Cell; liveAfter?: number } | undefined;
  try {
    await withClaims(db.pool, claims, async (client) => {
      const r = await client.query(sql);
      outcome = { cell: r.rowCount ?? 0 };
      throw new Rollback();
    });
  } catch (error) {
    if (error instanceof Rollback) return outcome!;
    if ((error as { code?: string }).code === '42501') return { cell: 'denied' };
    throw error;
  }
  throw new Error('unreachable');
}

const roleNames = Object.keys(roles);
for (const [table, ops] of Object.entries(expected)) {
  for (const [op, cells] of Object.entries(ops)) {
    roleNames.forEach((roleName, i) => {
      test(`${roleName} ${op} ${table} → ${cells[i]}`, async () => {
        const sql = statements[table][op as keyof (typeof statements)[string]];
        const { cell } = await run(roles[roleName], sql);
        assert.equal(cell, cells[i]);
      });
    });
  }
}

for (const table of ['spaces', 'space_prices']) {
  test(`admin and service delete on ${table} soft-deletes every live row; a plain user deletes none`, async () => {
    for (const [roleName, expectLive] of [['user', false], ['admin', true], ['service', true]] as const) {
      let remaining = -1;
      await withClaims(db.pool, roles[roleName], async (client) => {
        await client.query(`delete from ${table} where deleted_at is null`);
        remaining = (await client.query(`select count(*)::int as n from ${table} where deleted_at is null`)).rows[0].n;
        throw new Rollback();
      }).catch((e) => {
        if (!(e instanceof Rollback)) throw e;
      });
      if (expectLive) assert.equal(remaining, 0, `${roleName} soft-deleted all ${table}`);
      else assert.ok(remaining > 0, `${roleName} deleted nothing from ${table}`);
    }
  });
}

test('anon sees only the live space and its active price', async () => {
  const spaces = await withClaims(db.pool, null, (c) => c.query('select id from spaces'));
  assert.deepEqual(spaces.rows.map((r) => r.id), [live.id]);
  const prices = await withClaims(db.pool, null, (c) => c.query('select space_id, pricing_type from space_prices'));
  assert.deepEqual(prices.rows, [{ space_id: live.id, pricing_type: 'hourly' }]);
});

test('a user cannot make themselves admin by claiming it outside app_metadata', async () => {
  const forged: Claims = { sub: '00000000-0000-4000-8000-000000000003', role: 'authenticated', user_metadata: { role: 'admin' }, is_admin: true };
  const { cell } = await run(forged, `insert into spaces (name) values ('Forged')`);
  assert.equal(cell, 'denied');
});

// Sync internals: hidden from the API roles by column privileges (on Supabase PostgREST hands the
// table to anon as it is), readable by admins through space_sync_details only.
await db.pool.query(`update spaces set last_error = 'secret error', drift = '{"object":"product"}', stripe_snapshot = '{"name":"x"}', sync_attempt = 3`);
const hiddenColumns = ['last_error', 'drift', 'stripe_snapshot', 'sync_attempt'];
const columnExpected: Record<string, Cell> = { anon: 'denied', user: 'denied', admin: 'denied', service: 3 };
for (const column of hiddenColumns) {
  roleNames.forEach((roleName) => {
    test(`${roleName} select spaces.${column} → ${columnExpected[roleName]}`, async () => {
      assert.equal((await run(roles[roleName], `select ${column} from spaces`)).cell, columnExpected[roleName]);
      assert.equal((await run(roles[roleName], `select * from spaces`)).cell, roleName === 'service' ? 3 : 'denied', 'select * includes them');
    });
  });
}

const detailsExpected: Record<string, Cell> = { anon: 0, user: 0, admin: 3, service: 3 };
roleNames.forEach((roleName) => {
  test(`${roleName} select space_sync_details → ${detailsExpected[roleName]}`, async () => {
    assert.equal((await run(roles[roleName], 'select space_id, last_error, drift, stripe_snapshot from space_sync_details')).cell, detailsExpected[roleName]);
  });
});

test('the catalog columns stay readable by every API role', async () => {
  for (const roleName of roleNames) {
    const { cell } = await run(roles[roleName], 'select id, name, description, kind, capacity, location, images, currency, active, metadata, created_at, updated_at, deleted_at, version, stripe_product_id, sync_status, synced_version, last_synced_at from spaces');
    assert.ok(typeof cell === 'number' && cell >= 1, `${roleName}: ${cell}`);
  }
});

test('through the API an admin sees last_error and drift; anon and users see them null', async () => {
  const { testApp, adminToken, userToken } = await import('../api/helpers.ts');
  const app = testApp(db.pool);
  const get = async (token?: string) => {
    const res = await app.request(`/api/spaces/${live.id}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    assert.equal(res.status, 200);
    return (await res.json()) as { last_error: unknown; drift: unknown; sync_attempt: unknown; stripe_snapshot?: unknown };
  };
  const asAdmin = await get(await adminToken());
  assert.equal(asAdmin.last_error, 'secret error');
  assert.deepEqual(asAdmin.drift, { object: 'product' });
  assert.equal(asAdmin.sync_attempt, 3);
  for (const token of [undefined, await userToken()]) {
    const other = await get(token);
    assert.equal(other.last_error, null);
    assert.equal(other.drift, null);
    assert.equal(other.sync_attempt, null);
    assert.equal(other.stripe_snapshot, undefined);
  }
  const list = await app.request('/api/spaces?include_deleted=true', { headers: { authorization: `Bearer ${await adminToken()}` } });
  const rows = ((await list.json()) as { data: Array<{ last_error: unknown }> }).data;
  assert.ok(rows.length >= 3 && rows.every((r) => r.last_error === 'secret error'));
});
