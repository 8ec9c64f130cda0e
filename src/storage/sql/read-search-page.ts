/**
 * Reads the rows of one search page, choosing how on both backends alike.
 *
 * A selective condition (few index matches) drives the search from its value
 * index. When every condition matches many rows, resources are scanned in rid
 * order and each condition probed per row until the page is full: the fast
 * plan when matches are frequent. But frequent conditions can still be rare
 * together (a common family-name prefix with a recent birth date), and then
 * the scan reads tens of thousands of rows for one page. So the scan first
 * reads a bounded window of rows; when the page is not full by its end, the
 * matches it found estimate how far the scan would still have to go, and the
 * search falls back to the smallest condition's index when that index is the
 * shorter read.
 */
import type { SearchPlan } from '../query.js';
import { chooseDriver, hasDriveable, smallestDriver } from './choose-driver.js';
import { canBoundScan, compileSearch, scanWindowEnd, type CompiledSearch } from './search-sql.js';
import type { SqlRunner } from './sql-store-core.js';

/** Rows a scan reads before it considers an index instead. */
export const SCAN_BUDGET = 4_000;
/** Index candidates a fallback counts at most: beyond, scanning on is the shorter read anyway. */
const FALLBACK_CAP = 50_000;

export interface SearchPageRows {
  /** RESOURCE_COLUMNS then the sort values, up to plan.count + 1 rows. */
  readonly rows: unknown[][];
  /** The SQL the rows came from (its count and cappedCount count the same matches). */
  readonly compiled: CompiledSearch;
  /** Counting every match costs about as little as the page did. */
  readonly cheapCount: boolean;
  /** How the rows were read (for tests and diagnostics). */
  readonly path: ReadPath;
}

/**
 * index: driven by a selective condition; scan: scanned in rid order; window:
 * the bounded window held the page; fallback: the window found too few and an
 * index was the shorter read; scan-on: the window found too few and scanning
 * on was the shorter read.
 */
export type ReadPath = 'index' | 'scan' | 'window' | 'fallback' | 'scan-on';

export async function readSearchPage(plan: SearchPlan, runner: SqlRunner): Promise<SearchPageRows> {
  const { dialect } = runner;
  const strategy = await chooseDriver(plan, runner);
  const compiled = compileSearch(plan, dialect, strategy.driver);
  const cheapCount = strategy.driver !== undefined || plan.where.length === 0;
  const path = strategy.driver !== undefined ? 'index' : 'scan';
  if (plan.count === 0) return { rows: [], compiled, cheapCount, path };
  if (strategy.driver !== undefined || !canBoundScan(plan) || !hasDriveable(plan)) {
    return { rows: await runner.queryTuples(compiled.page), compiled, cheapCount, path };
  }
  const [end] = await runner.query(scanWindowEnd(plan, SCAN_BUDGET));
  // Fewer rows than the budget remain: scanning them all is the bounded read.
  if (!end) return { rows: await runner.queryTuples(compiled.page), compiled, cheapCount, path };
  const windowEnd = Number(end.rid);
  const inWindow = await runner.queryTuples(compileSearch({ ...plan, maxRid: windowEnd }, dialect).page);
  if (inWindow.length > plan.count) return { rows: inWindow, compiled, cheapCount, path: 'window' };

  // Matches are rare together: at the window's rate, how many rows would the scan still read?
  // An index is the shorter read when its candidates, each weighed against a scanned row, cost less.
  const found = inWindow.length;
  const scanAhead = found > 0 ? Math.ceil(((plan.count + 1 - found) * SCAN_BUDGET) / found) : Infinity;
  const fallback = await smallestDriver(plan, runner, Math.floor(Math.min(scanAhead / dialect.drivenRowCost, FALLBACK_CAP)));
  if (fallback.driver !== undefined) {
    const driven = compileSearch(plan, dialect, fallback.driver);
    return { rows: await runner.queryTuples(driven.page), compiled: driven, cheapCount: false, path: 'fallback' };
  }
  // Scanning on is the shorter read: the rest of the page, after the window.
  const after = { values: [], rid: windowEnd, direction: 'next' } as const;
  const rest = await runner.queryTuples(compileSearch({ ...plan, count: plan.count - found, cursor: after }, dialect).page);
  return { rows: [...inWindow, ...rest], compiled, cheapCount, path: 'scan-on' };
}
