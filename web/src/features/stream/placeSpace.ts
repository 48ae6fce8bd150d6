// Where a space that changed belongs in a cached list: replaced in place, inserted where the list's
// sort puts it (a space created elsewhere appears without a reload), or taken out (deleted, or no
// longer matching the search or the status filter). Pure: the stream handler applies it to the cache.
import { fold } from '../../lib/fold.ts';
import type { Space, SpaceListParams, SpacePage } from '../spaces/types.ts';

export function matchesList(space: Space, params: SpaceListParams): boolean {
  if (space.deleted_at) return false;
  if (params.status && space.sync_status !== params.status) return false;
  const q = params.q?.trim();
  if (q && !fold(`${space.name} ${space.location ?? ''}`).includes(fold(q))) return false;
  return true;
}

function sortValue(space: Space, sort: string): string | number | null {
  switch (sort) {
    case 'name':
      return fold(space.name);
    case 'kind':
      return space.kind;
    case 'capacity':
      return space.capacity;
    case 'sync_status':
      return space.sync_status;
    case 'updated_at':
      return space.updated_at;
    default:
      return space.created_at;
  }
}

/** The list order as the API sorts it: the column, nulls last, then the id. */
export function compareSpaces(a: Space, b: Space, params: SpaceListParams): number {
  const sort = params.sort || 'created_at';
  const desc = (params.order || (sort === 'created_at' || sort === 'updated_at' ? 'desc' : 'asc')) === 'desc';
  const va = sortValue(a, sort);
  const vb = sortValue(b, sort);
  let c = 0;
  if (va === null && vb !== null) return 1;
  if (vb === null && va !== null) return -1;
  if (va !== null && vb !== null) c = va < vb ? -1 : va > vb ? 1 : 0;
  if (c === 0) c = a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  return desc ? -c : c;
}

/**
 * Applies changed spaces (or removals by id) to the pages of one list. Returns the same object when
 * nothing changed. A new space goes where the sort puts it among the rows loaded; past the last loaded
 * row of a list that has more pages, it is left for the page that will hold it.
 */
export function placeSpaces(
  pages: SpacePage[],
  params: SpaceListParams,
  changed: ReadonlyMap<string, Space | null>,
  hasMore: boolean,
): SpacePage[] {
  let touched = false;
  let delta = 0;
  const placed = new Set<string>();
  const next = pages.map((page) => {
    let pageTouched = false;
    const data: Space[] = [];
    for (const row of page.data) {
      if (!changed.has(row.id)) {
        data.push(row);
        continue;
      }
      placed.add(row.id);
      const now = changed.get(row.id) ?? null;
      pageTouched = true;
      if (now && matchesList(now, params)) data.push(now);
      else delta -= 1;
    }
    if (!pageTouched) return page;
    touched = true;
    return { ...page, data };
  });
  const inserts = [...changed.values()].filter((s): s is Space => s !== null && !placed.has(s.id) && matchesList(s, params));
  for (const space of inserts) {
    // The last page whose rows reach past the new one's place, else the end when the list is complete.
    let target = -1;
    let at = 0;
    for (let p = 0; p < next.length && target === -1; p++) {
      const rows = next[p].data;
      const i = rows.findIndex((r) => compareSpaces(space, r, params) < 0);
      if (i !== -1) {
        target = p;
        at = i;
      }
    }
    if (target === -1) {
      if (hasMore || next.length === 0) {
        if (next.length === 0) continue;
        delta += 1; // counted, shown when its page loads
        continue;
      }
      target = next.length - 1;
      at = next[target].data.length;
    }
    const rows = [...next[target].data];
    rows.splice(at, 0, space);
    next[target] = { ...next[target], data: rows };
    delta += 1;
    touched = true;
  }
  if (!touched && delta === 0) return pages;
  // A count that stopped early stays as it was: how many more exist is not known.
  return next.map((page) => (page.total_capped ? page : { ...page, total: Math.max(0, page.total + delta) }));
}
