// Stripe's cursor pagination over a Collection, newest first: `limit`, `starting_after`, `ending_before`.
import type { Collection } from './collection.ts';
import { invalidParam, resourceMissing } from './errors.ts';
import { int, str, type Input } from './params.ts';

export interface PageParams {
  limit: number;
  startingAfter?: string;
  endingBefore?: string;
}

export function readLimit(input: Input, max = 100): number {
  const limit = int(input, 'limit') ?? 10;
  if (limit < 1 || limit > max) {
    throw invalidParam(`Invalid limit: must be between 1 and ${max}`, 'limit');
  }
  return limit;
}

export function readPageParams(input: Input): PageParams {
  const startingAfter = str(input, 'starting_after') || undefined;
  const endingBefore = str(input, 'ending_before') || undefined;
  if (startingAfter && endingBefore) {
    throw invalidParam('You may only specify one of these parameters: ending_before, starting_after.', 'ending_before');
  }
  return { limit: readLimit(input), startingAfter, endingBefore };
}

export interface Page<T> {
  data: T[];
  hasMore: boolean;
}

/**
 * Walks the collection from the cursor, keeping objects that pass `filter`.
 * Cost is O(scanned), i.e. O(limit) without filters: no sort per call.
 */
export function paginate<T extends { id: string }>(
  col: Collection<T>,
  kind: string,
  p: PageParams,
  filter: (obj: T) => boolean = () => true,
): Page<T> {
  const data: T[] = [];
  if (p.endingBefore) {
    const entry = col.entry(p.endingBefore);
    if (!entry) throw resourceMissing(kind, p.endingBefore, 'ending_before');
    // Newer objects are at higher indices: take the `limit` closest newer ones, then return newest first.
    for (let i = col.indexOfSeq(entry.seq) + 1; i < col.size; i++) {
      const obj = col.at(i)!.obj;
      if (!filter(obj)) continue;
      if (data.length === p.limit) return { data: data.reverse(), hasMore: true };
      data.push(obj);
    }
    return { data: data.reverse(), hasMore: false };
  }
  let start = col.size - 1;
  if (p.startingAfter) {
    const entry = col.entry(p.startingAfter);
    if (!entry) throw resourceMissing(kind, p.startingAfter, 'starting_after');
    start = col.indexOfSeq(entry.seq) - 1;
  }
  for (let i = start; i >= 0; i--) {
    const obj = col.at(i)!.obj;
    if (!filter(obj)) continue;
    if (data.length === p.limit) return { data, hasMore: true };
    data.push(obj);
  }
  return { data, hasMore: false };
}
