/**
 * The work one terminology request may do before it is refused as too
 * costly (OperationOutcome too-costly, 422): concepts read, value sets
 * imported, ways a regex tries. Imports are remembered per request, so an
 * honest definition costs what its distinct parts cost; the budget bounds
 * what remains, such as a value set whose hundreds of includes each scan a
 * large code system, so that no request holds the event loop for long.
 */
import { fail } from '../../core/errors.js';

/** About half a second of work: a concept read is about one unit (0.1–0.4 µs), see MAX_REGEX_PATHS for a regex. */
export const MAX_WORK = 1_000_000;

export class WorkBudget {
  private used = 0;

  constructor(readonly limit = MAX_WORK) {}

  /** Counts `units` of work done for `valueSet` (named in the error). */
  spend(units: number, valueSet: string): void {
    this.used += units;
    if (this.used > this.limit) throw fail('terminology.work-too-costly', { valueSet, limit: this.limit });
  }
}
