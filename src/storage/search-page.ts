/**
 * How a page of search results is shaped, whatever serves it (the SQL reader,
 * a routed type's source): its total, and whether next and previous pages exist.
 */
import type { SearchPlan } from './query.js';

/** The default total is given only up to this many matches; _total=accurate always counts. */
export const TOTAL_CAP = 10_000;

/**
 * The total of a search: the page's size when everything fits on a first page;
 * a count when asked for (_total=accurate); by default (estimate) a count
 * capped at TOTAL_CAP when `cheap`, else none rather than a slow request.
 * `count(cap)` counts the matches, up to cap + 1 when given.
 */
export async function pageTotal(
  plan: SearchPlan, page: { readonly size: number; readonly more: boolean; readonly cheap: boolean }, count: (cap?: number) => Promise<number>,
): Promise<number | undefined> {
  if (plan.total !== 'none' && plan.count > 0 && !page.more && plan.cursor === undefined) return page.size;
  if (plan.total === 'accurate') return count();
  if (plan.total === 'estimate' && page.cheap) {
    const counted = await count(TOTAL_CAP);
    return counted <= TOTAL_CAP ? counted : undefined;
  }
  return undefined;
}

/** Next and previous pages: a previous page is read backwards from its cursor, so `more` then means "more before". */
export function pageLinks(plan: SearchPlan, more: boolean): { hasNext: boolean; hasPrevious: boolean } {
  const fromPrevious = plan.cursor?.direction === 'previous';
  return { hasNext: fromPrevious ? true : more, hasPrevious: fromPrevious ? more : plan.cursor !== undefined };
}
