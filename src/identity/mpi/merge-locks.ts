/**
 * The resource locks of $merge and $unmerge (PostgreSQL; SQLite runs write
 * units one at a time and takes none). Each writes several existing
 * resources: the source, the target and the resources whose references it
 * moves. Locked one by one as the engine writes them, in the operation's own
 * order, they crossed a transaction Bundle (which locks all of its resources
 * up front, in ascending key order: resource-locks.ts) or another merge of
 * the same patients: each held one resource and waited for the other's, a
 * deadlock PostgreSQL broke after a second by aborting one of them.
 *
 * So the operation works out everything it will write before it writes
 * anything, then takes all those locks in one statement, in the same
 * ascending order as a Bundle (WriteTransaction.lockResources); its inner
 * writes find them held. A merge's set is only known after searches (the
 * patients named by identifier, the source's compartment), and those run
 * before the locks are held, so what they read is checked once the locks are:
 * a resource found at a version that has since moved sends the unit round
 * again (ConcurrentWriteError, as a version conflict in storage does), to
 * search and lock afresh.
 *
 * Why not lock the source and the target first, then the rest once the
 * compartment is searched: that is two ascending runs, not one, and it closes
 * a cycle. A Bundle changing the target and an Observation of the source whose
 * key sorts before the target's would lock the Observation, then wait for the
 * target, which the merge holds while it waits for the Observation.
 *
 * Still open: a $merge or $unmerge sent as an entry of a transaction Bundle
 * takes these locks after the Bundle's own up-front locks, so its order is not
 * the global one (a deadlock there is still detected and the unit run again).
 * Resources that come to reference the source after the search (a create, or
 * an update of a resource the merge did not find) are not moved, as before.
 */
import { ConcurrentWriteError } from '../../storage/concurrent-write.js';
import type { WriteTransaction } from '../../storage/contract.js';
import type { Json } from './parameters.js';

/** A resource a unit will write: its identity, and the version its plan read (none when the plan did not read it). */
export interface PlannedWrite {
  readonly type: string;
  readonly id: string;
  readonly versionId?: string;
}

/** Refs per read when checking versions: a merge may move thousands, far beyond one statement's parameters. */
const CHECK_CHUNK = 500;

const identity = (write: PlannedWrite): string => `${write.type}/${write.id}`;

/** A resource as the engine returned it, to be written back at that version. */
export function plannedWrite(resource: Json): PlannedWrite {
  const versionId = (resource.meta as Json | undefined)?.versionId;
  return { type: String(resource.resourceType), id: String(resource.id), ...(typeof versionId === 'string' ? { versionId } : {}) };
}

/**
 * Locks every resource of `writes` at once in the global order, then checks
 * that each one read by the plan is still at the version read (not deleted
 * meanwhile): otherwise the unit runs again, from its first search.
 */
export async function lockPlannedWrites(tx: WriteTransaction, writes: readonly PlannedWrite[]): Promise<void> {
  await tx.lockResources(writes.map(identity));
  const read = writes.filter((write) => write.versionId !== undefined);
  for (let start = 0; start < read.length; start += CHECK_CHUNK) {
    const chunk = read.slice(start, start + CHECK_CHUNK);
    const current = await tx.readMany(chunk.map((write) => ({ resourceType: write.type, id: write.id })));
    const versions = new Map(current.map((version) => [`${version.resourceType}/${version.id}`, String(version.versionId)]));
    const moved = chunk.find((write) => versions.get(identity(write)) !== write.versionId);
    if (moved) throw new ConcurrentWriteError(identity(moved));
  }
}

/**
 * Throws ConcurrentWriteError unless every resource of `writes` is among
 * `locked`: what a unit read again under its locks names a resource it did not
 * lock (a merge record rewritten meanwhile), so the unit runs again.
 */
export function checkAllLocked(locked: readonly PlannedWrite[], writes: readonly PlannedWrite[]): void {
  const held = new Set(locked.map(identity));
  const missing = writes.find((write) => !held.has(identity(write)));
  if (missing) throw new ConcurrentWriteError(identity(missing));
}
