// How far a search counts its matches. Counting every match of a term found in most of 100,000
// spaces would cost more than the page itself, so a search counts at most 1,000 matches past the end
// of the page, rounded up to whole thousands: the list says "2,000+" when there are more, and a
// client that scrolls on is always told there is more to load.

/** At least this many matches are counted past the end of the page. */
export const SEARCH_COUNT_AHEAD = 1000;

/** The most matches a search counts for a page at `offset` of `limit` rows. */
export function searchCountLimit(offset: number, limit: number): number {
  return Math.ceil((offset + limit + SEARCH_COUNT_AHEAD) / 1000) * 1000;
}

/** The total to report from a count made with `count_limit = countLimit + 1`. */
export function searchTotal(counted: number, countLimit: number): { total: number; total_capped: boolean } {
  return counted > countLimit ? { total: countLimit, total_capped: true } : { total: counted, total_capped: false };
}
