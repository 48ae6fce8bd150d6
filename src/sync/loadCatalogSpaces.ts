// Every space (deleted ones included: their products get archived) with all its price rows, for a
// catalog run. Two queries, grouped here.
import type { CatalogSpace, PriceRecord, SpaceRecord } from '../catalog/index.ts';
import type { Queryable } from './appLog.ts';

export async function loadCatalogSpaces(db: Queryable): Promise<Array<CatalogSpace & { space: SpaceRecord }>> {
  const [spaces, prices] = await Promise.all([
    db.query(`select * from public.spaces order by created_at, id`),
    db.query(`select * from public.space_prices order by space_id, position, created_at, id`),
  ]);
  const bySpace = new Map<string, PriceRecord[]>();
  for (const p of prices.rows as PriceRecord[]) {
    const list = bySpace.get(p.space_id);
    if (list) list.push(p);
    else bySpace.set(p.space_id, [p]);
  }
  return (spaces.rows as SpaceRecord[]).map((space) => ({ space, prices: bySpace.get(space.id) ?? [] }));
}
