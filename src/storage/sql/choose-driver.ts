/**
 * Chooses how a search reads its candidates, the same way on both backends:
 * from the value index of its most selective condition (estimated by a capped
 * count), or, when every condition matches many rows, by scanning resources in
 * rid order and probing each condition per row until the page is full — the
 * fast plan when matches are frequent, and the one a LIMIT rewards.
 */
import type { SearchPlan } from '../query.js';
import { AliasSource, canDrive, estimateSql, type ConditionContext } from './conditions.js';
import type { SqlRunner } from './sql-store-core.js';

/** Above this many index matches a condition is "frequent": scanning in order wins. */
export const DRIVER_CAP = 1000;
/** Conditions estimated per search at most (each estimate is one capped index read). */
const MAX_ESTIMATES = 4;

export interface SearchStrategy {
  /** Index in plan.where of the driving condition; undefined: scan in rid order. */
  readonly driver?: number;
  /** The driver's estimated matches (exact below the cap). */
  readonly estimate?: number;
}

function driveable(plan: SearchPlan): { condition: SearchPlan['where'][number]; index: number }[] {
  return plan.where.map((condition, index) => ({ condition, index })).filter((c) => canDrive(c.condition)).slice(0, MAX_ESTIMATES);
}

export async function chooseDriver(plan: SearchPlan, runner: SqlRunner): Promise<SearchStrategy> {
  return smallestDriver(plan, runner, DRIVER_CAP);
}

/**
 * The driveable condition with the fewest index matches, if one has at most
 * `cap`. Each count stops one past the best so far, so counting costs at most
 * the smallest condition's matches (plus `cap` per condition above it).
 */
export async function smallestDriver(plan: SearchPlan, runner: SqlRunner, cap: number): Promise<SearchStrategy> {
  const ctx: ConditionContext = { dialect: runner.dialect, aliases: new AliasSource() };
  let best: SearchStrategy = {};
  for (const { condition, index } of driveable(plan)) {
    const limit = Math.min(cap, best.estimate ?? cap) + 1;
    const [row] = await runner.query(estimateSql(condition, limit, ctx));
    const estimate = Number(row?.n ?? 0);
    if (estimate <= cap && (best.estimate === undefined || estimate < best.estimate)) best = { driver: index, estimate };
    // Nothing beats an empty or single match: stop estimating.
    if (estimate <= 1) break;
  }
  return best;
}

/** Whether the plan has a condition an index could drive (a fallback for a scan that finds too little). */
export function hasDriveable(plan: SearchPlan): boolean {
  return driveable(plan).length > 0;
}
